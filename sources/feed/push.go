package feed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// HubWatcher learns the WebSub hubs each feed announces (sources/websub
// implements it). FeedLinks is called after every successful poll, from
// the feed's loop, and must return at once.
type HubWatcher interface {
	FeedLinks(feedURL string, hubs []string, self string)
}

// Errors Push returns.
var (
	ErrUnknownFeed = errors.New("not a feed this poller polls")
	ErrPushBusy    = errors.New("the feed's loop has pushes waiting already")
)

// pushQueue bounds the pushes waiting for one feed's loop: a loop busy
// with a poll or a delivery takes them afterwards; beyond this the hub is
// asked to retry (the items are in the feed for the next poll anyway).
const pushQueue = 4

// push is content a hub delivered for a feed.
type push struct {
	contentType string
	body        []byte
}

// inbox is where pushes and push stops wait for a feed's loop. It lives
// as long as the poller, so a loop restarted by the assigner finds it.
// Only a poller with push on (WatchHubs) makes them: their two channels
// are some 0.4 KB a feed, held by every idle feed.
type inbox struct {
	pushes  chan push
	stopped chan struct{} // cap 1: repeated stops collapse
}

// waiting reports whether a push or a push stop waits in the inbox.
func (ib *inbox) waiting() bool { return len(ib.pushes) > 0 || len(ib.stopped) > 0 }

// noInbox is the loops' inbox while push is off: its channels are nil, so
// waiting reports false, the scheduler runs no push step, and pushStep's
// select never takes from them.
var noInbox = &inbox{}

func newInbox() *inbox {
	return &inbox{pushes: make(chan push, pushQueue), stopped: make(chan struct{}, 1)}
}

// inboxOf returns the inbox of a feed this poller polls or polled, or nil.
func (p *Poller) inboxOf(feedURL string) *inbox {
	p.inboxMu.Lock()
	defer p.inboxMu.Unlock()
	return p.inbox[feedURL]
}

// inboxFor returns a feed's inbox, made the first time it is asked for
// (WatchHubs for the feeds the poller was built with, a feed's loop for
// one an assigner hands out); noInbox while push is off.
func (p *Poller) inboxFor(feedURL string) *inbox {
	if p.hubs == nil {
		return noInbox
	}
	p.inboxMu.Lock()
	defer p.inboxMu.Unlock()
	ib := p.inbox[feedURL]
	if ib == nil {
		ib = newInbox()
		p.inbox[feedURL] = ib
	}
	return ib
}

// WatchHubs turns push on: after each successful poll, the hubs and self
// URL a feed announces go to w, and while a feed's pushes arrive it is
// polled at most every relaxed (polling stays as the fallback). Call it
// before Run.
func (p *Poller) WatchHubs(w HubWatcher, relaxed time.Duration) {
	p.hubs, p.relaxed = w, relaxed
	// The feeds the poller was built with take pushes from now on, before
	// their loops start.
	for _, s := range p.feeds {
		p.inboxFor(s.URL)
	}
}

// Push hands content a hub delivered for feedURL to the feed's loop,
// which parses it like a fetched body and delivers its new items through
// the same pipeline and ack as a poll. It never blocks: ErrPushBusy
// means the loop has pushes waiting and the hub should retry later.
// With push off (no WatchHubs) no feed takes pushes: ErrUnknownFeed.
func (p *Poller) Push(_ context.Context, feedURL, contentType string, body []byte) error {
	ib := p.inboxOf(feedURL)
	if ib == nil {
		return fmt.Errorf("push for %s: %w", record.RedactURL(feedURL), ErrUnknownFeed)
	}
	select {
	case ib.pushes <- push{contentType: contentType, body: body}:
		p.pushNotes.note(feedURL)
		return nil
	default:
		p.m.Pushes.WithLabelValues(PushBusy).Inc()
		return fmt.Errorf("push for %s: %w", record.RedactURL(feedURL), ErrPushBusy)
	}
}

// PushStopped says pushes for feedURL stopped (its lease lapsed, its hub
// went away): the feed returns to its normal polling interval at once.
func (p *Poller) PushStopped(feedURL string) {
	if ib := p.inboxOf(feedURL); ib != nil {
		select {
		case ib.stopped <- struct{}{}:
		default:
		}
		p.pushNotes.note(feedURL)
	}
}

// Push outcomes (label of wirestream_feed_pushes_total).
const (
	PushNew       = "new"       // new or revised items, handed to the pipeline
	PushNoNew     = "no_new"    // parsed, nothing new (the poll had them)
	PushIdentical = "identical" // the body of the last poll, byte for byte
	PushError     = "error"     // not a feed: dropped, the next poll reads the feed
	PushBusy      = "busy"      // the loop had pushes waiting: the hub retries
)

// pushing reports whether pushes bring what is new, so polling may relax.
func (l *loop) pushing(now time.Time) bool {
	return l.p.hubs != nil && !l.lastPush.IsZero() && now.Sub(l.lastPush) < l.p.relaxed
}

// relax stretches the wait after a successful poll to the relaxed
// interval while pushes arrive. It overrides the feed's max_interval: with
// a hub pushing, polling is only the safety net.
func (l *loop) relax(d time.Duration, now time.Time) time.Duration {
	if l.pushing(now) {
		return max(d, l.p.relaxed)
	}
	return d
}

// onPush turns a pushed body into a result to deliver, as onBody does a
// fetched one, with two differences: the feed's HTTP validators and body
// hash stay those of the last poll (the push is not a response to them),
// and the items it carries are added to those already seen rather than
// replacing them, because a hub may send only the new entries. A body
// that is not a feed is dropped: the next poll reads the feed.
func (l *loop) onPush(d push, now time.Time) (res pollResult, ok bool) {
	m := l.p.m
	res.ref = l.ref()
	res.pace = l.pace // a push measures none; adopted with its state
	ns := l.st.clone()
	res.next = ns
	if bodyHash(d.body) == ns.BodyHash {
		m.Pushes.WithLabelValues(PushIdentical).Inc()
		return res, false
	}
	doc, err := ParseAtMost(d.body, d.contentType, l.name, now, l.p.cfg.MaxItems)
	if err != nil {
		// Polling does not relax for a hub that pushes what cannot be read.
		m.Pushes.WithLabelValues(PushError).Inc()
		l.logger().Warn("pushed content is not a feed; dropped, the next poll reads the feed", "err", err)
		return res, false
	}
	fresh, dead, _, trusted := l.pick(&ns, &doc, true, now)
	if trusted {
		ns.Recent = mergeRecent(ns.Recent, recentTimes(doc.Items, now))
	}
	res.items, res.dead, res.next = fresh, dead, ns
	if len(fresh) == 0 && len(dead) == 0 {
		m.Pushes.WithLabelValues(PushNoNew).Inc()
		return res, false
	}
	// Only a push that brings something relaxes polling: a hub repeating
	// the feed as it was (the last poll's body, entries already read)
	// shows it is there, not that it delivers.
	l.lastPush = now
	m.Pushes.WithLabelValues(PushNew).Inc()
	return res, true
}

// mergeSeen adds a pushed document's item keys (and their memos) to
// those already seen. A hub pushing far more than a feed holds would grow
// them without bound until the next poll replaces them: past maxSeen, the
// push's own keys replace them, as a poll's would.
func mergeSeen(old, pushed seenList, oldMemo, pushedMemo memoList, maxSeen int) (seenList, memoList) {
	if len(old)+len(pushed) > maxSeen {
		return pushed, pushedMemo
	}
	return mergeSorted(old, pushed, func(e seenEntry) uint64 { return e.Key }),
		memoListFrom(mergeSorted(oldMemo.entries(), pushedMemo.entries(), func(e memoEntry) uint64 { return e.Key }))
}

// mergeRecent joins two newest-first lists of publish times, keeping the
// newest maxRecent.
func mergeRecent(a, b recentList) recentList {
	out := slices.Concat(a.times(), b.times())
	slices.SortFunc(out, func(x, y time.Time) int { return y.Compare(x) })
	out = slices.CompactFunc(out, time.Time.Equal)
	return recentListOf(out[:min(len(out), maxRecent)])
}

// pushed handles one push in the feed's push step: parse, deliver what is
// new through the pipeline exactly as a poll's batch (same backpressure,
// same ack), and defer the next poll while pushes arrive. It reports
// false when ctx ended.
func (l *loop) pushed(ctx context.Context, out chan<- record.Batch, d push) bool {
	now := time.Now()
	if !l.takeUnsent(ctx) {
		return false
	}
	defer l.releaseUnsent()
	res, deliver := l.onPush(d, now)
	if !deliver {
		l.st = res.next
	} else if !l.deliver(ctx, out, res) {
		return false
	}
	// The poll that was due comes no sooner than relaxed_interval after
	// the last one: the hub brings what is new meanwhile.
	if at := l.st.LastSuccess.Add(l.p.relaxed); l.pushing(now) && at.After(l.st.NextPoll) {
		l.st.NextPoll = at
	}
	return true
}

// pushStopped returns the feed to its own polling interval, measured from
// its last poll: a hub that went away may have missed items, so a feed
// whose normal interval has already passed is polled at once.
func (l *loop) pushStopped(now time.Time) {
	l.lastPush = time.Time{}
	normal := l.st.LastSuccess.Add(successInterval(l.p.cfg, l.spec, &l.st, now, false))
	if normal.Before(l.st.NextPoll) {
		l.st.NextPoll = normal
	}
	if l.st.NextPoll.Before(now) {
		l.st.NextPoll = now
	}
	l.logger().Info("pushes stopped; polling at the feed's own interval again", "next_poll", l.st.NextPoll)
}
