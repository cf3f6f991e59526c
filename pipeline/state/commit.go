package state

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Commit appends entries to the log — durably, when it returns nil — and
// then calls apply (if not nil) to make the same change in memory, both
// while holding the store's order. On error apply is not called: the caller
// forgets what it meant to commit.
//
// Commits that arrive while another is appending are appended together
// by the next one to take the store's order, in arrival order, with one
// Append (one fsync for the file log), then applied in that order: the
// log and memory end as if they had committed one after another, and a
// failed append fails each of them. So a feed's poll state, saved after
// every poll, shares the sync of the pipeline's commit running beside it.
// An append refused as too large for a record is the exception: it is
// tried again a member at a time (commitGroup), and only a member too
// large alone fails.
//
// The group's Append runs under a context that ends only once the
// context of every commit in it has ended: a log that retries until its
// context ends (the Kafka changelog in an outage) gives up for no member
// while another still waits for it, and holds none of them after all of
// them gave up. A commit whose context ends while its group appends still
// waits for, and returns, the group's result.
func (s *Store) Commit(ctx context.Context, entries []Entry, apply func()) error {
	c := &commit{ctx: ctx, entries: entries, apply: apply, wake: make(chan struct{})}
	s.qmu.Lock()
	s.queued = append(s.queued, c)
	lead := !s.leading
	s.leading = true
	s.qmu.Unlock()
	if !lead {
		// A leader is appending or waiting for the order: it, or the
		// next, takes this commit along and closes wake with the
		// group's result, or hands this commit the lead. Waiting here
		// rather than on mu, the members of a group are released at
		// once when it ends, not each in turn through the mutex.
		<-c.wake
		if c.done {
			return c.err
		}
	}
	s.mu.Lock()
	s.qmu.Lock()
	group := s.queued
	s.queued = nil
	s.qmu.Unlock()
	s.commitGroup(group)
	s.mu.Unlock()
	err := c.err
	for _, g := range group {
		g.done = true
		if g != c {
			close(g.wake)
		}
	}
	// The commits that queued meanwhile are the next group: the first of
	// them leads it.
	s.qmu.Lock()
	if len(s.queued) > 0 {
		close(s.queued[0].wake)
	} else {
		s.leading = false
	}
	s.qmu.Unlock()
	return err
}

// commit is one call of Commit, waiting for the store's order.
type commit struct {
	ctx     context.Context
	entries []Entry
	apply   func()
	// wake is closed when the commit is done (done, err are set) or,
	// not done, when it is to lead the next group.
	wake chan struct{}
	done bool
	err  error
}

// commitGroup appends the entries of group, in order, in one Append, and
// applies them, setting each member's err. A group whose record is too
// large (errEntryTooLarge) is committed one member at a time, in order:
// only a member too large alone fails, not the other feeds' commits that
// queued beside it, nor members that fit a record each but not together.
// Called with s.mu held.
func (s *Store) commitGroup(group []*commit) {
	err := s.commitTogether(group)
	if len(group) > 1 && errors.Is(err, errEntryTooLarge) {
		for _, g := range group {
			s.commitGroup([]*commit{g})
		}
		return
	}
	for _, g := range group {
		g.err = err
	}
}

// commitTogether appends the entries of group, in order, in one Append,
// and applies them. Called with s.mu held.
func (s *Store) commitTogether(group []*commit) error {
	if s.closed {
		return errors.New("state: commit after close")
	}
	if s.log != nil {
		entries := group[0].entries
		if len(group) > 1 {
			entries = nil
			for _, g := range group {
				entries = append(entries, g.entries...)
			}
		}
		if len(entries) > 0 {
			ctx, release := groupContext(group)
			err := s.log.Append(ctx, entries)
			release()
			if err != nil {
				return fmt.Errorf("state: append %d entries: %w", len(entries), err)
			}
		}
	}
	if s.mem != nil {
		for _, g := range group {
			s.mem.append(g.entries)
		}
	}
	for _, g := range group {
		s.applyWritten(g.entries)
		if g.apply != nil {
			g.apply()
		}
	}
	if s.log != nil && s.hintsDue() {
		s.saveHints()
	}
	s.maybeCompact()
	return nil
}

// groupContext returns the context a group's Append runs under: one that
// ends once every member's context has ended, with the cause of the last
// to end, and the latest deadline when every member has one. It carries
// the values of the first member's. release frees what watches the
// members (no goroutine outlives it); call it once the Append returned.
func groupContext(group []*commit) (ctx context.Context, release func()) {
	if len(group) == 1 {
		return group[0].ctx, func() {}
	}
	base := context.WithoutCancel(group[0].ctx)
	var cancelDeadline context.CancelFunc = func() {}
	if last, ok := latestDeadline(group); ok {
		// A log that reads the deadline (to bound one try) sees the one
		// the group really has.
		base, cancelDeadline = context.WithDeadline(base, last)
	}
	gctx, cancel := context.WithCancelCause(base)
	var left atomic.Int64
	left.Store(int64(len(group)))
	stops := make([]func() bool, len(group))
	for i, g := range group {
		stops[i] = context.AfterFunc(g.ctx, func() {
			if left.Add(-1) == 0 {
				cancel(context.Cause(g.ctx))
			}
		})
	}
	return gctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel(nil)
		cancelDeadline()
	}
}

// latestDeadline returns the latest of the members' deadlines, and false
// when one of them has none.
func latestDeadline(group []*commit) (time.Time, bool) {
	var last time.Time
	for _, g := range group {
		d, ok := g.ctx.Deadline()
		if !ok {
			return time.Time{}, false
		}
		if d.After(last) {
			last = d
		}
	}
	return last, true
}
