package feed

import (
	"fmt"
	"sync"
	"time"
)

// Behind says, over the last minute, whether the poller keeps its feeds'
// schedules: how late its polls started behind the moment each fell due,
// and how many polls found a gap. A poller whose polls all start late is
// the bottleneck of the feeds it polls — a feed that publishes more
// items between two polls than its document shows loses the ones that
// scroll off (BENCHMARKS.md, round 43: at 1.4× capacity 549 of 1,850
// items a second), and nothing but the lag and the gaps says so: every
// poll still succeeds and every feed is healthy. /status shows it, and
// the poller logs it (Poller.Behind).
type Behind struct {
	Window time.Duration // what the counts cover: the last minute, or less early in a run
	Polls  int           // polls whose request started in the window
	// Late are the polls that started more than a quarter of their
	// interval after they fell due: their feed's cadence slipped.
	Late            int
	MeanLag, MaxLag time.Duration // from a poll falling due to its request starting, the host's waits apart
	// HostQueued are the polls that started late only for their wait
	// for a slot of their host's per_host_concurrency: that host's other
	// feeds held every slot. Not the poller's lag (a politeness limit the
	// config sets; the CPU is idle meanwhile), so not in Late: many of
	// them say a host has more feeds, or slower answers, than its limit
	// lets be polled on time.
	HostQueued int
	// Waiting is how many feeds' polls are due now and wait for a slot of
	// the poller (Poller.unsent: fetching, or holding a document the
	// pipeline has not taken): more than there are slots when the CPU or
	// the pipeline is the bottleneck.
	Waiting int
	// Gaps are polls that found every item new; DatedGaps those of them
	// whose dates show the hole (wirestream_feed_dated_gaps_total):
	// stories were almost surely lost.
	Gaps, DatedGaps int
}

// behindLate is how many late polls, at least, make a poller behind: a
// single slow host's queue is not a poller that cannot keep up.
const behindLate = 3

// IsBehind reports whether the poller is the bottleneck: most polls of
// the window started late, or some did and feeds showed dated gaps.
func (b Behind) IsBehind() bool {
	if b.Late < behindLate {
		return false
	}
	return 2*b.Late >= b.Polls || (b.DatedGaps > 0 && 10*b.Late >= b.Polls)
}

// BehindAdvice is what to do about a poller that is behind: the same
// words in the log and on /status.
const BehindAdvice = "the CPU, or the pipeline behind the poller, cannot keep up with these feeds' schedules: add fetchers (run --role fetch, see Scaling out), lengthen intervals (poller.min_interval, a feed's min_interval) or poll fewer feeds on this instance"

// Summary says what the window saw, in a sentence.
func (b Behind) Summary() string {
	return fmt.Sprintf("%d of %d polls in the last %s started late (mean lag %s, max %s), %d more late only for their host's per_host_concurrency, %d due polls wait for a slot now, %d polls found every item new (%d with dates that show the hole)",
		b.Late, b.Polls, b.Window.Round(time.Second), b.MeanLag.Round(time.Millisecond), b.MaxLag.Round(time.Millisecond), b.HostQueued, b.Waiting, b.Gaps, b.DatedGaps)
}

// behindSpan is one slice of the window.
type behindSpan struct {
	slot                                 int64 // time since the Unix epoch / behindEvery: which slice it holds
	polls, late, hostQueued, gaps, dated int
	lagSum, lagMax                       time.Duration
}

const (
	behindEvery = 10 * time.Second // a slice of the window
	behindSpans = 6                // slices: the window is a minute
	// behindWarnEvery spaces the log's warnings while the poller stays
	// behind: one a window would bury the rest of the log.
	behindWarnEvery = 5 * time.Minute
)

// behindWindow counts the last minute of polls in slices of behindEvery.
// Workers write it at each poll; it takes a lock, as a poll takes several.
type behindWindow struct {
	mu       sync.Mutex
	spans    [behindSpans]behindSpan
	started  time.Time // the poller's start: the window early in a run
	warned   time.Time // the last warning, zero before any
	lastSlot int64     // the newest slice written
}

// span is the slice for now, emptied if it held an older one; rolled is
// true when now opened a new slice.
//
// A poll that started before the newest slice opened but is counted
// after (workers race to the lock) goes into the newest slice: emptying
// its own slot's span again would drop what the newest slice holds.
func (w *behindWindow) span(now time.Time) (s *behindSpan, rolled bool) {
	slot := max(now.UnixNano()/int64(behindEvery), w.lastSlot)
	s = &w.spans[slot%behindSpans]
	if s.slot != slot {
		*s = behindSpan{slot: slot}
	}
	rolled = slot > w.lastSlot
	w.lastSlot = slot
	return s, rolled
}

// polled counts a poll whose request started now, lag after it fell due
// (the poller's part: pollerLag) and hostWait more for its host's slot,
// on a feed polled every interval. rolled is true when the poll opened a
// new slice: the time to look at the window as a whole (Poller.polled).
func (w *behindWindow) polled(now time.Time, lag, hostWait, interval time.Duration) (rolled bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, rolled := w.span(now)
	s.polls++
	s.lagSum += lag
	s.lagMax = max(s.lagMax, lag)
	switch {
	case isLate(lag, interval):
		s.late++
	case isLate(lag+hostWait, interval):
		s.hostQueued++
	}
	return rolled
}

// isLate reports whether a poll that started lag after it fell due
// slipped its feed's cadence: by more than a quarter of its interval.
func isLate(lag, interval time.Duration) bool { return lag > 0 && 4*lag > interval }

// gap counts a poll that found every item new; dated when its dates show
// the hole.
func (w *behindWindow) gap(now time.Time, dated bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, _ := w.span(now)
	s.gaps++
	if dated {
		s.dated++
	}
}

// read sums the slices of the last minute.
func (w *behindWindow) read(now time.Time) Behind {
	w.mu.Lock()
	defer w.mu.Unlock()
	slot := now.UnixNano() / int64(behindEvery)
	var b Behind
	var lagSum time.Duration
	for _, s := range w.spans {
		if s.slot <= slot-behindSpans || s.slot > slot {
			continue
		}
		b.Polls += s.polls
		b.Late += s.late
		b.HostQueued += s.hostQueued
		b.Gaps += s.gaps
		b.DatedGaps += s.dated
		lagSum += s.lagSum
		b.MaxLag = max(b.MaxLag, s.lagMax)
	}
	if b.Polls > 0 {
		b.MeanLag = lagSum / time.Duration(b.Polls)
	}
	b.Window = behindEvery * behindSpans
	if !w.started.IsZero() {
		b.Window = min(b.Window, now.Sub(w.started))
	}
	return b
}

// warnNow reports whether a warning is due now, and if so notes it.
func (w *behindWindow) warnNow(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.warned.IsZero() && now.Sub(w.warned) < behindWarnEvery {
		return false
	}
	w.warned = now
	return true
}

// Behind says whether the poller kept its feeds' schedules over the last
// minute: /status shows it.
func (p *Poller) Behind() Behind {
	b := p.behind.read(time.Now())
	b.Waiting = int(p.waiting.Load())
	return b
}

// polled counts a poll whose request started now; as each slice of the
// window opens, while the poller is behind, it warns at most every
// behindWarnEvery (wirestream_feed_poller_behind reads the window itself,
// at each scrape).
func (p *Poller) polled(now time.Time, lag, hostWait, interval time.Duration) {
	if !p.behind.polled(now, lag, hostWait, interval) {
		return
	}
	b := p.Behind()
	if !b.IsBehind() {
		return
	}
	if p.behind.warnNow(now) {
		p.log.Warn("the poller is behind its feeds' schedules: "+BehindAdvice,
			"late_polls", b.Late, "polls", b.Polls, "window", b.Window.Round(time.Second),
			"mean_lag", b.MeanLag.Round(time.Millisecond), "max_lag", b.MaxLag.Round(time.Millisecond),
			"host_queued", b.HostQueued, "waiting", b.Waiting, "gaps", b.Gaps, "dated_gaps", b.DatedGaps)
	}
}
