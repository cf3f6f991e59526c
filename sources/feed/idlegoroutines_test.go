package feed

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Idle feeds are records in the poller's due-time heap, not goroutines:
// at 10,000 feeds a goroutine each kept 45–49 MB of stacks at the
// 4 KB floor (round 37, feedmem37). Once every feed polled, was acked and
// waits for its next poll, the poller's goroutines are its scheduler and
// at most 2 × global_concurrency parked workers, whatever the number of
// feeds.
func TestIdleFeedsHoldNoGoroutineEach(t *testing.T) {
	const feeds = 2000
	cfg := DefaultConfig()
	cfg.PerHostConcurrency, cfg.GlobalConcurrency, cfg.StartSpread = 4, 4, 0
	specs := make([]Spec, feeds)
	for i := range specs {
		specs[i] = Spec{URL: fmt.Sprintf("https://idle.example/feed/%d", i)}
	}
	store := &countingStore{}
	p, err := NewPoller(cfg, specs, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
		id := strings.TrimPrefix(req.URL, "https://idle.example/feed/")
		return ok200(rssDoc("Feed", id+"-a", id+"-b"), `"v1"`), nil
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range out {
			b.Ack(context.Background(), nil)
		}
	})
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, out) }()
	deadline := time.Now().Add(time.Minute)
	for store.count() < feeds {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of %d feeds saved their first poll", store.count(), feeds)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Every feed saved; the goroutines that ran the last steps give
	// their feeds back and park or end.
	allowed := before + 2 + 2*cfg.GlobalConcurrency // the sink, Run, the parked workers
	var now int
	for range 100 {
		if now = runtime.NumGoroutine(); now <= allowed {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(out)
	wg.Wait()
	if now > allowed {
		t.Errorf("%d idle feeds run %d goroutines (%d before), want at most %d: one per idle feed is back", feeds, now, before, allowed)
	}
	if n := runtime.NumGoroutine(); n > before+1 {
		t.Logf("after Run returned: %d goroutines (%d before)", n, before)
	}
}
