package feed

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// feedCtx is an assigned feed's context: its steps run under it, and the
// scheduler cancels it when the feed is removed or Run's context ends
// (scheduler.remove, stopAll). A context.WithCancel of Run's context
// was ≈ 470 B of every idle feed (round 40): the context, its cancel
// function, its entry in Run's context's children, and a children map
// of its own, made for the poll deadline's context (pollDeadline) and
// never given back — a map keeps its table when its last entry is
// deleted. Here the feed's children are a list that is let go of once
// empty, and the context lives inside the feed's schedFeed.
//
// Its values and deadline are its parent's. It is not registered with
// its parent: the scheduler, which watches Run's context, cancels every
// feed when it ends (with the parent's error, as a child context of it
// would have been).
//
// Done and Err are read without the lock (a poll asks them some ten
// times), as a cancel context's Done is.
type feedCtx struct {
	parent context.Context
	mu     sync.Mutex   // making done, cancelling, after
	done   atomic.Value // chan struct{}: made by the first Done, closed by cancel
	ended  atomic.Uint32
	after  *afterFuncs // AfterFunc's functions not yet run or stopped; nil when none
}

// What ended a feedCtx (feedCtx.ended): Err's two errors.
const (
	notEnded uint32 = iota
	endedCanceled
	endedDeadline
)

type afterFuncs []*afterFunc

type afterFunc struct{ f func() }

// closedDone is the Done of a context cancelled before any asked for one.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *feedCtx) Deadline() (time.Time, bool) { return c.parent.Deadline() }
func (c *feedCtx) Value(key any) any           { return c.parent.Value(key) }

func (c *feedCtx) Done() <-chan struct{} {
	if d := c.done.Load(); d != nil {
		return d.(chan struct{})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.done.Load(); d != nil {
		return d.(chan struct{})
	}
	if c.ended.Load() != notEnded {
		return closedDone
	}
	d := make(chan struct{})
	c.done.Store(d)
	return d
}

// Err is nil, read without the lock, until cancel began; then it waits
// for Done to be closed (cancel stores ended first, then closes Done),
// as the context package's cancelCtx.Err does: an Err that said
// Canceled while Done was still open broke the contract.
func (c *feedCtx) Err() error {
	why := c.ended.Load()
	if why == notEnded {
		return nil
	}
	<-c.Done()
	if why == endedDeadline {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// cancel ends the context: with the parent's error if it has ended, else
// context.Canceled. AfterFunc's functions each run in a goroutine of
// their own, as context.AfterFunc's do.
func (c *feedCtx) cancel() {
	why := endedCanceled
	if c.parent.Err() == context.DeadlineExceeded {
		why = endedDeadline
	}
	c.mu.Lock()
	if c.ended.Load() != notEnded {
		c.mu.Unlock()
		return
	}
	c.ended.Store(why)
	if d := c.done.Load(); d != nil {
		close(d.(chan struct{}))
	} else {
		c.done.Store(closedDone) // Done then reads it without the lock
	}
	var fs afterFuncs
	if c.after != nil {
		fs = *c.after
		c.after = nil
	}
	c.mu.Unlock()
	for _, a := range fs {
		go a.f()
	}
}

// AfterFunc arranges for f to run once c is cancelled; stop undoes it
// if f has not been started. A context made from c (context.WithCancel,
// WithTimeout) registers here (the context package's afterFuncer), not
// in a goroutine of its own.
func (c *feedCtx) AfterFunc(f func()) (stop func() bool) {
	a := &afterFunc{f: f}
	c.mu.Lock()
	if c.ended.Load() != notEnded {
		c.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	if c.after == nil {
		c.after = new(afterFuncs)
	}
	*c.after = append(*c.after, a)
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.after == nil {
			return false
		}
		fs := *c.after
		for i, x := range fs {
			if x == a {
				if len(fs) == 1 {
					c.after = nil // let go of the list, as a map never does
				} else {
					fs[i] = fs[len(fs)-1]
					fs[len(fs)-1] = nil
					*c.after = fs[:len(fs)-1]
				}
				return true
			}
		}
		return false
	}
}
