package feed

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/wirestream/wirestream/pipeline/record"
)

// loop polls one feed: wait, fetch, hand over a batch, wait for its ack,
// save the feed's progress, schedule the next poll. It has no goroutine
// of its own: the poller's scheduler (sched.go) runs its steps on
// workers, one step of a feed at a time, so its state is still private
// to one goroutine at a time, and only its steps write the feed's state
// to the store.
type loop struct {
	p    *Poller
	spec Spec
	// name is the feed as its records and /status name it: spec.URL with
	// a password in it as "xxxxx" (record.RedactURL). spec.URL, which
	// the feed is fetched from, keys only what stays with the fetcher:
	// its poll state, its inbox, its WebSub subscription, its entry on
	// the board.
	name string
	// key is the Kafka key of the feed's feed_status records:
	// record.FeedKey(spec.URL), set as the loop starts (Poller.feedKeys).
	key     string
	headers map[string]string
	// The backoffs of fetch failures and of batches the pipeline failed:
	// nil while there is none to continue (fetchBackoff, retryBackoff), a
	// reset backoff being one made anew — two were ≈ 190 bytes of every
	// idle feed's heap (round 39).
	bo     *backoff.ExponentialBackOff
	retry  *backoff.ExponentialBackOff
	st     feedState // delivered state
	sent   bool      // a status was sent since start
	unsent bool      // holds a slot of Poller.unsent
	// savedAt is when st was last written to the store, as monoNow
	// tells it (0: not yet): 8 bytes where a time.Time was 24, the last
	// word that kept a loop out of the 1,024-byte class (a pointerful
	// object of more than 512 bytes carries an 8-byte header).
	savedAt time.Duration

	inbox    *inbox    // pushes from the feed's WebSub hub
	lastPush time.Time // when the last push arrived; zero when pushes stopped

	// Kept from poll to poll, so an unchanged poll allocates little:
	target   *fetchTarget       // the fetch URL parsed, its host key and headers
	deadline pollDeadline       // each poll's timeout
	hold     hostHold           // the slots the running poll holds
	card     *record.FeedStatus // the feed's entry on the poller's board
	due      time.Time          // when the next poll falls due (the scheduler's heap order)
	first    time.Duration      // after the start, when the first poll falls due (firstPolls)
	pace     pace               // how fast the feed publishes: its rank when polls queue
	// heldTill is when its host's hold back last let the feed go, after
	// monoBase (0 for never; a Duration, not a Time, for the loop's size
	// class): Behind counts a poll's lag from there, for the wait before
	// it is the host's, not the poller's.
	heldTill time.Duration

	// The hold back of the feed's host, if any, as its status shows it
	// (record.FeedStatus.HostHeldUntil): while the loop waits for it, and
	// as its last poll's answer left it. Nil while the host is not held,
	// as it mostly is not: the 40 bytes inline kept every loop in the
	// allocator's 1,152-byte class (TestALoopFitsThe1024ByteSizeClass).
	held *shownHold
}

// monoBase is the clock savedAt is read against: monoNow is the
// monotonic time since it, never 0, so a duration compares as
// time.Since of a time.Now would.
var monoBase = time.Now()

func monoNow() time.Duration { return time.Since(monoBase) + 1 }

// shownHold is a host's hold back as a feed's status shows it.
type shownHold struct {
	until time.Time
	why   string
}

// setHeld notes the hold back of the feed's host (none when until is
// zero, as setHold reads it).
func (l *loop) setHeld(until time.Time, why string) {
	switch {
	case until.IsZero():
		l.held = nil
	case l.held == nil:
		l.held = &shownHold{until, why}
	default:
		*l.held = shownHold{until, why}
	}
}

// heldAt is the hold back setHeld noted: zero and "" for none.
func (l *loop) heldAt() (time.Time, string) {
	if l.held == nil {
		return time.Time{}, ""
	}
	return l.held.until, l.held.why
}

func (p *Poller) newLoop(s Spec, headers map[string]string) *loop {
	name := record.RedactURL(s.URL)
	return &loop{p: p, spec: s, name: name, headers: headers, inbox: p.inboxFor(s.URL)}
}

// logger is the poller's logger naming the feed. It is made for each
// message, not kept: a feed logs seldom, and a handler with the feed's
// attribute preformatted was ≈ 200 bytes of every idle feed's heap.
func (l *loop) logger() *slog.Logger { return l.p.log.With("feed_url", l.name) }

// maxBackoffSteps bounds the steps begin resumes a backoff by: a doubling
// each, 64 pass any ratio of backoff_max to backoff_initial.
const maxBackoffSteps = 64

// fetchBackoff is the backoff of the feed's fetch failures, made when the
// first fails.
func (l *loop) fetchBackoff() *backoff.ExponentialBackOff {
	if l.bo == nil {
		l.bo = l.p.newBackoff()
	}
	return l.bo
}

// retryBackoff is the backoff of the feed's failed batches, made when the
// first fails.
func (l *loop) retryBackoff() *backoff.ExponentialBackOff {
	if l.retry == nil {
		l.retry = l.p.newBackoff()
	}
	return l.retry
}

// newBackoff is backoff_initial doubling up to backoff_max, with jitter,
// never giving up on a feed.
func (p *Poller) newBackoff() *backoff.ExponentialBackOff {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = p.cfg.BackoffInitial
	bo.MaxInterval = p.cfg.BackoffMax
	bo.RandomizationFactor = p.cfg.BackoffJitter
	bo.Multiplier = 2
	bo.MaxElapsedTime = 0
	bo.Reset()
	return bo
}

// start takes up the feed's state and plans its first poll: its place
// in the start spread (first), or later if a restart finds it planned
// later. It is the feed's first step (scheduler), on a worker: the feed
// key's hash and the store's load are slow, and a cold start runs many.
func (l *loop) start() {
	l.key = l.p.feedKeys.Of(l.spec.URL)
	l.begin()
	now := time.Now()
	wait := l.first
	if d := l.st.NextPoll.Sub(now); d > wait {
		if most := 2 * l.longestPlan(); d > most {
			// no poll planned it: a host whose clock ran ahead by more
			// than a longest plan (twice it leaves room for one that ran
			// ahead less, or a fetcher's peer's), a damaged or foreign
			// feed_state record; waited for, the feed went unpolled until
			// then (round 40)
			l.logger().Error("feed state: next poll further ahead than any plan; polling within twice the longest plan",
				"next_poll", l.st.NextPoll, "twice_longest_plan", most)
			d = max(most, wait)
		}
		wait = d // a restart does not poll sooner than planned
	}
	l.due = now.Add(wait)
}

// longestPlan is the furthest ahead a poll of this feed plans the next:
// the interval's ceiling (relaxed while pushes arrive), a gone feed's
// retry, the backoff's ceiling with its jitter, a Retry-After honoured.
func (l *loop) longestPlan() time.Duration {
	cfg := l.p.cfg
	_, hi := cfg.bounds(l.spec)
	jittered := time.Duration(float64(cfg.BackoffMax) * (1 + cfg.BackoffJitter))
	return max(hi, l.p.relaxed, cfg.GoneInterval, jittered, cfg.MaxRetryAfter, time.Second)
}

// pollStep is one poll of the feed, fallen due: wait for its host's hold
// and a slot of Poller.unsent (which the scheduler may have taken for
// it, with a place of its host: turn), poll, deliver and wait for the
// ack, then plan the next poll; false when ctx ended.
func (l *loop) pollStep(ctx context.Context, out chan<- record.Batch, turn hostTurn) bool {
	if !l.letGo(ctx, &turn) {
		l.p.limits.unclaim(turn.claimed)
		return false
	}
	if !l.pollAndDeliver(ctx, out, turn) {
		return false
	}
	wait := l.schedule()
	if wait >= releaseAfter {
		l.releaseIdle()
	}
	l.p.m.NextPollDelay.Observe(wait.Seconds())
	return true
}

// pushStep takes one push or push stop from the feed's inbox, as the
// feed's loop did between polls, then plans the next poll; false when
// ctx ended.
func (l *loop) pushStep(ctx context.Context, out chan<- record.Batch) bool {
	select {
	case d := <-l.inbox.pushes:
		if !l.pushed(ctx, out, d) {
			return false
		}
	case <-l.inbox.stopped:
		l.pushStopped(time.Now())
	default:
	}
	l.schedule()
	return true
}

// releaseAfter is the wait for the next poll from which a feed lets go
// of its poll's context and fetch target (releaseIdle): making them again
// costs ≈ 3 µs of CPU a poll, about what our code spends on a 304
// (BenchmarkIdlePollCPU, fake fetch: 6.5 → 9.7 µs), so a feed polled every
// few seconds keeps them; one polled at poller.min_interval's default or
// slower pays it at most once a minute.
const releaseAfter = time.Minute

// releaseIdle lets go of what only a running poll uses, before the feed
// waits for its next one: the poll deadline's context and timer (and the
// child registration and request contexts they collect) and the parsed
// fetch target with its conditional header — 1.15 KB of an idle feed's
// 8.1 KB of heap (BenchmarkIdleFeedMemory; round 37, feedmem37). The next
// poll makes them again (pollDeadline.start, fetchTarget): a context, a
// timer, a parse of the URL and a header map, once a poll.
func (l *loop) releaseIdle() {
	l.deadline.close()
	l.target = nil
}

// begin takes up the feed's state from the store and shows it on the
// board and in the metrics. (Kept out of start as pollAndDeliver is out
// of pollStep: when a feed's own goroutine waited with its caller's
// frame, the loaded feedState stayed in it.)
//
//go:noinline
func (l *loop) begin() {
	l.st = l.load()
	// resume the backoff where a restart left it: a step a failure, up to
	// the steps that take it to backoff_max (after which a step changes
	// nothing), so a saved count of millions costs no more
	for range min(l.st.Failures, maxBackoffSteps) {
		l.fetchBackoff().NextBackOff()
	}
	if l.st.Health != "" {
		l.p.m.Feeds.WithLabelValues(string(l.st.Health)).Inc()
	}
	// Until its first poll the feed shows what the store remembers (no
	// health at all for a new feed).
	l.card = l.statusOf(&l.st, l.st.LastAttempt, counts{})
	l.p.board.set(l.spec.URL, l.card)
}

// end takes the stopped feed off the metrics and the board.
func (l *loop) end() {
	if l.st.Health != "" {
		l.p.m.Feeds.WithLabelValues(string(l.st.Health)).Dec()
	}
	l.p.board.remove(l.spec.URL)
}

// pollAndDeliver polls the feed, which letGo let go, delivers what the
// poll found and adopts its state; false when ctx ended. (Kept out of
// pollStep since round 32's memfeed32, when a feed's own goroutine waited
// between polls with its caller's frame: an idle feed now has no stack.)
//
//go:noinline
func (l *loop) pollAndDeliver(ctx context.Context, out chan<- record.Batch, turn hostTurn) bool {
	res, ok := l.pollWhenLetGo(ctx, turn)
	if !ok {
		return false
	}
	l.setHealth(res.next.Health)
	if len(res.items) > 0 || len(res.dead) > 0 || res.status != nil {
		if !l.deliver(ctx, out, res) {
			return false
		}
		l.releaseUnsent()
	} else {
		l.releaseUnsent()
		// A poll that delivers nothing (a 304, an identical body)
		// usually changes only the schedule. Writing that on every
		// poll was an fsync per poll — 38 % of CPU at 1,700 polls/s —
		// so it is written only when something else changed, or every
		// scheduleSaveEvery; a crash costs at most an early poll.
		if !scheduleOnlyChange(&l.st, &res.next) || l.savedAt == 0 || monoNow()-l.savedAt >= scheduleSaveEvery {
			if l.save(ctx, res.next) == nil {
				l.savedAt = monoNow()
			}
		}
		l.adopt(&res)
	}
	l.showStatus(res.counts)
	return true
}

// pollWhenLetGo polls the feed, which letGo let go (it holds a slot of
// Poller.unsent); false when ctx ended first. A feed waits for its host's
// hold before it takes that slot, and again without it when the hold
// began while it waited for the host's slot: held feeds waiting with
// those slots (2 × global_concurrency) kept every other host's feeds from
// being polled until the hold ended. pollStep waits for the first letGo
// itself, before the poll's frames are on the worker's stack. turn is
// the first poll's: one after a hold waits for its host as any does.
func (l *loop) pollWhenLetGo(ctx context.Context, turn hostTurn) (pollResult, bool) {
	for {
		res, ok := l.poll(ctx, turn)
		if !ok || !res.held {
			return res, ok
		}
		l.releaseUnsent()
		turn = hostTurn{}
		if !l.letGo(ctx, &turn) {
			return pollResult{}, false
		}
	}
}

// letGo waits until the feed's host's hold back, if any, lets it poll,
// then takes a slot of Poller.unsent unless the scheduler took one for
// it; false when ctx ended first. A feed whose host is held waits
// without that slot, or the place of its host the scheduler claimed
// (turn): held feeds holding the 2 × global_concurrency slots kept
// every other host's feeds from being polled.
func (l *loop) letGo(ctx context.Context, turn *hostTurn) bool {
	host := l.fetchTarget().host
	until, why, held := l.p.limits.holdOf(host)
	if held {
		l.releaseUnsent()
		l.p.limits.unclaim(turn.claimed)
		turn.claimed = ""
		l.showHold(until, why) // on /status while it waits
		l.p.m.HeldFeeds.Inc()
	}
	letGo := l.p.limits.waitHeld(ctx, host, &l.hold)
	if held {
		l.p.m.HeldFeeds.Dec()
		l.heldTill = time.Now().Sub(monoBase)
	}
	return letGo && (l.unsent || l.takeUnsent(ctx))
}

// showHold puts the hold back of the feed's host on its entry of the
// board, until when and why.
func (l *loop) showHold(until time.Time, why string) {
	l.setHeld(until, why)
	l.p.board.mu.Lock()
	setHold(l.card, until, why)
	l.p.board.mu.Unlock()
}

// setHold writes a hold back into fs; a zero until clears it.
func setHold(fs *record.FeedStatus, until time.Time, why string) {
	fs.HostHeldUntil, fs.HostHold = nil, ""
	if !until.IsZero() {
		t := until.UTC()
		fs.HostHeldUntil, fs.HostHold = &t, why
	}
}

// schedule sets when the feed's next poll falls due (due, by which the
// scheduler orders its heap) and returns how long until then.
func (l *loop) schedule() time.Duration {
	now := time.Now()
	d := max(l.st.NextPoll.Sub(now), 0)
	l.due = now.Add(d)
	return d
}

// takeUnsent takes a slot of Poller.unsent, waiting for one while the
// pipeline lags; false when ctx ended first.
func (l *loop) takeUnsent(ctx context.Context) bool {
	if !takeSlot(ctx, l.p.unsent) {
		return false
	}
	l.unsent = true
	return true
}

// releaseUnsent gives back the loop's slot of Poller.unsent, if it holds one.
func (l *loop) releaseUnsent() {
	if l.unsent {
		l.unsent = false
		<-l.p.unsent
	}
}

// showStatus refreshes the feed's entry on the board after a poll whose
// document held what n counts.
func (l *loop) showStatus(n counts) {
	l.p.board.mu.Lock()
	l.fillStatus(l.card, &l.st, l.st.LastAttempt, n)
	l.p.board.mu.Unlock()
}

func (l *loop) load() feedState {
	data, err := l.p.store.LoadFeedState(l.spec.URL)
	if err != nil {
		l.p.m.StateErrors.Inc()
		l.logger().Warn("load feed state; starting afresh", "err", err)
		return feedState{V: stateVersion}
	}
	st, err := decodeState(data)
	if err != nil {
		l.p.m.StateErrors.Inc()
		l.logger().Warn("decode feed state; starting afresh", "err", err)
	}
	if st.FetchURL != "" {
		// An earlier release saved a move with its userinfo: saved
		// without it from the next poll on, or not kept (keptMove).
		st.FetchURL, _ = keptMove(l.spec.URL, st.FetchURL)
	}
	return st
}

// scheduleSaveEvery bounds how stale a feed's saved schedule may get when
// its polls change nothing else.
const scheduleSaveEvery = 5 * time.Minute

// scheduleOnlyChange reports whether b differs from a only in when the
// feed was and will be polled (and last found unchanged, last read
// whole): NextPoll, LastAttempt, LastSuccess, Undated, SeenAt and BodyAt. It runs after every poll
// that delivers nothing; reflect.DeepEqual over the state was 7% of the
// CPU at 4,000 polls/s, so every other field is compared here, as
// DeepEqual would (nil and empty apart), and a test fails when a field is
// added to feedState without being added here.
func scheduleOnlyChange(a, b *feedState) bool {
	return a.V == b.V && a.FetchURL == b.FetchURL && a.ETag == b.ETag && a.LastModified == b.LastModified &&
		a.DistrustETag == b.DistrustETag && a.BodyHash == b.BodyHash &&
		sameSlice(a.Seen, b.Seen) && a.Memo.same(b.Memo) && sameSlice(a.Gone, b.Gone) && sameSlice(a.Arrived, b.Arrived) && a.Horizon == b.Horizon &&
		sameSlice(a.Links.Hubs, b.Links.Hubs) && a.Links.Self == b.Links.Self &&
		a.Recent.same(b.Recent) && a.DistrustAt == b.DistrustAt && sameSlice(a.Warnings, b.Warnings) &&
		a.DocHint == b.DocHint && a.CacheFor == b.CacheFor &&
		a.Failures == b.Failures && a.Health == b.Health && a.ErrClass == b.ErrClass && a.Err == b.Err &&
		a.HTTPStatus == b.HTTPStatus &&
		a.SentHealth == b.SentHealth && a.SentClass == b.SentClass && sameSlice(a.SentWarnings, b.SentWarnings) &&
		a.SentAt == b.SentAt
}

// sameSlice answers at once for a slice shared by both states, as a
// poll that reads no body leaves them.
func sameSlice[S ~[]E, E comparable](a, b S) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || slices.Equal(a, b)
}

func (l *loop) save(ctx context.Context, st feedState) error {
	data, err := st.encode()
	if err == nil {
		if ls, ok := l.p.store.(laterStateStore); ok {
			// st shares its maps and slices with the state the loop
			// adopts, and a poll clones them before it changes one in
			// place (feedState), so st still encodes to data whenever
			// the store asks.
			err = ls.SaveFeedStateLater(ctx, l.spec.URL, data, st.encode)
		} else {
			err = l.p.store.SaveFeedState(ctx, l.spec.URL, data)
		}
	}

	switch {
	case errors.Is(err, ErrFeedMoved):
		l.logger().Info("feed moved to another fetcher before this poll's progress was saved; its new owner polls it again from the last saved state (the repeats are dropped by dedupe)", "err", err)
	case err != nil:
		l.p.m.StateErrors.Inc()
		l.logger().Warn("save feed state", "err", err)
	}
	return err
}

func (l *loop) setHealth(h record.Health) {
	if h == l.st.Health {
		return
	}
	if l.st.Health != "" {
		l.p.m.Feeds.WithLabelValues(string(l.st.Health)).Dec()
	}
	l.p.m.Feeds.WithLabelValues(string(h)).Inc()
	if l.st.Health != "" {
		l.logger().Info("feed health changed", "from", l.st.Health, "to", h)
	}
}

// deliver sends the batch and waits for its ack, then adopts the poll's
// state: on success it saves it (the feed's progress is written only
// here, in the feed's step, after Kafka has the records); on a
// failure it rolls the delivery progress back and schedules a re-read
// after the retry backoff, so the items are fetched and offered again
// (at-least-once). Backpressure: the feed is not polled again until then.
// commit_timeout is only a safety net for an ack that never comes; it
// rolls back the same way. A loop whose ctx ends keeps waiting for the
// ack for up to drain_timeout, and saves what was acked within what is
// left of it; it reports false when ctx ended.
func (l *loop) deliver(ctx context.Context, out chan<- record.Batch, res pollResult) bool {
	ack, acked := record.AckChan()
	b := record.Batch{Feed: res.ref, Items: res.items, DeadLetters: res.dead, Status: res.status, Ack: ack}
	select {
	case out <- b:
		l.releaseUnsent() // the pipeline holds the items now
	case <-ctx.Done():
		return false
	}
	sentAt := time.Now()
	stopDrain := context.CancelFunc(func() {})
	defer func() { stopDrain() }()
	timeout := time.NewTimer(l.p.cfg.CommitTimeout)
	defer timeout.Stop()
	// saveCtx is what a save after the ack runs under: ctx, and once ctx
	// ended, the drain, so that a pipeline draining on shutdown has what
	// it acks saved (a save under the ended ctx would give up at once).
	stop, drain, saveCtx := ctx.Done(), (<-chan struct{})(nil), ctx
	draining := func() {
		if drain == nil {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.p.cfg.DrainTimeout)
			stopDrain = cancel
			saveCtx, drain = dctx, dctx.Done()
		}
	}
	for {
		select {
		case err := <-acked:
			l.p.m.CommitWait.Observe(time.Since(sentAt).Seconds())
			if ctx.Err() != nil {
				draining() // ctx ended as the ack came
			}
			l.acked(saveCtx, res, err)
			return ctx.Err() == nil
		case <-timeout.C:
			l.p.m.CommitTimeouts.Inc()
			l.logger().Warn("batch not acked in time; rolling back feed progress", "timeout", l.p.cfg.CommitTimeout, "items", len(res.items))
			l.st = res.next.rollback(l.st)
			return ctx.Err() == nil
		case <-stop:
			// A pipeline draining on shutdown still acks what it took:
			// wait for it, up to drain_timeout, so what it acks is saved.
			stop = nil
			draining()
		case <-drain:
			l.logger().Info("stopped before the batch was acked; the feed is read again on the next start", "items", len(res.items))
			return false
		}
	}
}

// acked adopts the poll's state once the pipeline answered: saved after a
// success, rolled back after a failure.
func (l *loop) acked(ctx context.Context, res pollResult, err error) {
	if err != nil {
		l.failed(res, err)
		return
	}
	l.retry = nil // reset: made anew at the next failure
	if err := l.save(ctx, res.next); err != nil && !errors.Is(err, ErrFeedMoved) {
		// The records are durable but our progress is not: keep the new
		// state in memory so we do not re-send this run.
		l.logger().Warn("the poll's records were acknowledged but saving its progress failed; progress kept in memory only")
	}
	l.adopt(&res)
	l.savedAt = monoNow()
}

// adopt makes a poll's state and pace the feed's: the pipeline acked its
// batch, or it had none. A failed batch's are not adopted (failed, the
// commit timeout): its items are read again and measured then — adopted,
// its pace counted them at both polls (round 47, pollrev47).
func (l *loop) adopt(res *pollResult) {
	l.st = res.next
	l.pace = res.pace
}

// failed handles a batch the pipeline acked with an error: nothing of it
// is durable, so the feed's delivery progress rolls back and the feed is
// read again after the retry backoff, or at its normal schedule if that
// comes first.
func (l *loop) failed(res pollResult, err error) {
	l.p.m.BatchesFailed.Inc()
	// The re-read is a poll: a hub's pushes must not postpone it.
	l.lastPush = time.Time{}
	d := l.retryBackoff().NextBackOff()
	l.st = res.next.rollback(l.st)
	if at := time.Now().Add(d); at.Before(l.st.NextPoll) {
		l.st.NextPoll = at
	}
	l.logger().Warn("batch failed downstream; the feed will be read again", "items", len(res.items),
		"retry_in", time.Until(l.st.NextPoll).Round(time.Second), "err", err)
}
