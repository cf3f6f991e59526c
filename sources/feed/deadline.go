package feed

import (
	"context"
	"fmt"
	"time"
)

// pollTimeoutError ends a poll that took longer than poller.timeout,
// naming the setting and its value: a feed that never ends its body is
// told apart from a slow network by the number. It wraps
// context.DeadlineExceeded, so the poll's error is classed a timeout as a
// context deadline's would be.
type pollTimeoutError struct{ after time.Duration }

func (e pollTimeoutError) Error() string {
	return fmt.Sprintf("poll over poller.timeout (%s)", e.after)
}
func (e pollTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// pollDeadline gives a loop's polls, one at a time, a context that ends
// after the poll timeout. context.WithTimeout for every poll allocated a
// context and a timer and registered both with the loop's context: ~4 %
// of the CPU of a 304 poll. Here one context and one timer serve every
// poll until a poll times out, which replaces them, or until the loop
// lets them go while it waits for its next poll (loop.releaseIdle).
type pollDeadline struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	timeout time.Duration // the timer's, which its cause names
	end     time.Time     // when the timer fires (start, resume)
	left    time.Duration // of the timeout, while paused
}

// start returns the context of a poll starting now, under parent (the
// loop's context, the same for every poll), ending after timeout and
// carrying hold (the loop's, the same for every poll) for the request
// (hostHoldKey). The value context is made with the deadline's, not kept
// by the loop: a feed polled a minute or more apart lets go of both
// between polls (48 B of every idle feed, and 32 B of every loop).
func (d *pollDeadline) start(parent context.Context, timeout time.Duration, hold *hostHold) context.Context {
	if d.ctx != nil && d.timeout != timeout {
		d.close() // its timer's cause names the old timeout
	}
	if d.ctx == nil {
		// The value context over the cancel context, not under it: a
		// cancel context made under a value context over the feed's
		// (feedCtx) would watch it from a goroutine of its own.
		ctx, cancel := context.WithCancelCause(parent)
		d.ctx, d.cancel, d.timeout = context.WithValue(ctx, hostHoldKey{}, hold), cancel, timeout
		cause := pollTimeoutError{after: timeout}
		d.timer = time.AfterFunc(timeout, func() { cancel(cause) })
		d.end = time.Now().Add(timeout)
		return d.ctx
	}
	d.timer.Reset(timeout)
	d.end = time.Now().Add(timeout)
	return d.ctx
}

// pause stops the poll's clock (while it waits for a redirect's host's
// slot); false when the timeout has fired already, or no poll runs.
func (d *pollDeadline) pause() bool {
	if d.timer == nil || !d.timer.Stop() {
		return false
	}
	d.left = time.Until(d.end)
	return true
}

// resume restarts the clock pause stopped, with the time that was left.
func (d *pollDeadline) resume() {
	left := max(d.left, time.Nanosecond)
	d.timer.Reset(left)
	d.end = time.Now().Add(left)
}

// stop ends the poll started last. A timer that fired, or is firing, has
// ended (or is about to end) its context: the next poll gets new ones.
func (d *pollDeadline) stop() {
	if d.timer.Stop() {
		return
	}
	d.close()
}

// close releases the context; the next start makes a new one.
func (d *pollDeadline) close() {
	if d.ctx == nil {
		return
	}
	d.timer.Stop()
	d.cancel(context.Canceled)
	d.ctx, d.cancel, d.timer = nil, nil, nil
}
