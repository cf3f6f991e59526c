package feed

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// busyScene is the scene of TestABusyHostsDueFeedsDoNotDelayOtherHosts
// and BenchmarkBusyHostBesideOthers, on the bubble's clock: 30 feeds of
// busy.example, whose one per_host_concurrency slot a 2-s server holds,
// beside 10 feeds of 10 other hosts that answer at once, every feed
// polled every 10 s, with global_concurrency 2 (4 slots of
// Poller.unsent).
type busyScene struct {
	mu     sync.Mutex
	start  time.Time
	others map[string][]time.Time // each other host's feed's request times
	busy   int                    // requests to busy.example
	behind Behind                 // the poller's, a second before it stopped
}

const (
	busyInterval = 10 * time.Second
	busyServe    = 2 * time.Second
	busySpread   = time.Second
)

// runBusyScene runs the scene for d; call it inside a synctest bubble.
func runBusyScene(d time.Duration) (*busyScene, error) {
	cfg := schedCfg()
	cfg.MinInterval, cfg.MaxInterval, cfg.DefaultInterval = busyInterval, busyInterval, busyInterval
	cfg.StartSpread = busySpread
	cfg.GlobalConcurrency = 2
	cfg.PerHostConcurrency = 1
	var specs []Spec
	for i := range 30 {
		specs = append(specs, Spec{URL: fmt.Sprintf("https://busy.example/rss%d", i)})
	}
	for i := range 10 {
		specs = append(specs, Spec{URL: fmt.Sprintf("https://other%d.example/rss", i)})
	}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	h := &busyScene{start: time.Now(), others: map[string][]time.Time{}}
	p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
		if strings.HasPrefix(req.URL, "https://busy.example/") {
			h.mu.Lock()
			h.busy++
			h.mu.Unlock()
			time.Sleep(busyServe) // the host's one slot is held meanwhile
		} else {
			h.mu.Lock()
			h.others[req.URL] = append(h.others[req.URL], time.Now())
			h.mu.Unlock()
		}
		return ok200(rssDoc("F", req.URL+"#a", req.URL+"#b"), "v1"), nil
	}
	go func() {
		time.Sleep(d - time.Second)
		h.mu.Lock()
		h.behind = p.Behind()
		h.mu.Unlock()
	}()
	runPoller(p, d, func(record.Batch) (bool, error) { return true, nil })
	return h, nil
}

// gaps are the times between an other host's feed's requests, its first
// from the end of the start spread.
func (h *busyScene) gaps(url string) []time.Duration {
	prev := h.start.Add(busySpread)
	var gaps []time.Duration
	for _, a := range h.others[url] {
		gaps = append(gaps, a.Sub(prev))
		prev = a
	}
	return gaps
}

// A host with more feeds due at once than the poller has slots for
// parsed documents (Poller.unsent, 2 × global_concurrency) kept every
// other host's feeds waiting: each of its due feeds took one of those
// slots, then waited for the host's per_host_concurrency slot with it,
// while the CPU idled (round 45, pace45: 32 of 47 polls late). An other
// host's poll may wait for one poll's time (a slot coming free), never
// for the busy host's queue.
func TestABusyHostsDueFeedsDoNotDelayOtherHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := runBusyScene(2 * time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if h.busy < 50 {
			t.Fatalf("the busy host was polled %d times in 2 minutes, want its slot kept busy (≈ 60)", h.busy)
		}
		for i := range 10 {
			u := fmt.Sprintf("https://other%d.example/rss", i)
			gaps := h.gaps(u)
			if len(gaps) < 10 {
				t.Errorf("%s polled %d times in 2 minutes every %v, want ≥ 10: gaps %v", u, len(gaps), busyInterval, gaps)
				continue
			}
			if longest := slices.Max(gaps); longest > busyInterval+busyServe {
				t.Errorf("%s waited %v between polls (every %v; a poll takes %v): gaps %v", u, longest, busyInterval, busyServe, gaps)
			}
		}
	})
}

// BenchmarkBusyHostBesideOthers runs the scene of
// TestABusyHostsDueFeedsDoNotDelayOtherHosts for 3 minutes of the
// bubble's clock and reports the other hosts' polls and those that came
// more than a quarter interval late (Behind's measure), the longest gap
// between two of a feed's, the busy host's polls, and Behind's last
// minute.
func BenchmarkBusyHostBesideOthers(b *testing.B) {
	for range b.N {
		synctest.Test(&testing.T{}, func(t *testing.T) {
			h, err := runBusyScene(3 * time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			var polls, late int
			var longest time.Duration
			for u := range h.others {
				for _, g := range h.gaps(u) {
					polls++
					if isLate(g-busyInterval, busyInterval) {
						late++
					}
					longest = max(longest, g)
				}
			}
			b.ReportMetric(float64(polls), "other-polls")
			b.ReportMetric(float64(late), "other-late")
			b.ReportMetric(longest.Seconds(), "other-max-gap-s")
			b.ReportMetric(float64(h.busy), "busy-polls")
			b.ReportMetric(float64(h.behind.Polls), "window-polls")
			b.ReportMetric(float64(h.behind.Late), "window-late")
			b.ReportMetric(float64(h.behind.HostQueued), "window-host-queued")
		})
	}
}
