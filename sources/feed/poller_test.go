package feed

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// fleet is a set of loopback "publishers", one per address, serving many
// feeds each with ETags, and counting what the poller does to them.
type fleet struct {
	mu       sync.Mutex
	requests map[string]int  // feed path → requests
	uncond   map[string]int  // requests after the first 200 without If-None-Match
	served   map[string]bool // got a 200 at least once
	failing  map[string]bool // answers 503 while broken is set
	broken   atomic.Bool
	maxConc  map[string]int // host → max concurrent requests seen
}

func (f *fleet) handler(host string) http.Handler {
	var cur atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(cur.Add(1))
		defer cur.Add(-1)
		key := host + r.URL.Path
		f.mu.Lock()
		f.maxConc[host] = max(f.maxConc[host], n)
		f.requests[key]++
		if f.served[key] && r.Header.Get("If-None-Match") == "" {
			f.uncond[key]++
		}
		fail := f.failing[key] && f.broken.Load()
		f.mu.Unlock()
		time.Sleep(time.Millisecond) // hold the slot so concurrency shows
		if fail {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		etag := `"` + strings.ReplaceAll(key, "/", "-") + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		f.mu.Lock()
		f.served[key] = true
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(rssDoc("Feed "+key, key+"#1", key+"#2", key+"#3"))
	})
}

func TestPollerThousandFeedsOnLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000-feed run skipped in -short mode")
	}
	const hosts, perHost = 10, 100
	fl := &fleet{requests: map[string]int{}, uncond: map[string]int{}, served: map[string]bool{},
		failing: map[string]bool{}, maxConc: map[string]int{}}
	fl.broken.Store(true)
	cfg := DefaultConfig()
	cfg.MinInterval, cfg.MaxInterval, cfg.DefaultInterval = time.Second, 2*time.Second, time.Second
	cfg.StartSpread = time.Second
	cfg.BackoffInitial, cfg.BackoffMax = 100*time.Millisecond, 500*time.Millisecond
	cfg.PerHostConcurrency, cfg.GlobalConcurrency = 2, 16
	var specs []Spec
	var failingURLs []string
	for h := range hosts {
		ip := fmt.Sprintf("127.0.0.%d", h+2)
		cfg.AllowNetworks = append(cfg.AllowNetworks, ip)
		srv := newServerOn(t, ip, fl.handler(ip))
		for i := range perHost {
			u := fmt.Sprintf("%s/feed/%d", srv.URL, i)
			specs = append(specs, Spec{URL: u, Tags: []string{"host" + fmt.Sprint(h)}})
			if i%50 == 7 {
				fl.failing[ip+fmt.Sprintf("/feed/%d", i)] = true
				failingURLs = append(failingURLs, u)
			}
		}
	}
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	store := newMemStore()
	p, err := NewPoller(cfg, specs, store, StaticAssigner{}, nil, m)
	if err != nil {
		t.Fatal(err)
	}

	// The limiter's promise, measured where it holds: fetches in flight
	// per host. The servers' own count (fl.maxConc) also sees requests
	// the client has given up on while their handlers still run, as at
	// the cancel below: it is read before that.
	var cmu sync.Mutex
	inFlight, clientMax := map[string]int{}, map[string]int{}
	fetch := p.fetch
	p.fetch = func(ctx context.Context, fr fetchRequest) (*fetchResult, error) {
		h := HostKey(fr.URL)
		cmu.Lock()
		inFlight[h]++
		clientMax[h] = max(clientMax[h], inFlight[h])
		cmu.Unlock()
		defer func() {
			cmu.Lock()
			inFlight[h]--
			cmu.Unlock()
		}()
		return fetch(ctx, fr)
	}
	var bmu sync.Mutex
	items := map[string]int{}
	health := map[string]record.Health{}
	out := make(chan record.Batch, 64)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := p.Run(ctx, out); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wg.Go(func() {
		for {
			select {
			case b := <-out:
				bmu.Lock()
				items[b.Feed.URL] += len(b.Items)
				if b.Status != nil {
					health[b.Feed.URL] = b.Status.Health
				}
				bmu.Unlock()
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	})

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second) // a guard against hanging, not a timing assertion
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("two rounds of every healthy feed", func() bool {
		fl.mu.Lock()
		defer fl.mu.Unlock()
		for k, served := range fl.served {
			if served && fl.requests[k] < 2 {
				return false
			}
		}
		return len(fl.served) == hosts*perHost-len(failingURLs)
	})
	bmu.Lock()
	for _, u := range failingURLs {
		if h := health[u]; h != record.HealthDegraded && h != record.HealthFailing {
			t.Errorf("%s health %q while its server fails", u, h)
		}
	}
	bmu.Unlock()
	fl.broken.Store(false) // the failing servers recover
	recoverStart := time.Now()
	waitFor("failing feeds to recover", func() bool {
		bmu.Lock()
		defer bmu.Unlock()
		for _, u := range failingURLs {
			if health[u] != record.HealthOK || items[u] != 3 {
				return false
			}
		}
		return true
	})
	t.Logf("all %d failing feeds delivered and reported ok %s after their servers recovered (backoff_max %s)",
		len(failingURLs), time.Since(recoverStart).Round(10*time.Millisecond), cfg.BackoffMax)
	fl.mu.Lock()
	serverMax := maps.Clone(fl.maxConc)
	fl.mu.Unlock()
	cancel()
	wg.Wait()

	for host, n := range serverMax {
		if n > cfg.PerHostConcurrency {
			t.Errorf("host %s saw %d concurrent requests while polled, limit %d", host, n, cfg.PerHostConcurrency)
		}
	}
	cmu.Lock()
	for host, n := range clientMax {
		if n > cfg.PerHostConcurrency {
			t.Errorf("%d fetches to host %s were in flight at once, limit %d", n, host, cfg.PerHostConcurrency)
		}
	}
	cmu.Unlock()

	fl.mu.Lock()
	defer fl.mu.Unlock()
	total, uncond := 0, 0
	for k, n := range fl.requests {
		total += n
		uncond += fl.uncond[k]
	}
	if uncond != 0 {
		t.Errorf("%d requests after a feed's first 200 were unconditional", uncond)
	}
	for _, u := range specs {
		if items[u.URL] != 3 {
			t.Errorf("%s delivered %d items, want exactly 3 (once each)", u.URL, items[u.URL])
			break
		}
	}
	notMod := testutil.ToFloat64(m.Polls.WithLabelValues(OutcomeNotModified))
	cond := testutil.ToFloat64(m.ConditionalReqs)
	t.Logf("%d requests to %d feeds on %d hosts; max per-host concurrency %v; 304 share of conditional requests %.0f/%.0f",
		total, len(specs), hosts, fl.maxConc, notMod, cond)
	if notMod == 0 || notMod > cond {
		t.Errorf("304s %v, conditional requests %v", notMod, cond)
	}
}
