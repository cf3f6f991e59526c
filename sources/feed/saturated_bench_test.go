package feed

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// simFeeds are the feeds of BenchmarkSaturatedPollerLosses on the
// bubble's clock: each document shows its newest simItems items; a fast
// feed publishes simBurst items every second, a slow one simBurst every
// simSlowEvery seconds. It counts, as cmd/loadtest's fixture server does,
// the items a fetch shows for the first time and those that rolled off
// between two fetches unseen.
type simFeeds struct {
	mu     sync.Mutex
	start  time.Time
	fast   int   // feeds 0..fast-1 are fast
	served []int // per feed, the highest seq a fetch has shown
	// from the window's start on: items shown first, items lost (those
	// of fast feeds apart), 304s and 200s
	counting                  bool
	shown, lost, lostFast     int
	notModified, whole, polls int
}

const (
	simItems     = 10
	simBurst     = 5
	simSlowEvery = 10
)

// total is how many items feed f has published by now, the first page
// (simItems items from before the start) included.
func (s *simFeeds) total(f int, now time.Time) int {
	rounds := int(now.Sub(s.start) / time.Second)
	if f >= s.fast {
		rounds /= simSlowEvery
	}
	return simItems + rounds*simBurst
}

func (s *simFeeds) fetch(_ context.Context, req fetchRequest) (*fetchResult, error) {
	f, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(req.URL, "https://f"), ".example/rss"))
	now := time.Now()
	total := s.total(f, now)
	etag := `"` + strconv.Itoa(total) + `"`
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counting {
		s.polls++
	}
	if req.ETag == etag {
		if s.counting {
			s.notModified++
		}
		return &fetchResult{Status: 304, ETag: etag}, nil
	}
	first := max(1, total-simItems+1)
	if s.counting {
		s.whole++
		if lost := first - s.served[f] - 1; lost > 0 {
			s.lost += lost
			if f < s.fast {
				s.lostFast += lost
			}
		}
		s.shown += total - max(s.served[f], first-1)
	}
	s.served[f] = max(s.served[f], total)
	items := make([]string, 0, simItems)
	for seq := total; seq >= first; seq-- {
		items = append(items, dated(fmt.Sprintf("f%d-%d", f, seq), now.Add(-time.Duration(total-seq)*time.Millisecond)))
	}
	return ok200(rssDoc("Sim", items...), etag), nil
}

// BenchmarkSaturatedPollerLosses runs a poller whose pipeline cannot
// keep up — one batch at a time, simPerStory of the bubble's clock a
// story and simPerBatch a batch, as round 42's harness measured the
// process (0.68 ms a story; ≈ 0.7 ms a poll's fetch and parse) — over
// 1,000 feeds polled every second, a share of them fast, for
// simWarmup + simWindow of the bubble's clock, and reports per second of
// the window the items it read and those it lost. On the bubble's clock,
// the figures do not depend on the machine's load (the
// wall-clock figures of cmd/loadtest on a shared box do, by 3× from run
// to run).
func BenchmarkSaturatedPollerLosses(b *testing.B) {
	for _, fast := range []int{30, 300, 1000} {
		b.Run(fmt.Sprintf("fast=%d", fast), func(b *testing.B) {
			for range b.N {
				benchSaturatedPoller(b, 1000, fast, 0)
			}
		})
	}
}

// BenchmarkSaturatedPollerLossesAfterRestart is
// BenchmarkSaturatedPollerLosses across a restart: the poller runs
// simWarmup, stops for simDowntime (its feeds' states stay in the
// store), and a new one over the same store is measured for simWindow
// from its start — when every feed's first poll finds what its feed
// published while the poller was down, and the paces start anew. What
// scrolled off during the downtime is not counted.
func BenchmarkSaturatedPollerLossesAfterRestart(b *testing.B) {
	for _, fast := range []int{30, 300, 1000} {
		b.Run(fmt.Sprintf("fast=%d", fast), func(b *testing.B) {
			for range b.N {
				benchSaturatedPoller(b, 1000, fast, simDowntime)
			}
		})
	}
}

const (
	simPerStory = 680 * time.Microsecond
	simPerBatch = 700 * time.Microsecond
	simWarmup   = 30 * time.Second
	simWindow   = 60 * time.Second
	simDowntime = time.Hour
)

// benchSaturatedPoller runs the simulation, with a restart after
// simWarmup and downtime down if downtime > 0.
func benchSaturatedPoller(b *testing.B, feeds, fast int, downtime time.Duration) {
	synctest.Test(&testing.T{}, func(t *testing.T) {
		cfg := schedCfg()
		cfg.MinInterval, cfg.MaxInterval, cfg.DefaultInterval = time.Second, time.Second, time.Second
		cfg.StartSpread = time.Second
		specs := make([]Spec, feeds)
		for f := range specs {
			specs[f] = Spec{URL: fmt.Sprintf("https://f%d.example/rss", f)}
		}
		store := newMemStore()
		s := &simFeeds{start: time.Now(), fast: fast, served: make([]int, feeds)}
		for f := range s.served {
			s.served[f] = simItems
		}
		newPoller := func() (*Poller, *Metrics) {
			m := NewMetrics(nil)
			p, err := NewPoller(cfg, specs, store, nil, nil, m)
			if err != nil {
				b.Fatal(err)
			}
			p.fetch = s.fetch
			return p, m
		}
		pipeline := func(batch record.Batch) (bool, error) {
			time.Sleep(simPerBatch + time.Duration(len(batch.Items))*simPerStory)
			return true, nil
		}
		p, m := newPoller()
		warmup := simWarmup
		if downtime > 0 {
			runPoller(p, simWarmup, pipeline)
			time.Sleep(downtime)
			s.writeOff(time.Now())
			p, m = newPoller()
			warmup = 0
		}
		from := time.Now().Add(warmup)
		s.mu.Lock()
		s.counting = warmup == 0
		s.mu.Unlock()
		var gaps0 float64
		go func() {
			time.Sleep(warmup)
			s.mu.Lock()
			s.counting = true
			s.mu.Unlock()
			gaps0 = testutil.ToFloat64(m.Gaps)
		}()
		runPoller(p, warmup+simWindow, pipeline)
		published := 0
		for f := range feeds {
			published += s.total(f, from.Add(simWindow)) - s.total(f, from)
		}
		w := simWindow.Seconds()
		b.ReportMetric(float64(published)/w, "published/s")
		b.ReportMetric(float64(s.shown)/w, "read/s")
		b.ReportMetric(float64(s.lost)/w, "lost/s")
		b.ReportMetric(float64(s.lostFast)/w, "lost-fast/s")
		b.ReportMetric(float64(s.polls)/w, "polls/s")
		b.ReportMetric(float64(s.notModified)/w, "304/s")
		b.ReportMetric((testutil.ToFloat64(m.Gaps)-gaps0)/w, "gaps/s")
	})
}

// writeOff takes the items that scrolled off each feed's document by now
// unread as served: a restart's downtime lost them, not the window's
// poller.
func (s *simFeeds) writeOff(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.served {
		s.served[f] = max(s.served[f], s.total(f, now)-simItems)
	}
}
