package feed

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// downHost serves plainFeed on ip, after answering every request with
// status for the first downFor (counted from its first request): a
// publisher that is down for all its feeds, then back. It counts the
// requests of each phase and which paths it answered once up.
type downHost struct {
	mu       sync.Mutex
	upAt     time.Time
	down, up int
	read     map[string]bool
}

func startDownHost(t *testing.T, ip string, status int, downFor time.Duration) (*downHost, string) {
	h := &downHost{read: map[string]bool{}}
	srv := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if h.upAt.IsZero() {
			h.upAt = time.Now().Add(downFor)
		}
		if time.Now().Before(h.upAt) {
			h.down++
			h.mu.Unlock()
			w.WriteHeader(status)
			return
		}
		h.up++
		h.read[r.URL.Path] = true
		h.mu.Unlock()
		plainFeed(w, r)
	}))
	return h, srv.URL
}

func (h *downHost) counts() (down, up, read int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down, h.up, len(h.read)
}

// A host that answers 502 to every one of its 20 feeds for 2 s (polled
// every 100 ms, backing off from 100 ms to 1 s) hears fewer requests in
// those 2 s than it has feeds: once hostDownFeeds of them failed the same
// way the host is held back, one probe at a time, each probe's failure
// doubling the wait; the first success releases it, and every feed is
// read after. Before, each feed backed off on its own: every one of the
// 20 asked, again and again (main f32940d: 40 requests while down, every feed twice — errorDelay waits at least 1 s).
func TestHostDownForEveryFeedIsProbedNotHammered(t *testing.T) {
	h, base := startDownHost(t, "127.0.0.97", http.StatusBadGateway, 2*time.Second)
	const feeds = 20
	var specs []Spec
	for i := range feeds {
		specs = append(specs, Spec{URL: base + "/f" + strings.Repeat("x", i)})
	}
	cfg := holdCfg("127.0.0.97")
	cfg.PerHostConcurrency = 2
	p := runUntil(t, cfg, specs, func() bool { _, _, read := h.counts(); return read == feeds })
	down, up, read := h.counts()
	t.Logf("requests while down: %d; after: %d (%d feeds read)", down, up, read)
	if down >= feeds {
		t.Errorf("the host was asked %d times while down for all its %d feeds; want fewer than one per feed (a probe at a time)", down, feeds)
	}
	if read != feeds {
		t.Errorf("%d of %d feeds read after the host came back", read, feeds)
	}
	if n := testutil.ToFloat64(p.m.HostDownHolds); n < 1 {
		t.Errorf("wirestream_feed_host_down_holds_total = %v, want ≥ 1", n)
	}
}

// What a poll's failure says of its host: how it failed (a 5xx, a
// timeout, a refused connection: counted towards holding it as down),
// that it answered (a 4xx, a body that is no feed: a down host's hold
// ends), or nothing (a name that does not resolve: no request reached it).
func TestWhatAFailureSaysOfItsHost(t *testing.T) {
	for _, c := range []struct {
		err      error
		way      string
		answered bool
	}{
		{&fetchError{Status: http.StatusBadGateway, Class: Class5xx, Err: errTestHTTP}, "HTTP 502", false},
		{&fetchError{Status: http.StatusServiceUnavailable, Class: Class5xx, Err: errTestHTTP}, "HTTP 503", false},
		{&fetchError{Class: ClassTimeout, Err: context.DeadlineExceeded}, "timeout", false},
		{&fetchError{Class: ClassConnect, Err: errTestHTTP}, "connect", false},
		{&fetchError{Status: http.StatusNotFound, Class: Class4xx, Err: errTestHTTP}, "", true},
		{&fetchError{Status: http.StatusOK, Class: ClassParse, Err: errTestHTTP}, "", true},
		{&fetchError{Class: ClassTLS, Err: errTestHTTP}, "", true},
		{&fetchError{Class: ClassDNS, Err: errTestHTTP}, "", false},
	} {
		way, answered := downWay(c.err)
		if way != c.way || answered != c.answered {
			t.Errorf("%v: way %q, answered %v; want %q, %v", c.err, way, answered, c.way, c.answered)
		}
	}
}

// When a host is held back as down: three feeds failing the same way with
// no answer between; two, or three failing three ways, or a host that
// answered between, are each feed's own problem.
func TestWhenAHostIsHeldAsDown(t *testing.T) {
	type report struct{ feed, way string } // way "": the host answered
	for _, c := range []struct {
		name    string
		reports []report
		want    bool
	}{
		{"three feeds, one way", []report{{"a", "HTTP 502"}, {"b", "HTTP 502"}, {"c", "HTTP 502"}}, true},
		{"three timeouts", []report{{"a", "timeout"}, {"b", "timeout"}, {"c", "timeout"}}, true},
		{"one feed three times", []report{{"a", "HTTP 500"}, {"a", "HTTP 500"}, {"a", "HTTP 500"}}, false},
		{"two broken paths", []report{{"a", "HTTP 503"}, {"b", "HTTP 503"}, {"a", "HTTP 503"}, {"b", "HTTP 503"}}, false},
		{"three ways", []report{{"a", "HTTP 502"}, {"b", "timeout"}, {"c", "connect"}}, false},
		{"an answer between", []report{{"a", "HTTP 502"}, {"b", "HTTP 502"}, {"d", ""}, {"c", "HTTP 502"}}, false},
	} {
		l := newLimiter(8, 2)
		started := false
		for _, r := range c.reports {
			if r.way == "" {
				l.answered("h.example")
				continue
			}
			if _, s := l.failed("h.example", r.feed, r.way, new(int), time.Second, time.Minute); s {
				started = true
			}
		}
		if started != c.want || l.isHeld("h.example", new(int)) != c.want {
			t.Errorf("%s: held as down %v, want %v", c.name, started, c.want)
		}
	}
}

// A host held as down lets one request go after its hold, its probe; the
// others wait for the probe's answer. A failed probe doubles the hold (up
// to the most given); an answer ends it, the waiting requests then going
// per_host_concurrency a second.
func TestDownHostIsProbedOneRequestAtATime(t *testing.T) {
	l := newLimiter(8, 2)
	probe, other, third := new(int), new(int), new(int)
	for _, f := range []string{"a", "b", "c"} {
		l.failed("h.example", f, "HTTP 502", nil, time.Second, 3*time.Second)
	}
	start := time.Now()
	if _, _, held := l.heldUntil("h.example", start, probe, false); !held {
		t.Fatal("a request went during a down host's hold")
	}
	after := start.Add(1500 * time.Millisecond)
	if _, _, held := l.heldUntil("h.example", after, probe, false); held {
		t.Fatal("no request probes a down host after its hold")
	}
	if _, wake, held := l.heldUntil("h.example", after, other, false); !held || wake == nil {
		t.Fatal("a second request went while the probe was out, or waits for no answer")
	}
	if d, started := l.failed("h.example", "d", "HTTP 502", other, time.Second, 3*time.Second); d != 0 || started {
		t.Errorf("a request that was not the probe changed the hold: %s", d)
	}
	for _, want := range []time.Duration{2 * time.Second, 3 * time.Second} {
		if d, _ := l.failed("h.example", "a", "HTTP 502", probe, time.Second, 3*time.Second); d != want {
			t.Errorf("a failed probe holds the host %s, want %s", d, want)
		}
		at := time.Now().Add(want + time.Second)
		if _, _, held := l.heldUntil("h.example", at, probe, false); held {
			t.Fatal("no probe after the longer hold")
		}
	}
	if !l.answered("h.example") {
		t.Fatal("an answer did not end the hold")
	}
	now := time.Now()
	var places []time.Duration
	for _, who := range []any{other, third, new(int)} {
		at, wake, _ := l.heldUntil("h.example", now, who, true)
		if wake != nil {
			t.Fatal("a request that waited for the probe waits again after the answer")
		}
		places = append(places, at.Sub(now).Round(time.Second))
	}
	if want := []time.Duration{0, time.Second, time.Second}; !slices.Equal(places, want) {
		t.Errorf("after the answer, the waiting requests go at %v, want %v (the probe was the first)", places, want)
	}
}

// While a host is held back as down, /status (Poller.Health) shows each of
// its feeds waiting on the hold, until when and why; once the host
// answers, none does. Before, a waiting feed showed only its last poll.
func TestFeedsShowTheirHostsHold(t *testing.T) {
	h, base := startDownHost(t, "127.0.0.98", http.StatusBadGateway, 2*time.Second)
	const feeds = 6
	var specs []Spec
	for i := range feeds {
		specs = append(specs, Spec{URL: base + "/f" + strings.Repeat("x", i)})
	}
	var shown []record.FeedStatus
	var cleared bool
	var waiting float64
	runWatching(t, holdCfg("127.0.0.98"), specs, func(p *Poller) bool {
		waiting = max(waiting, testutil.ToFloat64(p.m.HeldFeeds))
		if shown == nil {
			for _, fs := range p.Health() {
				if fs.HostHold != "" {
					shown = p.Health()
					break
				}
			}
			return false
		}
		if _, _, read := h.counts(); read < feeds {
			return false
		}
		cleared = !slices.ContainsFunc(p.Health(), func(fs record.FeedStatus) bool { return fs.HostHold != "" })
		return cleared
	})
	if shown == nil {
		t.Fatal("no feed showed its host held back while it was down")
	}
	var held int
	for _, fs := range shown {
		if fs.HostHold == "" {
			continue
		}
		held++
		if fs.HostHold != "down: HTTP 502" || fs.HostHeldUntil == nil || !fs.HostHeldUntil.After(fs.LastAttempt) {
			t.Errorf("%s shows host_hold %q until %v (last attempt %v); want \"down: HTTP 502\" until after it", fs.FeedURL, fs.HostHold, fs.HostHeldUntil, fs.LastAttempt)
		}
	}
	if held < hostDownFeeds {
		t.Errorf("%d of %d feeds showed the hold, want at least the %d that failed", held, feeds, hostDownFeeds)
	}
	if !cleared {
		t.Error("a feed still shows a hold after its host answered and every feed was read")
	}
	if waiting < 1 {
		t.Error("wirestream_feed_held_feeds never counted a feed waiting on the hold")
	}
}
