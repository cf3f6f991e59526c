package feed

import "time"

// pace is how fast a feed publishes, as its polls measured it, for the
// order of a saturated poller's ready queue (pollRank). A feed whose
// document shows N items and that publishes r items a second loses items
// once more than N/r passes between two polls; a poll sooner than that
// reads fewer items for the same cost a poll (a fetch, a parse, a batch
// through the pipeline). So when the due polls outnumber the slots, the
// feed whose document fills first goes first: a fast wire feed before a
// blog that is due as often but publishes a story an hour. 24 bytes: a
// loop has 32 to spare below its size class (TestALoopFitsThe1024ByteSizeClass).
type pace struct {
	// items and secs are decayed sums of the new items polls found and
	// of the time each covered (since the poll before): items/secs is the
	// rate. A poll that found every item new (a gap) saw only a lower
	// bound of what the feed published: it raises a slower rate and leaves
	// a faster one. Taken as a measure, it made a saturated poller's late
	// polls of a feed its new pace, each later poll later still, until
	// paceLead held every feed back alike (BENCHMARKS.md, round 44).
	items, secs float32
	// shows is how many items the feed's last document held (N).
	shows float32
	// fullAt is when the feed's document is estimated to have turned over
	// whole since its last poll, as monoNow tells it: 0 before any
	// measure.
	fullAt time.Duration
}

// paceDecay is the weight a measure keeps at each poll: the last eight
// or so polls make the rate, so a feed that speeds up is followed within
// a few minutes at a 1-minute interval.
const paceDecay = 7.0 / 8

// measured takes a poll's counts into the pace: found items in the
// document, fresh of them new, since the poll before that ended at prev.
// A feed's first poll (nothing seen before), and its first since the
// poller started (loop.firstSinceStart), measure nothing: every item in
// the first is new to us, not newly published, and the second covers
// the poller's downtime.
func (p *pace) measured(start, prev time.Time, found, fresh int, first bool) {
	if first || prev.IsZero() || !start.After(prev) {
		return
	}
	dt := float32(start.Sub(prev).Seconds())
	if gap := found >= 2 && fresh == found; gap && p.secs > 0 && p.rate() >= float32(fresh)/dt {
		p.fill(start) // the rate known is faster than this bound
		return
	}
	p.items = p.items*paceDecay + float32(fresh)
	p.secs = p.secs*paceDecay + dt
	if found > 0 {
		p.shows = float32(found)
	}
	p.fill(start)
}

// rate is items a second, as if one more item were about to come: a
// feed quiet since we began measuring it is taken to publish no faster
// than one item in that time, not never. Taken as never, a blog whose
// polls since its first had been 304s ranked paceLead behind every feed
// with a pace, and a saturated poller left it there: each poll then
// found the feed's whole document new and measured a minute a document.
func (p *pace) rate() float32 { return (p.items + 1) / p.secs }

// fill sets when the document that start's poll read fills whole; a feed
// that never showed a document gets no rank of its own (pollRank: due).
func (p *pace) fill(start time.Time) {
	if p.shows <= 0 {
		p.fullAt = 0
		return
	}
	fill := float64(p.shows) / float64(p.rate()) // seconds
	p.fullAt = start.Sub(monoBase) + time.Duration(min(fill, maxFill.Seconds())*float64(time.Second))
}

// maxFill bounds a fill time so a feed that published once in a long
// while does not overflow the clock.
const maxFill = 365 * 24 * time.Hour

// paceLead bounds how far behind its due time a feed's rank may fall: a
// feed due at t goes before any feed that ranks after t + paceLead, so
// none starves behind feeds whose documents fill sooner, and a feed
// whose pace is unknown or slow waits at most paceLead longer than in
// due order. A minute is poller.min_interval's default.
const paceLead = time.Minute

// pollRank is where a due feed ranks in the ready queue (smaller first),
// as monoNow tells time: when its document fills, but no later than
// paceLead after it fell due; its due time before any measure.
func pollRank(l *loop) time.Duration {
	due := l.due.Sub(monoBase)
	if l.pace.fullAt == 0 {
		return due
	}
	return min(l.pace.fullAt, due+paceLead)
}
