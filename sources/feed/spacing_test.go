package feed

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wirestream/wirestream/pipeline/record"
)

// request is one fetch as the publisher saw it, on the bubble's clock.
type request struct {
	feed       string
	start, end time.Duration
}

// playSpaced runs feeds through the real poller under testing/synctest,
// each fetch taking took (of the bubble's clock) and answering 304 after
// a first 200 with undated items, and returns every request in the order
// they started.
func playSpaced(t *testing.T, cfg Config, feeds []string, took time.Duration, run time.Duration) []request {
	t.Helper()
	return playSpacedOn(t, cfg, feeds, took, run, NewMetrics(nil))
}

// playSpacedOn is playSpaced recording into m.
func playSpacedOn(t *testing.T, cfg Config, feeds []string, took time.Duration, run time.Duration, m *Metrics) []request {
	t.Helper()
	var reqs []request
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		specs := make([]Spec, len(feeds))
		for i, f := range feeds {
			specs[i] = Spec{URL: f}
		}
		p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, m)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		polled := map[string]int{}
		p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
			mu.Lock()
			i := len(reqs)
			reqs = append(reqs, request{feed: req.URL, start: time.Since(t0)})
			polled[req.URL]++
			first := polled[req.URL] == 1
			mu.Unlock()
			time.Sleep(took)
			mu.Lock()
			reqs[i].end = time.Since(t0)
			mu.Unlock()
			if first {
				return ok200(rssDoc("Slow", "a", "b"), `"v1"`), nil
			}
			return &fetchResult{Status: http.StatusNotModified}, nil
		}
		runPoller(p, run, func(record.Batch) (bool, error) { return true, nil })
	})
	return reqs
}

// A feed's interval is the spacing of its requests' starts, however long
// each takes up to half the interval; a host slower than that gets half an
// interval of rest after each response; and requests queued behind the
// per-host limit are spaced from when they were sent, never closer.
func TestTheIntervalSpacesThePollsStarts(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = time.Minute, time.Minute, time.Minute
	cfg.Timeout = 10 * time.Minute // the fake fetches below ignore it; a real one would end at it

	t.Run("a slow response does not stretch the interval", func(t *testing.T) {
		reqs := playSpaced(t, cfg, []string{"https://slow.example/rss"}, 20*time.Second, 5*time.Minute+time.Second)
		requireOneAMinute(t, reqs, 6)
	})

	t.Run("a host slower than half the interval rests half an interval", func(t *testing.T) {
		reqs := playSpaced(t, cfg, []string{"https://tarpit.example/rss"}, 90*time.Second, 6*time.Minute)
		if len(reqs) < 3 {
			t.Fatalf("only %d requests: %v", len(reqs), reqs)
		}
		for i := 1; i < len(reqs); i++ {
			if want := reqs[i-1].end + 30*time.Second; reqs[i].start != want {
				t.Errorf("request %d started at %v; the one before ended at %v: want it at %v, half an interval of rest (requests %v)",
					i, reqs[i].start, reqs[i-1].end, want, reqs)
			}
		}
	})

	t.Run("a response just under half the interval keeps the spacing of starts", func(t *testing.T) {
		reqs := playSpaced(t, cfg, []string{"https://busy.example/rss"}, 29*time.Second, 3*time.Minute+time.Second)
		requireOneAMinute(t, reqs, 4)
	})

	t.Run("requests queued behind the per-host limit keep their spacing", func(t *testing.T) {
		c := cfg
		c.PerHostConcurrency = 1
		feeds := []string{"https://one.example/a", "https://one.example/b", "https://one.example/c"}
		reqs := playSpaced(t, c, feeds, 25*time.Second, 10*time.Minute)
		last := map[string]time.Duration{}
		n := map[string]int{}
		for i, r := range reqs {
			if i > 0 && r.start < reqs[i-1].end {
				t.Errorf("request %v started while %v ran, over the per-host limit of 1", r, reqs[i-1])
			}
			if prev, ok := last[r.feed]; ok && r.start-prev < time.Minute {
				t.Errorf("%s polled at %v and %v: closer than its 1m interval", r.feed, prev, r.start)
			}
			last[r.feed] = r.start
			n[r.feed]++
		}
		// Three 25 s requests a minute do not fit one slot: the host's
		// capacity (one request at a time) sets the pace, 24 in 10 min.
		for _, f := range feeds {
			if n[f] < 7 {
				t.Errorf("%s polled %d times in 10 minutes, want at least 7 (%v)", f, n[f], reqs)
			}
		}
	})
}

// A poll due at t starts at t while there is capacity: the scheduler
// loses no time of a feed's cycle (wirestream_feed_poll_lag_seconds stays
// at zero on the bubble's clock). Waiting for a busy host's slot is lag
// and shows there; it does not move the feed's cadence, so a feed due
// together with another behind one slot waits at each of its polls.
func TestAPollDueStartsWhenDueWhileThereIsCapacity(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = time.Minute, time.Minute, time.Minute
	cfg.Timeout = 10 * time.Minute

	m := NewMetrics(nil)
	feeds := []string{"https://a.example/rss", "https://b.example/rss", "https://c.example/rss"}
	reqs := playSpacedOn(t, cfg, feeds, 5*time.Second, 5*time.Minute+time.Second, m)
	if n, sum := lagOf(t, m); n != uint64(len(reqs)) || n < 18 || sum != 0 {
		t.Errorf("%d polls (%d requests) lagged %v in all; want every poll of the 3 feeds, 6 each, started when due", n, len(reqs), sum)
	}

	c := cfg
	c.PerHostConcurrency = 1
	m = NewMetrics(nil)
	feeds = []string{"https://one.example/a", "https://one.example/b"}
	reqs = playSpacedOn(t, c, feeds, 5*time.Second, 5*time.Minute+time.Second, m)
	// The second feed waits 5 s at each poll, and its next is due a
	// minute after the last fell due, not after it started: 6 + 5 polls,
	// 5 × 5 s of lag in all (which feed waits may alternate), and each
	// feed's requests start a minute apart give or take that wait.
	if n, sum := lagOf(t, m); n != 11 || sum != 25 {
		t.Errorf("two feeds due together behind one slot: %d polls lagged %vs in all, want 11 polls and 25 s (5 s at each poll but the first feed's first)", n, sum)
	}
	last := map[string]time.Duration{}
	for _, r := range reqs {
		if prev, ok := last[r.feed]; ok && (r.start-prev < 55*time.Second || r.start-prev > 65*time.Second) {
			t.Errorf("%s polled at %v and %v, want a minute apart give or take the 5 s wait", r.feed, prev, r.start)
		}
		last[r.feed] = r.start
	}
}

// lagOf is the count and sum (seconds) of m's poll-lag histogram.
func lagOf(t *testing.T, m *Metrics) (uint64, float64) {
	t.Helper()
	var d dto.Metric
	if err := m.PollLag.Write(&d); err != nil {
		t.Fatal(err)
	}
	return d.GetHistogram().GetSampleCount(), d.GetHistogram().GetSampleSum()
}

// requireOneAMinute checks that reqs are n requests started exactly a
// minute apart from the bubble's start.
func requireOneAMinute(t *testing.T, reqs []request, n int) {
	t.Helper()
	if len(reqs) != n {
		t.Fatalf("%d requests in %d minutes, want %d (one a minute): %v", len(reqs), n-1, n, reqs)
	}
	for i, r := range reqs {
		if want := time.Duration(i) * time.Minute; r.start != want {
			t.Errorf("request %d started at %v, want %v (requests %v)", i, r.start, want, reqs)
		}
	}
}
