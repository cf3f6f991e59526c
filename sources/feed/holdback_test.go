package feed

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// arrivals records when each request reached a server.
type arrivals struct {
	mu sync.Mutex
	at []time.Time
}

func (a *arrivals) add(t time.Time) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = append(a.at, t)
	return len(a.at)
}

func (a *arrivals) times() []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Time(nil), a.at...)
}

// A host that answers one feed 429 with Retry-After: 2 hears from none of
// the poller's feeds for those 2 s — three feeds on it, polled every
// 100 ms — while a feed on another host is read all along. Before, the
// Retry-After held back only the feed it was sent to: the host's other
// feeds kept requesting it every 100 ms.
func TestHostAskingOneFeedToWaitHoldsBackEveryFeedOnIt(t *testing.T) {
	var busy, other arrivals
	var mu sync.Mutex
	var told time.Time // when the 429 was sent
	feed := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Feed "+r.URL.Path, r.URL.Path+"-1"))
	}
	a := newServerOn(t, "127.0.0.91", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if busy.add(time.Now()) == 1 {
			mu.Lock()
			told = time.Now()
			mu.Unlock()
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		feed(w, r)
	}))
	b := newServerOn(t, "127.0.0.92", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(time.Now())
		feed(w, r)
	}))
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.91", "127.0.0.92"}
	cfg.StartSpread = 0
	// One request at a time to a host: none is in flight when the 429 comes.
	cfg.PerHostConcurrency = 1
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 100*time.Millisecond, 100*time.Millisecond, 100*time.Millisecond
	cfg.BackoffInitial, cfg.BackoffMax = 100*time.Millisecond, time.Second
	specs := []Spec{{URL: a.URL + "/a1"}, {URL: a.URL + "/a2"}, {URL: a.URL + "/a3"}, {URL: b.URL + "/b"}}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	wg.Go(func() { _ = p.Run(ctx, out) })
	wg.Go(func() {
		for {
			select {
			case b := <-out:
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	})
	// Until the busy host is asked again after the 429 (bounded: a guard
	// against hanging, not a timing assertion).
	guard := time.Now().Add(15 * time.Second)
	for len(busy.times()) < 2 && time.Now().Before(guard) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	mu.Lock()
	until := told.Add(2 * time.Second)
	mu.Unlock()
	got := busy.times()
	if len(got) < 2 {
		t.Fatalf("the busy host was asked %d times in 15 s; want again after its Retry-After", len(got))
	}
	for i, at := range got[1:] {
		if at.Before(until) {
			t.Errorf("request %d reached the busy host %v after its 429 with Retry-After: 2", i+2, at.Sub(told).Round(time.Millisecond))
		}
	}
	var during int
	for _, at := range other.times() {
		if at.After(told) && at.Before(until) {
			during++
		}
	}
	if during < 2 {
		t.Errorf("the other host was asked %d times while the busy one was held back; want it polled on (every 100 ms)", during)
	}
	if n := testutil.ToFloat64(p.m.HostHolds); n != 1 {
		t.Errorf("wirestream_feed_host_holds_total = %v, want 1", n)
	}
}

// After a hold, a host's requests go again per_host_concurrency at a
// time, hostStartGap apart, as first polls do: not every waiting feed at
// the moment the hold ends. A request that comes once the waves are past
// goes at once; a new 429 starts a new hold.
func TestHeldHostReleasesItsRequestsInWaves(t *testing.T) {
	l := newLimiter(8, 2)
	start := time.Now()
	if !l.holdHost("busy.example", 2*time.Second) {
		t.Fatal("the first hold did not start")
	}
	if l.holdHost("busy.example", time.Second) {
		t.Error("a shorter hold replaced a longer one")
	}
	var at []time.Duration
	for range 5 {
		place, held := l.heldUntil("busy.example", start)
		if !held {
			break
		}
		at = append(at, place.Sub(start).Round(100*time.Millisecond))
	}
	want := []time.Duration{2 * time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 4 * time.Second}
	if len(at) != len(want) {
		t.Fatalf("places %v, want %v", at, want)
	}
	for i := range want {
		if at[i] != want[i] {
			t.Fatalf("places %v, want %v", at, want)
		}
	}
	if _, held := l.heldUntil("other.example", start); held {
		t.Error("a host that never answered 429 is held back")
	}
	if _, held := l.heldUntil("busy.example", start.Add(time.Minute)); held {
		t.Error("a request long after the hold and its waves is held back")
	}
}
