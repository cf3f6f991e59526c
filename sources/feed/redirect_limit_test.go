package feed

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// busyHost is a handler that counts the requests it serves at once. Each
// request waits until all want requests are in or wait passed (a bound, not
// an assertion): without a per-host limit they all overlap.
type busyHost struct {
	want int
	wait time.Duration

	mu        sync.Mutex
	cur, peak int
	all       chan struct{}
	served    atomic.Int32
}

func newBusyHost(want int, wait time.Duration) *busyHost {
	return &busyHost{want: want, wait: wait, all: make(chan struct{})}
}

func (b *busyHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	b.cur++
	b.peak = max(b.peak, b.cur)
	if b.cur == b.want {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
	case <-time.After(b.wait):
	}
	b.mu.Lock()
	b.cur--
	b.mu.Unlock()
	b.served.Add(1)
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(rssDoc("Moved "+r.URL.Path, r.URL.Path+"-1"))
}

func (b *busyHost) peakSeen() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// Feeds on many hosts that all redirect (302) to one host — a
// feedburner-style host, a CDN, a site moved to a new domain — reach that
// host under its own per_host_concurrency: a redirect takes the new
// host's slot before the request to it is sent. Before, the slot held was
// the feed's own host's, so the one target saw up to global_concurrency
// requests at once: the transport's MaxConnsPerHost caps connections,
// not requests, and HTTP/2 (which CDNs speak) multiplexes them all on one
// connection. A feed on another host is read beside them.
func TestFeedsRedirectingToOneHostTakeThatHostsSlot(t *testing.T) {
	const n = 6
	target := newBusyHost(n, 50*time.Millisecond)
	// httptest's certificate names 127.0.0.1 only.
	tgt := httptest.NewUnstartedServer(target)
	tgt.EnableHTTP2 = true
	tgt.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes cut at the test's end
	tgt.StartTLS()
	t.Cleanup(tgt.Close)
	good := newServerOn(t, "127.0.0.61", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Good", "g1"))
	}))
	allow := []string{"127.0.0.1", "127.0.0.61"}
	specs := []Spec{{URL: good.URL + "/feed"}}
	for i := range n {
		ip := fmt.Sprintf("127.0.0.%d", 62+i)
		allow = append(allow, ip)
		path := fmt.Sprintf("/f%d", i)
		src := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, tgt.URL+path, http.StatusFound)
		}))
		specs = append(specs, Spec{URL: src.URL + "/feed"})
	}
	cfg := DefaultConfig()
	cfg.AllowNetworks = allow
	cfg.StartSpread = 0
	cfg.PerHostConcurrency = 2
	got, _ := pollEachWith(t, cfg, specs, nil, func(p *Poller) {
		p.fetcher.transport.TLSClientConfig = tgt.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	})
	for _, s := range got {
		if s.LastError != "" || s.ItemsFound != 1 {
			t.Errorf("%s: error %q, %d items; want read", s.FeedURL, s.LastError, s.ItemsFound)
		}
	}
	if peak := target.peakSeen(); peak > cfg.PerHostConcurrency {
		t.Errorf("the redirects' target served %d requests at once, want at most per_host_concurrency (%d)", peak, cfg.PerHostConcurrency)
	}
	if s := target.served.Load(); s != n {
		t.Errorf("the target served %d requests, want %d: one per feed", s, n)
	}
}

// Two hosts whose feeds redirect to each other, one slot per host: a poll
// gives up its first host's slot before it waits for the second's, so
// neither waits on the other and every feed is read. Holding the first
// slot while waiting for the second would leave each host's one slot held
// by a poll waiting for the other's.
func TestHostsRedirectingToEachOtherDoNotDeadlock(t *testing.T) {
	const perSide = 3
	muxA, muxB := http.NewServeMux(), http.NewServeMux()
	a := newServerOn(t, "127.0.0.70", muxA)
	b := newServerOn(t, "127.0.0.71", muxB)
	var specs []Spec
	serve := func(mux *http.ServeMux, other string, i int) {
		mux.HandleFunc(fmt.Sprintf("/feed%d", i), func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, fmt.Sprintf("%s/doc%d", other, i), http.StatusFound)
		})
		mux.HandleFunc(fmt.Sprintf("/doc%d", i), func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(10 * time.Millisecond) // overlap the polls
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(rssDoc("Doc", r.URL.Path))
		})
	}
	for i := range perSide {
		serve(muxA, b.URL, i)
		serve(muxB, a.URL, i)
		specs = append(specs, Spec{URL: fmt.Sprintf("%s/feed%d", a.URL, i)}, Spec{URL: fmt.Sprintf("%s/feed%d", b.URL, i)})
	}
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.70", "127.0.0.71"}
	cfg.StartSpread = 0
	cfg.PerHostConcurrency = 1
	cfg.GlobalConcurrency = 2
	cfg.Timeout = 5 * time.Second // a deadlock shows as timeouts, not a hang
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		if s.LastError != "" || s.ItemsFound != 1 {
			t.Errorf("%s: error %q, %d items; want read", s.FeedURL, s.LastError, s.ItemsFound)
		}
	}
}

// redirectFleet serves, in memory, n feeds on hosts src0.example … that
// redirect with status to cdn.example, whose every answer takes took (of
// the bubble's clock); it counts the requests each host got and the most
// cdn.example served at once.
type redirectFleet struct {
	status int
	took   time.Duration

	mu        sync.Mutex
	cur, peak int
	hits      map[string]int // host → requests
}

func (f *redirectFleet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Host // a client's request, served in memory: r.Host is empty after a redirect
	f.mu.Lock()
	f.hits[host]++
	f.mu.Unlock()
	if host != "cdn.example" {
		http.Redirect(w, r, "https://cdn.example/"+strings.TrimSuffix(host, ".example"), f.status)
		return
	}
	f.mu.Lock()
	f.cur++
	f.peak = max(f.peak, f.cur)
	f.mu.Unlock()
	time.Sleep(f.took)
	f.mu.Lock()
	f.cur--
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(rssDoc("CDN", r.URL.Path))
}

// Under the bubble's clock, with no transport between (so nothing but the
// poller's own limits): eight feeds whose hosts redirect to one busy host
// reach it two at a time, and the wait for its slot is not part of
// poller.timeout — four rounds of 10 s answers outlast a 30 s timeout, yet
// no feed fails: a feed behind a busy redirect target is queued, as one
// behind its own busy host is. A 301 is remembered: later polls go
// straight to the new host.
func TestRedirectTargetsSlotIsWaitedForOutsideThePollTimeout(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusMovedPermanently} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &redirectFleet{status: status, took: 10 * time.Second, hits: map[string]int{}}
				cfg := DefaultConfig()
				cfg.StartSpread = 0
				cfg.PerHostConcurrency = 2
				cfg.Timeout = 30 * time.Second
				cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = time.Minute, time.Minute, time.Minute
				var urls []string
				for i := range 8 {
					urls = append(urls, fmt.Sprintf("https://src%d.example/feed", i))
				}
				r := runFeeds(t, cfg, f, 3*time.Minute+30*time.Second, urls...)
				if f.peak > cfg.PerHostConcurrency {
					t.Errorf("cdn.example served %d requests at once, want at most %d", f.peak, cfg.PerHostConcurrency)
				}
				for _, u := range urls {
					if len(r.items[u]) != 1 {
						t.Errorf("%s: %d items delivered, want 1", u, len(r.items[u]))
					}
					for _, s := range r.status[u] {
						if s.LastError != "" {
							t.Errorf("%s: %s", u, s.LastError)
						}
					}
				}
				for i := range 8 {
					h := fmt.Sprintf("src%d.example", i)
					if status == http.StatusMovedPermanently && f.hits[h] != 1 {
						t.Errorf("%s (301): %d requests, want 1: later polls go to the new host", h, f.hits[h])
					}
					if status == http.StatusFound && f.hits[h] < 3 {
						t.Errorf("%s (302): %d requests, want one a poll (at least 3)", h, f.hits[h])
					}
				}
			})
		})
	}
}
