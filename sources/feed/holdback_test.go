package feed

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
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

// plainFeed answers any path with a one-item RSS feed named after it.
func plainFeed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(rssDoc("Feed "+r.URL.Path, r.URL.Path+"-1"))
}

// tooManyOnceHost starts a server on ip that answers its first request 429 with
// Retry-After: 2 and every later one plainFeed; busy records when each
// arrived, told says when the 429 was sent.
func tooManyOnceHost(t *testing.T, ip string, busy *arrivals) (srv *httptest.Server, told func() time.Time) {
	var mu sync.Mutex
	var at time.Time
	srv = newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if busy.add(time.Now()) == 1 {
			mu.Lock()
			at = time.Now()
			mu.Unlock()
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		plainFeed(w, r)
	}))
	return srv, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return at
	}
}

// checkHeldFor2s checks that the busy host, told at told to wait 2 s,
// was asked again only after those 2 s, and that the other host (named
// name; want says what it should have seen) was asked on meanwhile.
func checkHeldFor2s(t *testing.T, busy, other *arrivals, told time.Time, name, want string) {
	t.Helper()
	until := told.Add(2 * time.Second)
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
		t.Errorf("%s was asked %d times while the busy one was held back; %s", name, during, want)
	}
}

// A host that answers one feed 429 with Retry-After: 2 hears from none of
// the poller's feeds for those 2 s — three feeds on it, polled every
// 100 ms — while a feed on another host is read all along. Before, the
// Retry-After held back only the feed it was sent to: the host's other
// feeds kept requesting it every 100 ms.
func TestHostAskingOneFeedToWaitHoldsBackEveryFeedOnIt(t *testing.T) {
	var busy, other arrivals
	a, told := tooManyOnceHost(t, "127.0.0.91", &busy)
	b := newServerOn(t, "127.0.0.92", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(time.Now())
		plainFeed(w, r)
	}))
	cfg := holdCfg("127.0.0.91", "127.0.0.92")
	specs := []Spec{{URL: a.URL + "/a1"}, {URL: a.URL + "/a2"}, {URL: a.URL + "/a3"}, {URL: b.URL + "/b"}}
	p := runUntil(t, cfg, specs, func() bool { return len(busy.times()) >= 2 })
	checkHeldFor2s(t, &busy, &other, told(), "the other host", "want it polled on (every 100 ms)")
	if n := testutil.ToFloat64(p.m.HostHolds); n != 1 {
		t.Errorf("wirestream_feed_host_holds_total = %v, want 1", n)
	}
}

// holdCfg polls every 100 ms, one request at a time per host (none is in
// flight when a 429 comes), backing off from 100 ms.
func holdCfg(allow ...string) Config {
	cfg := DefaultConfig()
	cfg.AllowNetworks = allow
	cfg.StartSpread = 0
	cfg.PerHostConcurrency = 1
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 100*time.Millisecond, 100*time.Millisecond, 100*time.Millisecond
	cfg.BackoffInitial, cfg.BackoffMax = 100*time.Millisecond, time.Second
	return cfg
}

// runUntil runs a poller of specs, acking every batch, until done says so
// (checked every 20 ms, for at most 15 s: a guard against hanging, not a
// timing assertion), and stops it.
func runUntil(t *testing.T, cfg Config, specs []Spec, done func() bool) *Poller {
	t.Helper()
	return runWatching(t, cfg, specs, func(*Poller) bool { return done() })
}

// runWatching is runUntil whose done looks at the running poller.
func runWatching(t *testing.T, cfg Config, specs []Spec, done func(*Poller) bool) *Poller {
	t.Helper()
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := runAcking(t, p)
	guard := time.Now().Add(15 * time.Second)
	for !done(p) && time.Now().Before(guard) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return p
}

// A 429 to a request redirected to a host holds back that host, the one
// that answered: the feeds sent to it directly and through the redirect
// wait, while the redirecting host's own feed is read on.
func TestHoldFollowsTheHostARedirectReached(t *testing.T) {
	var busy, front arrivals
	a, told := tooManyOnceHost(t, "127.0.0.93", &busy)
	c := newServerOn(t, "127.0.0.94", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		front.add(time.Now())
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, a.URL+"/from-c", http.StatusFound)
			return
		}
		plainFeed(w, r)
	}))
	specs := []Spec{{URL: c.URL + "/moved"}, {URL: c.URL + "/own"}, {URL: a.URL + "/a1"}}
	runUntil(t, holdCfg("127.0.0.93", "127.0.0.94"), specs, func() bool { return len(busy.times()) >= 2 })
	checkHeldFor2s(t, &busy, &front, told(), "the redirecting host", "want its own feed polled on")
}

// Which answers hold a host back: a 429 with or without Retry-After, a
// 503 with one. A 503 without one is a failed server, often one feed's
// backend: its feed backs off alone.
func TestWhichAnswersHoldAHost(t *testing.T) {
	for _, c := range []struct {
		status int
		retry  time.Duration
		want   bool
	}{
		{http.StatusTooManyRequests, 2 * time.Second, true},
		{http.StatusTooManyRequests, 0, true},
		{http.StatusServiceUnavailable, 2 * time.Second, true},
		{http.StatusServiceUnavailable, 0, false},
		{http.StatusInternalServerError, 0, false},
		{http.StatusNotFound, 0, false},
	} {
		_, got := hostBusy(&fetchError{Status: c.status, RetryAfter: c.retry, Err: errTestHTTP})
		if got != c.want {
			t.Errorf("HTTP %d, Retry-After %s: holds the host %v, want %v", c.status, c.retry, got, c.want)
		}
	}
	if _, got := hostBusy(context.DeadlineExceeded); got {
		t.Error("a timeout holds the host")
	}
}

// After a hold, a host's requests go again per_host_concurrency at a
// time, hostStartGap apart, as first polls do: not every waiting feed at
// the moment the hold ends. A request that comes after the hold goes at
// once, beside the waves: spacing those too kept a host whose feeds ask
// more than a wave a second throttled after a single 429.
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
		place, _, held := l.heldUntil("busy.example", start, nil, false)
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
	if _, _, held := l.heldUntil("other.example", start, nil, false); held {
		t.Error("a host that never answered 429 is held back")
	}
	if _, _, held := l.heldUntil("busy.example", start.Add(2500*time.Millisecond), nil, false); held {
		t.Error("a request that came after the hold, while the requests it held go in waves, is held back")
	}
	if _, _, held := l.heldUntil("busy.example", start.Add(time.Minute), nil, false); held {
		t.Error("a request long after the hold and its waves is held back")
	}
}

// The requests a hold held go again as the host's first polls would: a
// second a wave for a host whose waves fit start_spread at that pace
// (1,000 feeds, 2 at a time: the last of them 499 s after the hold, as
// their first polls), closer for one with more (10,000: within the 10
// minutes, not 83), and at once with start_spread 0 (the per-host limit
// still holds every request). The waves used to be a second apart
// whatever the host.
func TestHeldRequestsGoAgainAsFirstPollsWould(t *testing.T) {
	for _, c := range []struct {
		feeds  int
		spread time.Duration
		last   time.Duration // the last held request's place after the hold
	}{
		{1000, 10 * time.Minute, 499 * time.Second},
		{10000, 10 * time.Minute, 10 * time.Minute},
		{1000, 0, 0},
	} {
		l := newLimiter(64, 2)
		l.spaceWaves(func(host string) int { return map[string]int{"busy.example": c.feeds}[host] }, c.spread)
		start := time.Now()
		l.holdHost("busy.example", time.Minute)
		var last time.Time
		for range c.feeds {
			last, _, _ = l.heldUntil("busy.example", start, nil, false)
		}
		if got := last.Sub(start.Add(time.Minute)).Round(time.Second); got > c.last {
			t.Errorf("%d feeds, start_spread %s: the last held request goes %s after the hold, want within %s", c.feeds, c.spread, got, c.last)
		}
	}
}
