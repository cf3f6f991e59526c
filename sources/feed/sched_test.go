package feed

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

// heldAckRun is a poller fed by a chanAssigner under testing/synctest
// whose pipeline never acks the batches of one feed (slow) until the test
// ends, and acks every other feed's at once: a feed removed while it
// waits for an ack keeps waiting, up to drain_timeout.
type heldAckRun struct {
	assign chanAssigner
	mu     sync.Mutex
	polls  map[string]int
	held   []record.Batch
	logs   testkit.LockedBuffer
	cancel context.CancelFunc
	done   chan struct{}
	sunk   chan struct{}
}

func startHeldAckRun(t *testing.T, slow string) *heldAckRun {
	t.Helper()
	r := &heldAckRun{assign: chanAssigner{ch: make(chan []Spec)}, polls: map[string]int{},
		done: make(chan struct{}), sunk: make(chan struct{})}
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval = time.Minute, time.Minute
	cfg.CommitTimeout, cfg.DrainTimeout = 2*time.Hour, time.Hour
	p, err := NewPoller(cfg, nil, newMemStore(), r.assign, slog.New(slog.NewTextHandler(&r.logs, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.polls[req.URL]++
		// A new item every poll, so every poll yields a batch.
		return ok200(rssDoc("Feed", fmt.Sprintf("item%d", r.polls[req.URL])), ""), nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	out := make(chan record.Batch)
	go func() {
		defer close(r.done)
		p.Run(ctx, out)
	}()
	go func() {
		defer close(r.sunk)
		for {
			select {
			case b := <-out:
				if b.Feed.URL == slow {
					r.mu.Lock()
					r.held = append(r.held, b)
					r.mu.Unlock()
					continue
				}
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	}()
	return r
}

func (r *heldAckRun) pollsOf(url string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.polls[url]
}

func (r *heldAckRun) heldBatches() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.held)
}

// ackHeld acks the batches the pipeline held so far.
func (r *heldAckRun) ackHeld() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.held {
		b.Ack(context.Background(), nil)
	}
	r.held = nil
}

// stop ends the run, acking the held batches so the removed feed's
// step ends without waiting out drain_timeout.
func (r *heldAckRun) stop() {
	r.cancel()
	<-r.sunk
	r.ackHeld()
	<-r.done
}

// A feed that leaves the assignment while its batch waits for the
// pipeline's ack keeps waiting for it (up to drain_timeout), but the
// other feeds go on being polled meanwhile, as they did when each feed
// had its own goroutine: a rebalance that takes a busy feed away must
// not stop every other feed's polls (and stories) for drain_timeout.
func TestRemovedFeedWaitingForItsAckDoesNotStopTheOthersPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow, other := Spec{URL: "https://slow.example/rss"}, Spec{URL: "https://other.example/rss"}
		r := startHeldAckRun(t, slow.URL)
		r.assign.ch <- []Spec{slow, other}
		time.Sleep(90 * time.Second)
		if r.heldBatches() != 1 || r.pollsOf(other.URL) == 0 {
			t.Fatalf("before the removal: %d batches of the slow feed wait for their ack, the other feed polled %d times; want 1 and some",
				r.heldBatches(), r.pollsOf(other.URL))
		}
		r.assign.ch <- []Spec{other} // the slow feed leaves, its ack still awaited
		before := r.pollsOf(other.URL)
		time.Sleep(5 * time.Minute)
		if n := r.pollsOf(other.URL) - before; n < 3 {
			t.Errorf("the other feed (polled every minute) was polled %d times in the 5 minutes after a feed waiting for its ack left the assignment; want at least 3", n)
		}
		r.stop()
		synctest.Wait()
	})
}

// A feed assigned again (its settings changed) while the feed it
// replaces still waits for its batch's ack starts only once that one
// ended: the two would poll the same feed at once, and the leaving one's
// save after its ack would overwrite what the new one read.
func TestFeedReassignedWhileItsStepRunsStartsOnceThatStepEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow, other := Spec{URL: "https://slow.example/rss"}, Spec{URL: "https://other.example/rss"}
		r := startHeldAckRun(t, slow.URL)
		r.assign.ch <- []Spec{slow, other}
		time.Sleep(90 * time.Second)
		if r.heldBatches() != 1 {
			t.Fatalf("%d batches of the slow feed wait for their ack, want 1", r.heldBatches())
		}
		r.assign.ch <- []Spec{other}
		slow.Tags = []string{"changed"}
		r.assign.ch <- []Spec{slow, other}
		time.Sleep(5 * time.Minute)
		if n := r.pollsOf(slow.URL); n != 1 {
			t.Errorf("the slow feed was polled %d times while the feed it replaces waited for its ack, want 1 (that one's poll)", n)
		}
		r.assign.ch <- []Spec{other} // removed again before it started
		r.ackHeld()                  // the leaving feed ends; nothing replaces it
		time.Sleep(2 * time.Minute)
		if n := r.pollsOf(slow.URL); n != 1 {
			t.Errorf("the slow feed was polled %d times after it left the assignment, want 1", n)
		}
		r.assign.ch <- []Spec{slow, other} // nothing leaving: starts at once
		time.Sleep(2 * time.Minute)
		if n := r.pollsOf(slow.URL); n < 2 {
			t.Errorf("the slow feed was polled %d times after it was assigned again, want its new settings polled", n)
		}
		r.stop()
		synctest.Wait()
	})
}

// A feed whose hub pushes faster than the pipeline acks always has a push
// waiting when its step ends; its poll, the safety net for what the hub
// does not send (and the re-read of a push batch that failed), must
// still come when due, as it did when the feed's loop chose between its
// timer and its inbox.
func TestAFeedWhosePushesNeverLetUpIsStillPolledWhenDue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := schedCfg()
		cfg.StartSpread = 0
		p, err := NewPoller(cfg, []Spec{{URL: pushFeed}}, newMemStore(), nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.WatchHubs(&watcher{}, time.Hour) // polled every hour while pushes arrive
		var mu sync.Mutex
		polls := 0
		p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
			mu.Lock()
			defer mu.Unlock()
			polls++
			return withHub(ok200(rssDoc("Pushed", fmt.Sprintf("poll%d", polls)), "")), nil
		}
		hub, stopHub := context.WithCancel(context.Background())
		go func() { // a hub pushing a new entry every 10 s
			for i := 0; ; i++ {
				select {
				case <-time.After(10 * time.Second):
				case <-hub.Done():
					return
				}
				_ = p.Push(hub, pushFeed, "application/rss+xml", rssDoc("Pushed", fmt.Sprintf("push%d", i)))
			}
		}()
		// A pipeline that acks each batch 30 s after it took it.
		runPoller(p, 3*time.Hour-time.Minute, func(b record.Batch) (bool, error) {
			go func() {
				time.Sleep(30 * time.Second)
				b.Ack(context.Background(), nil)
			}()
			return false, nil
		})
		stopHub()
		mu.Lock()
		n := polls
		mu.Unlock()
		if n < 2 {
			t.Errorf("the feed was polled %d times in 3 hours of pushes, want its hourly poll (at least 2)", n)
		}
	})
}
