package feed

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

type feedCtxKey struct{}

// A feed's context behaves as the context.WithCancel of Run's context it
// replaces: values and deadline from Run's, Done closed and Err set when
// the scheduler cancels it (Run's error once Run's context ended), and a
// context made from it ended with it — registered without a goroutine,
// and let go of when it ends first.
func TestAFeedContextIsAChildOfRunsContext(t *testing.T) {
	run, cancelRun := context.WithDeadline(context.WithValue(context.Background(), feedCtxKey{}, "v"), time.Now().Add(time.Hour))
	defer cancelRun()
	f := &schedFeed{ctx: feedCtx{parent: run}}
	var ctx context.Context = &f.ctx
	if ctx.Value(feedCtxKey{}) != "v" {
		t.Error("a feed's context does not carry Run's values")
	}
	if d, ok := ctx.Deadline(); !ok || !d.After(time.Now()) {
		t.Error("a feed's context does not carry Run's deadline")
	}

	goroutines := runtime.NumGoroutine()
	children := make([]context.CancelFunc, 100)
	var childCtxs []context.Context
	for i := range children {
		var c context.Context
		c, children[i] = context.WithTimeout(ctx, time.Hour)
		childCtxs = append(childCtxs, c)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("100 contexts made from a feed's started %d goroutines", n-goroutines)
	}
	for _, c := range children[1:] {
		c()
	}
	if f.ctx.after == nil || len(*f.ctx.after) != 1 {
		t.Fatalf("after 99 of 100 children ended, the feed's context lists %v", f.ctx.after)
	}
	children[0]()
	if f.ctx.after != nil {
		t.Error("a feed's context keeps its list of children after the last ended")
	}

	select {
	case <-ctx.Done():
		t.Fatal("Done closed before the feed was cancelled")
	default:
	}
	live, stop := context.WithCancel(ctx)
	defer stop()
	ran := make(chan struct{})
	context.AfterFunc(ctx, func() { close(ran) })
	f.ctx.cancel()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("a removed feed's context ended with %v, want context.Canceled", ctx.Err())
	}
	select {
	case <-live.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a context made from a feed's did not end with it")
	}
	<-ran
	f.ctx.cancel() // twice: nothing more
	late, stopLate := context.WithCancel(ctx)
	defer stopLate()
	if late.Err() == nil {
		t.Error("a context made from an ended feed's did not end at once")
	}

	// Once Run's context ended, a feed's ends with Run's error.
	ended, endRun := context.WithTimeout(context.Background(), time.Nanosecond)
	defer endRun()
	<-ended.Done()
	g := &schedFeed{ctx: feedCtx{parent: ended}}
	g.ctx.cancel()
	if !errors.Is(g.ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("a feed's context after Run's timed out: %v, want context.DeadlineExceeded", g.ctx.Err())
	}
	if _, open := <-g.ctx.Done(); open {
		t.Error("Done of a context cancelled before any asked is open")
	}
	_ = childCtxs
}
