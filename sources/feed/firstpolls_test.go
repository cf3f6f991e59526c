package feed

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A fetcher's list arrives a partition at a time: each value its assigner
// sends holds the feeds of the partitions caught up so far. Ranking each
// value's feeds afresh put every partition's share of a host into the
// first seconds again (review21: 1,000 feeds of one host over 12
// partitions, 11 first polls due in second 0 and 67 in the first 10 s).
// However the list arrives — whole, in 12 parts at once, in 12 parts 3 s
// apart — a host gets the first polls one whole list gives it: 2 a second
// (per_host_concurrency, a second apart), all 1,000 within 500 s.
func TestFirstPollsOfAListThatArrivesInPartsKeepTheHostsRate(t *testing.T) {
	const feeds, parts = 1000, 12
	var urls []string
	for i := range feeds {
		urls = append(urls, fmt.Sprintf("https://big.example/feed/%d", i))
	}
	var whole []time.Duration // the first polls when the list comes whole
	for _, tc := range []struct {
		name  string
		parts int
		apart time.Duration
	}{
		{"whole", 1, 0},
		{"in 12 parts at once", parts, 0},
		{"in 12 parts 3 s apart", parts, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := firstPollTimes(t, urls, tc.parts, tc.apart)
			if len(first) != feeds {
				t.Fatalf("%d feeds polled, want %d", len(first), feeds)
			}
			perSecond := map[time.Duration]int{}
			var tenth int
			for _, d := range first {
				perSecond[d.Truncate(time.Second)]++
				if d < 10*time.Second {
					tenth++
				}
			}
			t.Logf("first polls of big.example: %d in second 0, %d in the first 10 s, at most %d in a second, the last at %v",
				perSecond[0], tenth, slices.Max(slices.Collect(maps.Values(perSecond))), first[len(first)-1])
			var over []time.Duration
			for s, n := range perSecond {
				if n > 2 {
					over = append(over, s)
				}
			}
			if slices.Sort(over); len(over) > 0 {
				t.Errorf("more than 2 first polls of big.example (per_host_concurrency) in %d seconds, the first from %v", len(over), over[0])
			}
			if tenth > 20 {
				t.Errorf("%d first polls of big.example in the first 10 s, want at most 20", tenth)
			}
			if last := first[len(first)-1]; last > 500*time.Second {
				t.Errorf("the last first poll at %v, want within 500 s (500 waves of 2, a second apart)", last)
			}
			if tc.parts == 1 {
				whole = first
			} else if whole != nil && !slices.Equal(first, whole) {
				t.Errorf("the first polls' times differ from those of the list handed over whole")
			}
		})
	}
}

// firstPollTimes is when each of urls was first polled after the start,
// sorted, when a fetcher's assigner hands them over in parts, apart in
// time.
func firstPollTimes(t *testing.T, urls []string, parts int, apart time.Duration) []time.Duration {
	split := make([][]Spec, parts)
	for i, u := range urls {
		split[i%parts] = append(split[i%parts], Spec{URL: u})
	}
	return slices.Sorted(maps.Values(firstPollsOf(t, nil, split, apart, 11*time.Minute)))
}

// firstPollsOf runs a poller under testing/synctest for run and returns
// when each feed was first polled after the start. With parts nil it
// polls static, as `run` does; else its assigner hands it parts, apart in
// time, each value the feeds of the parts so far, as feedtopics.Assigner
// sends a fetcher's partitions as each is caught up.
func firstPollsOf(t *testing.T, static []Spec, parts [][]Spec, apart, run time.Duration) map[string]time.Duration {
	first := map[string]time.Duration{}
	synctest.Test(t, func(t *testing.T) {
		cfg := schedCfg() // per_host_concurrency 2, start_spread 10m, min_interval 1m
		var assign Assigner
		ch := make(chan []Spec)
		if parts != nil {
			assign = chanAssigner{ch: ch}
		}
		p, err := NewPoller(cfg, static, newMemStore(), assign, nil, NewMetrics(nil))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var mu sync.Mutex
		p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
			mu.Lock()
			defer mu.Unlock()
			if _, ok := first[req.URL]; ok {
				return &fetchResult{Status: http.StatusNotModified}, nil
			}
			first[req.URL] = time.Since(start)
			return ok200(rssDoc("F", "a"), `"e"`), nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		batches := make(chan record.Batch)
		done := make(chan struct{})
		go func() { defer close(done); p.Run(ctx, batches) }()
		go func() {
			for {
				select {
				case b := <-batches:
					b.Ack(context.Background(), nil)
				case <-ctx.Done():
					return
				}
			}
		}()
		var sofar []Spec
		for i, part := range parts {
			if i > 0 {
				time.Sleep(apart)
			}
			sofar = append(sofar, part...)
			ch <- slices.Clone(sofar)
		}
		time.Sleep(run - apart*time.Duration(max(len(parts)-1, 0)))
		synctest.Wait()
		cancel()
		<-done
	})
	return first
}

// A host with more feeds than start_spread holds at a second a wave gets
// its waves closer together. When its list comes in parts, the gap
// follows the feeds it has so far: the waves are never closer than the
// whole list's (no more first polls a second), and the start may run past
// start_spread. A feed added once the start is over is due at once.
func TestFirstPollsOfALargeHostInPartsAreNeverCloserThanTheWholeLists(t *testing.T) {
	const perHost, spread, feeds, parts = 2, 10 * time.Minute, 3000, 3
	var urls []string
	for i := range feeds {
		urls = append(urls, fmt.Sprintf("https://big.example/feed/%d", i))
	}
	whole := newFirstPolls(perHost, spread).gap(feeds) // 1,500 waves in 10 minutes
	t0 := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	f := newFirstPolls(perHost, spread)
	due := map[string]time.Duration{}
	for part := range parts {
		sofar := urls[:(part+1)*feeds/parts]
		for u, d := range f.next(t0, sofar, func(u string) bool { _, ok := due[u]; return !ok }) {
			due[u] = d
		}
	}
	if len(due) != feeds {
		t.Fatalf("%d feeds given a first poll, want %d", len(due), feeds)
	}
	perWave := map[time.Duration]int{}
	for _, d := range due {
		perWave[d]++
	}
	waves := slices.Sorted(maps.Keys(perWave))
	for i, w := range waves {
		if perWave[w] > perHost {
			t.Fatalf("%d first polls at %v, want at most %d", perWave[w], w, perHost)
		}
		if i > 0 && w-waves[i-1] < whole {
			t.Fatalf("waves at %v and %v, closer than the whole list's gap %v", waves[i-1], w, whole)
		}
	}
	last := waves[len(waves)-1]
	t.Logf("%d waves, the last at %v (the whole list at once: the last at %v)", len(waves), last, time.Duration(feeds/perHost-1)*whole)

	later := t0.Add(last + time.Hour)
	more := append(slices.Clone(urls), "https://big.example/feed/new")
	if got := f.next(later, more, func(u string) bool { return u == "https://big.example/feed/new" }); got["https://big.example/feed/new"] != 0 {
		t.Errorf("a feed added an hour after the start is due in %v, want at once", got["https://big.example/feed/new"])
	}
}
