package feed

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Poller.Run's goroutine is every feed's scheduler and, since round 41
// (feedCtx), the only thing that cancels a feed's context: nothing in its
// loop may block outside its select, or a removed feed's request runs on
// and no other feed is started, stopped or polled. Here every way a step
// can be stuck is taken at once — the one global slot held by a request
// that never answers, a batch whose ack never comes, every slot of the
// unsent documents taken, due feeds queued behind them, pushes arriving —
// and the loop must still take each event: an assignment that removes
// the hung feed ends its request's context at once (no fake time passes),
// a feed assigned then starts, and Run returns once its context ends.
// Run under synctest, so a loop blocked on a channel shows as a feed
// context still live; a watchdog on the real clock bounds a loop blocked
// on a lock.
func TestTheSchedulerTakesEveryEventWhileEveryStepIsStuck(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		synctest.Test(t, schedulerUnderStuckSteps)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Minute): // real time: the test takes well under a second
		buf := make([]byte, 1<<20)
		t.Fatalf("the scheduler did not finish: it blocked outside its select\n%s", buf[:runtime.Stack(buf, true)])
	}
}

func schedulerUnderStuckSteps(t *testing.T) {
	const (
		hung  = "https://hung.example/rss"  // its request never answers until its context ends
		held  = "https://held.example/rss"  // its batch is never acked
		later = "https://later.example/rss" // assigned while the others are stuck
	)
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.GlobalConcurrency, cfg.PerHostConcurrency = 1, 1
	cfg.MinInterval, cfg.DefaultInterval = time.Minute, time.Minute
	cfg.Timeout = 24 * time.Hour // the hung request is ended by its feed's removal, not its timeout
	cfg.CommitTimeout, cfg.DrainTimeout = 24*time.Hour, time.Hour
	assign := chanAssigner{ch: make(chan []Spec)}
	p, err := NewPoller(cfg, nil, newMemStore(), assign, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.WatchHubs(&watcher{}, time.Hour)
	var mu sync.Mutex
	polls := map[string]int{}
	var hungEnded time.Time // when the hung request's context ended
	p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
		mu.Lock()
		polls[req.URL]++
		n := polls[req.URL]
		mu.Unlock()
		if req.URL == hung {
			<-ctx.Done()
			mu.Lock()
			hungEnded = time.Now()
			mu.Unlock()
			return nil, ctx.Err()
		}
		return ok200(rssDoc("Feed", fmt.Sprintf("item%d", n)), ""), nil
	}
	pollsOf := func(u string) int {
		mu.Lock()
		defer mu.Unlock()
		return polls[u]
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan record.Batch)
	var heldBatches []record.Batch
	sunk := make(chan struct{})
	go func() { // acks every batch but the held feed's
		defer close(sunk)
		for {
			select {
			case b := <-out:
				if b.Feed.URL == held {
					heldBatches = append(heldBatches, b)
					continue
				}
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	}()
	ran := make(chan error)
	go func() { ran <- p.Run(ctx, out) }()

	// The held feed delivers first (its batch then waits for its ack for
	// good); then the hung feed takes the one global slot for good, and
	// the other feeds' polls fall due behind it.
	others := []Spec{{URL: "https://a.example/rss"}, {URL: "https://b.example/rss"}, {URL: "https://c.example/rss"}}
	assign.ch <- []Spec{{URL: held}}
	time.Sleep(30 * time.Second)
	assign.ch <- append([]Spec{{URL: held}, {URL: hung}}, others...)
	time.Sleep(5 * time.Minute)
	synctest.Wait()
	if pollsOf(hung) != 1 || pollsOf(held) != 1 {
		t.Fatalf("the hung feed polled %d times, the held one %d; want 1 each", pollsOf(hung), pollsOf(held))
	}
	for _, s := range others {
		_ = p.Push(ctx, s.URL, "application/rss+xml", rssDoc("Feed", "pushed")) // a push note while stuck
	}
	_ = p.Health()

	// The hung feed leaves: its request's context ends at once. (A loop
	// blocked on a channel takes the assignment only once the hung
	// request's timeout freed it, a day of the bubble's clock later.)
	removed := time.Now()
	assign.ch <- append([]Spec{{URL: held}}, others...)
	synctest.Wait()
	mu.Lock()
	ended := hungEnded
	mu.Unlock()
	if !ended.Equal(removed) {
		t.Fatalf("the hung feed left the assignment at %s, and its request's context ended at %s, want at once: the scheduler was blocked", removed, ended)
	}
	// With the global slot free again the others are polled, and a feed
	// assigned now starts, though the held feed's batch still waits.
	assign.ch <- append([]Spec{{URL: held}, {URL: later}}, others...)
	time.Sleep(3 * time.Minute)
	for _, s := range append(others, Spec{URL: later}) {
		if pollsOf(s.URL) == 0 {
			t.Errorf("%s was never polled while the held feed's batch waited for its ack", s.URL)
		}
	}

	cancel()         // Run returns once the held feed's drain ended (drain_timeout)
	close(assign.ch) // and the assigner finished
	<-sunk
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(2 * cfg.DrainTimeout):
		t.Error("Run did not return within twice drain_timeout of its context's end")
	}
	for _, b := range heldBatches {
		b.Ack(context.Background(), nil)
	}
	synctest.Wait()
}
