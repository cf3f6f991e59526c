package feed

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/wirestream/wirestream/pipeline/record"
)

// loop polls one feed: wait, fetch, hand over a batch, wait for its
// commit, schedule the next poll. Its state is private to it.
type loop struct {
	p       *Poller
	spec    Spec
	headers map[string]string
	log     *slog.Logger
	bo      *backoff.ExponentialBackOff
	st      feedState // committed state
	sent    bool      // a status was sent since start
	savedAt time.Time // when st was last written to the store
}

func (p *Poller) newLoop(s Spec) *loop {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = p.cfg.BackoffInitial
	bo.MaxInterval = p.cfg.BackoffMax
	bo.RandomizationFactor = p.cfg.BackoffJitter
	bo.Multiplier = 2
	bo.MaxElapsedTime = 0 // never give up on a feed
	bo.Reset()
	return &loop{p: p, spec: s, headers: p.headers[s.URL], bo: bo,
		log: p.log.With("feed_url", s.URL)}
}

func (l *loop) run(ctx context.Context, out chan<- record.Batch) {
	l.st = l.load()
	for range l.st.Failures {
		l.bo.NextBackOff() // resume the backoff where a restart left it
	}
	if l.st.Health != "" {
		l.p.m.Feeds.WithLabelValues(string(l.st.Health)).Inc()
	}
	defer func() {
		if l.st.Health != "" {
			l.p.m.Feeds.WithLabelValues(string(l.st.Health)).Dec()
		}
	}()

	now := time.Now()
	wait := startOffset(l.spec.URL, min(l.p.cfg.StartSpread, l.p.cfg.MinInterval))
	if d := l.st.NextPoll.Sub(now); d > wait {
		wait = d // a restart does not poll sooner than planned
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		select { // see Poller.unsent
		case l.p.unsent <- struct{}{}:
		case <-ctx.Done():
			return
		}
		release := sync.OnceFunc(func() { <-l.p.unsent })
		res, ok := l.poll(ctx)
		if !ok {
			release()
			return
		}
		l.setHealth(res.next.Health)
		if len(res.items) > 0 || res.status != nil {
			if !l.deliver(ctx, out, res, release) {
				release()
				return
			}
			release()
		} else {
			release()
			// A poll that delivers nothing (a 304, an identical body)
			// usually changes only the schedule. Writing that on every
			// poll was an fsync per poll — 38 % of CPU at 1,700 polls/s —
			// so it is written only when something else changed, or every
			// scheduleSaveEvery; a crash costs at most an early poll.
			if !scheduleOnlyChange(l.st, res.next) || time.Since(l.savedAt) >= scheduleSaveEvery {
				if l.save(res.next) == nil {
					l.savedAt = time.Now()
				}
			}
			l.st = res.next
		}
		d := max(time.Until(l.st.NextPoll), 0)
		l.p.m.NextPollDelay.Observe(d.Seconds())
		timer.Reset(d)
	}
}

func (l *loop) load() feedState {
	data, err := l.p.store.LoadFeedState(l.spec.URL)
	if err != nil {
		l.p.m.StateErrors.Inc()
		l.log.Warn("load feed state; starting afresh", "err", err)
		return feedState{V: stateVersion}
	}
	st, err := decodeState(data)
	if err != nil {
		l.p.m.StateErrors.Inc()
		l.log.Warn("decode feed state; starting afresh", "err", err)
	}
	return st
}

// scheduleSaveEvery bounds how stale a feed's saved schedule may get when
// its polls change nothing else.
const scheduleSaveEvery = 5 * time.Minute

// scheduleOnlyChange reports whether b differs from a only in when the
// feed was and will be polled.
func scheduleOnlyChange(a, b feedState) bool {
	for _, st := range []*feedState{&a, &b} {
		st.NextPoll, st.LastAttempt, st.LastSuccess, st.Undated = time.Time{}, time.Time{}, time.Time{}, 0
	}
	return reflect.DeepEqual(a, b)
}

func (l *loop) save(st feedState) error {
	data, err := st.encode()
	if err == nil {
		err = l.p.store.SaveFeedState(l.spec.URL, data)
	}

	if err != nil {
		l.p.m.StateErrors.Inc()
		l.log.Warn("save feed state", "err", err)
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
		l.log.Info("feed health changed", "from", l.st.Health, "to", h)
	}
}

// deliver sends the batch and waits for its commit. Backpressure: the feed
// is not polled again until the pipeline has committed or commit_timeout
// has passed; in the latter case the delivery progress rolls back, so the
// items will be fetched and offered again (at-least-once). It reports
// false when ctx ended.
func (l *loop) deliver(ctx context.Context, out chan<- record.Batch, res pollResult, sent func()) bool {
	c := &commitGate{done: make(chan error, 1), save: func() error { return l.save(res.next) }}
	b := record.Batch{
		Feed:   res.ref,
		Items:  res.items,
		Status: res.status,
		Commit: c.commit,
	}
	select {
	case out <- b:
		sent() // the pipeline holds the items now
	case <-ctx.Done():
		return false
	}
	sentAt := time.Now()
	timeout := time.NewTimer(l.p.cfg.CommitTimeout)
	defer timeout.Stop()
	select {
	case err := <-c.done:
		l.p.m.CommitWait.Observe(time.Since(sentAt).Seconds())
		if err != nil {
			// The records are durable but our progress is not: keep the
			// new state in memory so we do not re-send this run.
			l.log.Warn("commit: saving feed state failed; progress kept in memory only", "err", err)
		}
		l.st = res.next
		l.savedAt = time.Now() // the commit saved it (or logged why not)
	case <-timeout.C:
		c.abandon()
		l.p.m.CommitTimeouts.Inc()
		l.log.Warn("batch not committed in time; rolling back feed progress", "timeout", l.p.cfg.CommitTimeout, "items", len(res.items))
		l.st = res.next.rollback(l.st)
	case <-ctx.Done():
		// Not abandoned: a pipeline draining on shutdown may still commit,
		// and since this loop writes nothing more, that save is safe.
		return false
	}
	return true
}

// commitGate makes Batch.Commit safe to call once, late, or never.
type commitGate struct {
	mu        sync.Mutex
	done      chan error
	save      func() error
	called    bool
	abandoned bool
}

var errCommitTooLate = errors.New("feed poller: commit after the loop gave up waiting (commit_timeout or shutdown); feed progress not saved, items will be fetched again")

func (c *commitGate) commit() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.called {
		return nil
	}
	c.called = true
	if c.abandoned {
		return errCommitTooLate
	}
	err := c.save()
	c.done <- err
	return err
}

func (c *commitGate) abandon() {
	c.mu.Lock()
	c.abandoned = true
	c.mu.Unlock()
}
