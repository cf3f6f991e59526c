package feed

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Run's context ended before Run began: no feed may fetch. A feed's
// context (feedCtx) is not registered with Run's, the scheduler cancels
// it once its select takes Run's Done — and a select picks at random
// among ready cases, so an assignment, a step's end or a due poll's slot
// taken before it started a poll under a feed context still live: a
// request sent after shutdown, which a context.WithCancel of Run's
// context never let start.
func TestAFeedDoesNotFetchAfterRunsContextEnded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.StartSpread = 0
	specs := make([]Spec, 8)
	for i := range specs {
		specs[i] = Spec{URL: fmt.Sprintf("https://ended%d.example/feed", i)}
	}
	var fetches atomic.Int32
	for range 2000 {
		p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
			fetches.Add(1)
			return ok200(rssDoc("Feed", "a"), `"v1"`), nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		out := make(chan record.Batch)
		var wg sync.WaitGroup
		wg.Go(func() {
			for b := range out {
				b.Ack(context.Background(), nil)
			}
		})
		if err := p.Run(ctx, out); err != nil {
			t.Fatal(err)
		}
		close(out)
		wg.Wait()
	}
	if n := fetches.Load(); n > 0 {
		t.Errorf("%d fetches under a Run whose context had ended, want none (2000 runs)", n)
	}
}

// A feed context's Err is non-nil only once its Done is closed (the
// context package's own cancelCtx.Err waits on Done for this). This
// stops a cancel halfway — its first store made, Done not yet closed —
// and asks Err: one read lock-free said context.Canceled with Done still
// open. (Err waiting, the test waits up to 2 s for a wrong answer and
// then finishes the cancel; a slow box can only make it pass wrongly
// before the fix, never fail after it.)
func TestAFeedContextsErrIsSetOnlyOnceDoneIsClosed(t *testing.T) {
	f := &schedFeed{ctx: feedCtx{parent: context.Background()}}
	done := f.ctx.Done()
	f.ctx.mu.Lock()
	f.ctx.ended.Store(endedCanceled) // cancel, halfway
	got := make(chan error, 1)
	go func() { got <- f.ctx.Err() }()
	var err error
	answered := false
	select {
	case err = <-got:
		answered = true
		select {
		case <-done:
		default:
			t.Errorf("Err said %v while Done was open", err)
		}
	case <-time.After(2 * time.Second):
	}
	close(f.ctx.done.Load().(chan struct{})) // cancel, the rest
	f.ctx.mu.Unlock()
	if !answered {
		err = <-got
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Err once cancelled: %v, want context.Canceled", err)
	}
}
