package websub

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/internal/testkit/websubtest"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzCallback
	goleak.VerifyTestMain(m)
}

// wait bounds every wait in these tests: long enough for a loaded
// machine, short enough to fail a hung test quickly.
const wait = 15 * time.Second

// target is the feed poller's side: it records pushes and stops.
type target struct {
	mu      sync.Mutex
	pushes  chan string // bodies
	stopped chan string // feed URLs
	busy    bool
}

func newTarget() *target {
	return &target{pushes: make(chan string, 64), stopped: make(chan string, 64)}
}

func (t *target) Push(_ context.Context, feedURL, contentType string, body []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.busy {
		return errors.New("feed loop busy")
	}
	t.pushes <- string(body)
	return nil
}

func (t *target) PushStopped(feedURL string) { t.stopped <- feedURL }

// rig is a running subscriber with its callback on loopback.
type rig struct {
	s      *Subscriber
	t      *target
	m      *Metrics
	cancel context.CancelFunc
	done   chan error
}

func testConfig() Config {
	c := DefaultConfig()
	c.Enabled = true
	c.RetryInitial = 50 * time.Millisecond
	c.RetryMax = 200 * time.Millisecond
	c.VerifyTimeout = 2 * time.Second
	return c
}

// start runs a subscriber; loopback is allowed, as a test hub lives there.
func start(t *testing.T, cfg Config, allowLoopback bool) *rig {
	t.Helper()
	return startWith(t, cfg, allowLoopback, nil)
}

// startWith is start with deps changed by with (when not nil).
func startWith(t *testing.T, cfg Config, allowLoopback bool, with func(*Deps)) *rig {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.PublicURL = "http://" + ln.Addr().String() + "/websub"
	var allow []netip.Prefix
	if allowLoopback {
		allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}
	r := &rig{t: newTarget(), m: NewMetrics(prometheus.NewRegistry()), done: make(chan error, 1)}
	d := Deps{Target: r.t, Guard: netguard.New(allow), UserAgent: "wirestream-test", MaxBodyBytes: 64 << 10,
		Timeout: 5 * time.Second, Metrics: r.m}
	if with != nil {
		with(&d)
	}
	r.s, err = New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- r.s.Run(ctx, ln) }()
	t.Cleanup(r.stop)
	return r
}

func (r *rig) stop() {
	r.cancel()
	<-r.done
}

func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	return receiveWithin(t, ch, wait, what)
}

// receiveWithin is receive with its own bound, for what comes after a
// timeout and a backoff of the subscriber's own.
func receiveWithin[T any](t *testing.T, ch <-chan T, within time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(within):
		t.Fatalf("timed out after %s waiting for %s", within, what)
	}
	var zero T
	return zero
}

// eventually polls cond until it holds, for at most wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", wait, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func nothing[T any](t *testing.T, ch <-chan T, within time.Duration, what string) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("%s: got %v", what, v)
	case <-time.After(within):
	}
}

const feedURL = "https://news.example.com/feed.xml"

// subscribed announces hub for the feed and waits until the hub verified
// the subscription.
func subscribed(t *testing.T, r *rig, hub *websubtest.Hub) websubtest.Subscription {
	t.Helper()
	r.s.FeedLinks(feedURL, []string{hub.URL()}, feedURL)
	sub := receive(t, hub.Verified(), "the hub to verify the subscription")
	// The hub records the subscription once our echo came back; our side
	// marked it active before answering.
	return sub
}

func TestSubscribeVerifyAndDeliver(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	req := hub.Requests()[0]
	switch {
	case req.Topic != feedURL || req.Mode != "subscribe":
		t.Errorf("request %+v", req)
	case req.LeaseSeconds != 86400:
		t.Errorf("asked for a lease of %ds, want the configured 86400", req.LeaseSeconds)
	case len(req.Secret) != 64 || len(req.Secret) >= 200:
		t.Errorf("secret of %d bytes, want 64 (under the spec's 200)", len(req.Secret))
	case !strings.HasPrefix(sub.Callback, r.s.base+"/") || len(sub.Callback) < len(r.s.base)+20:
		t.Errorf("callback %q is not the public URL plus an unguessable token", sub.Callback)
	}
	for _, d := range hub.Publish(t.Context(), feedURL, "application/rss+xml", []byte("<rss>pushed</rss>")) {
		if d.Err != nil || d.Status != http.StatusAccepted {
			t.Fatalf("delivery: %+v", d)
		}
	}
	if got := receive(t, r.t.pushes, "the pushed body"); got != "<rss>pushed</rss>" {
		t.Fatalf("pushed %q", got)
	}
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryAccepted)); n != 1 {
		t.Errorf("accepted deliveries = %v", n)
	}
	if n := testutil.ToFloat64(r.m.Subscriptions.WithLabelValues(stateActive)); n != 1 {
		t.Errorf("active subscriptions = %v", n)
	}
}

func TestEverySignatureMethodOfTheSpecIsAccepted(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	subscribed(t, r, hub)
	for _, alg := range []string{"sha1", "sha256", "sha384", "sha512"} {
		hub.Set(func(h *websubtest.Hub) { h.Algorithm = alg })
		hub.Publish(t.Context(), feedURL, "application/atom+xml", []byte(alg))
		if got := receive(t, r.t.pushes, alg+" delivery"); got != alg {
			t.Errorf("%s: pushed %q", alg, got)
		}
	}
}

// A forged delivery — unsigned, signed with another secret, a body changed
// after signing, an algorithm WebSub does not know — never reaches the
// feed, is counted, and gets the 2xx the spec requires (so a forger
// learns nothing).
func TestForgedDeliveriesAreRefusedAndCounted(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	body := []byte("<rss>forged</rss>")
	cases := []struct {
		name, signature, result string
		body                    []byte
	}{
		{"an unsigned delivery", "", DeliveryUnsigned, body},
		{"a delivery signed with another secret", websubtest.Sign("sha256", "not-the-secret", body), DeliveryBadSignature, body},
		{"a body changed after signing", websubtest.Sign("sha256", sub.Secret, body), DeliveryBadSignature, []byte("<rss>tampered</rss>")},
		{"an algorithm WebSub does not recognise", "md5=0123456789abcdef0123456789abcdef", DeliveryBadSignature, body},
		{"a signature that is not hexadecimal", "sha256=zz", DeliveryBadSignature, body},
		{"a signature without a method", "0123abcd", DeliveryBadSignature, body},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(c.result))
			d := hub.Deliver(t.Context(), sub.Callback, "application/rss+xml", c.body, c.signature)
			if d.Err != nil || d.Status != http.StatusAccepted {
				t.Fatalf("delivery answered %+v, want 202 as the spec asks", d)
			}
			if after := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(c.result)); after != before+1 {
				t.Errorf("wirestream_websub_deliveries_total{result=%q} went from %v to %v", c.result, before, after)
			}
		})
	}
	nothing(t, r.t.pushes, 200*time.Millisecond, "a forged delivery reached the feed")
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryAccepted)); n != 0 {
		t.Errorf("accepted deliveries = %v, want 0", n)
	}
}

// Only the hub we asked, for the topic we asked, gets its challenge
// echoed: anything else is 404, the spec's "not agreed".
func TestVerificationOfIntentIsRefusedUnlessWeAsked(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	base := strings.TrimSuffix(sub.Callback, "/"+lastSegment(sub.Callback))
	cases := []struct {
		name, callback string
		query          url.Values
		want           int
	}{
		{"the right topic and a challenge", sub.Callback, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {feedURL}, "hub.challenge": {"abc"}, "hub.lease_seconds": {"60"}}, 200},
		{"another topic", sub.Callback, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://evil.example/feed"}, "hub.challenge": {"abc"}}, 404},
		{"an unknown callback", base + "/notatoken", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {feedURL}, "hub.challenge": {"abc"}}, 404},
		{"an unsubscription we did not ask for", sub.Callback, url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {feedURL}, "hub.challenge": {"abc"}}, 404},
		{"no challenge", sub.Callback, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {feedURL}}, 404},
		{"a challenge too long to be a hub's", sub.Callback, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {feedURL}, "hub.challenge": {strings.Repeat("x", 2000)}}, 404},
		{"an unknown mode", sub.Callback, url.Values{"hub.mode": {"publish"}, "hub.topic": {feedURL}, "hub.challenge": {"abc"}}, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get(c.callback + "?" + c.query.Encode())
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64)
			n, _ := resp.Body.Read(buf)
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
			if c.want == 200 && string(buf[:n]) != "abc" {
				t.Errorf("body %q, want the challenge echoed", buf[:n])
			}
		})
	}
}

func lastSegment(u string) string { return u[strings.LastIndexByte(u, '/')+1:] }

func TestTheLeaseIsRenewedBeforeItEnds(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	hub.Set(func(h *websubtest.Hub) { h.Lease = 2 * time.Second })
	r := start(t, testConfig(), true)
	first := subscribed(t, r, hub)
	second := receive(t, hub.Verified(), "a renewal")
	if second.Callback != first.Callback || second.Secret != first.Secret {
		t.Errorf("the renewal changed callback or secret: %+v then %+v", first, second)
	}
	if end := first.VerifiedAt.Add(first.Lease); !second.VerifiedAt.Before(end) {
		t.Errorf("renewed at %v, after the lease ended at %v", second.VerifiedAt, end)
	}
	// The hub verifies before our side has read its 202.
	eventually(t, "a renew request counted as accepted", func() bool {
		return testutil.ToFloat64(r.m.HubRequests.WithLabelValues("renew", "accepted")) >= 1
	})
	select {
	case f := <-r.t.stopped:
		t.Fatalf("pushes reported stopped for %s although the lease was renewed", f)
	default:
	}
}

// A hub that stops renewing lets the lease lapse: the feed is told at once
// (back to normal polling), and a delivery the hub sends anyway is refused.
func TestALapsedLeaseStopsPushAndRefusesLateDeliveries(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	hub.Set(func(h *websubtest.Hub) { h.Lease = time.Second })
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	hub.Set(func(h *websubtest.Hub) { h.Refuse = http.StatusServiceUnavailable })
	if f := receive(t, r.t.stopped, "the lapse to be reported"); f != feedURL {
		t.Fatalf("stopped %q", f)
	}
	if n := testutil.ToFloat64(r.m.Lapses); n != 1 {
		t.Errorf("lapses = %v", n)
	}
	d := hub.Deliver(t.Context(), sub.Callback, "application/rss+xml", []byte("late"), hub.Sign(sub.Secret, []byte("late")))
	if d.Status != http.StatusNotFound {
		t.Errorf("a delivery after the lease answered %+v, want 404", d)
	}
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryNotActive)); n != 1 {
		t.Errorf("not_active deliveries = %v", n)
	}
	// The subscriber keeps asking: the hub may come back.
	hub.Set(func(h *websubtest.Hub) { h.Refuse = 0 })
	receive(t, hub.Verified(), "a new subscription once the hub accepts again")
}

// A hub that goes away: renewals fail, the lease lapses and the feed
// returns to polling; the subscriber keeps trying.
func TestAHubThatGoesAwayFallsBackToPolling(t *testing.T) {
	hub := websubtest.Start()
	hub.Set(func(h *websubtest.Hub) { h.Lease = time.Second })
	r := start(t, testConfig(), true)
	subscribed(t, r, hub)
	hub.Close()
	if f := receive(t, r.t.stopped, "the lapse after the hub went away"); f != feedURL {
		t.Fatalf("stopped %q", f)
	}
	if n := testutil.ToFloat64(r.m.HubRequests.WithLabelValues("renew", "error")); n < 1 {
		t.Errorf("failed renewals = %v, want at least 1", n)
	}
}

// With a second hub announced, losing the first moves the subscription
// there before the lease lapses: pushes go on.
func TestAFeedWithTwoHubsMovesToTheOtherWhenOneGoesAway(t *testing.T) {
	gone, spare := websubtest.Start(), websubtest.Start()
	defer spare.Close()
	gone.Set(func(h *websubtest.Hub) { h.Lease = 2 * time.Second })
	r := start(t, testConfig(), true)
	r.s.FeedLinks(feedURL, []string{gone.URL(), spare.URL()}, feedURL)
	receive(t, gone.Verified(), "the first hub's verification")
	gone.Close()
	sub := receive(t, spare.Verified(), "the subscription at the next hub")
	spare.Publish(t.Context(), feedURL, "application/rss+xml", []byte("via the spare"))
	if got := receive(t, r.t.pushes, "a delivery from the next hub"); got != "via the spare" || sub.Topic != feedURL {
		t.Fatalf("pushed %q for %+v", got, sub)
	}
	nothing(t, r.t.stopped, 0, "pushes reported stopped although the next hub took over")
}

func TestDeliveriesOverTheLimitsAreRefused(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	cfg := testConfig()
	cfg.MaxPushesPerMinute = 2
	r := start(t, cfg, true)
	sub := subscribed(t, r, hub)
	big := []byte(strings.Repeat("x", 65<<10))
	if d := hub.Deliver(t.Context(), sub.Callback, "text/xml", big, hub.Sign(sub.Secret, big)); d.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized delivery answered %+v, want 413", d)
	}
	var got []websubtest.Delivery
	for i := range 3 { // three new bodies: a repeat would be a replay
		got = append(got, hub.Publish(t.Context(), feedURL, "text/xml", []byte(strconv.Itoa(i)))[0])
	}
	if got[0].Status != 202 || got[1].Status != 202 || got[2].Status != http.StatusTooManyRequests {
		t.Errorf("statuses %d %d %d, want two accepted then 429", got[0].Status, got[1].Status, got[2].Status)
	}
	if ra := got[2].Header.Get("Retry-After"); ra != "30" {
		t.Errorf("Retry-After %q, want 30 (two per minute)", ra)
	}
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryTooLarge)); n != 1 {
		t.Errorf("too_large = %v", n)
	}
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryRateLimited)); n != 1 {
		t.Errorf("rate_limited = %v", n)
	}
}

// A feed loop that cannot take a push now makes the hub retry later: 503
// with Retry-After, not a silent drop.
func TestABusyFeedAsksTheHubToRetry(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	subscribed(t, r, hub)
	r.t.mu.Lock()
	r.t.busy = true
	r.t.mu.Unlock()
	d := hub.Publish(t.Context(), feedURL, "text/xml", []byte("x"))[0]
	if d.Status != http.StatusServiceUnavailable || d.Header.Get("Retry-After") == "" {
		t.Errorf("answered %d with Retry-After %q, want 503 with one", d.Status, d.Header.Get("Retry-After"))
	}
	if n := testutil.ToFloat64(r.m.Deliveries.WithLabelValues(DeliveryBusy)); n != 1 {
		t.Errorf("busy = %v", n)
	}
}

func TestHubsOnPrivateNetworksAreRefused(t *testing.T) {
	hub := websubtest.Start() // on loopback, which the guard refuses here
	defer hub.Close()
	r := start(t, testConfig(), false)
	r.s.FeedLinks(feedURL, []string{hub.URL()}, feedURL)
	eventually(t, "a blocked subscription request counted", func() bool {
		return testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "blocked")) >= 1
	})
	if len(hub.Requests()) != 0 {
		t.Errorf("the hub on loopback received %d requests", len(hub.Requests()))
	}
}

func TestAFeedThatDropsItsHubIsUnsubscribed(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	r.s.FeedLinks(feedURL, nil, "")
	if f := receive(t, r.t.stopped, "pushes reported stopped"); f != feedURL {
		t.Fatalf("stopped %q", f)
	}
	for {
		req := receive(t, hub.Asked(), "an unsubscribe request")
		if req.Mode == "unsubscribe" && req.Callback == sub.Callback {
			break
		}
	}
	eventually(t, "the hub to drop the subscription once the unsubscription is verified", func() bool {
		return len(hub.Subscriptions(feedURL)) == 0
	})
}

func TestRenewDelayLeavesTimeForARetry(t *testing.T) {
	s := &Subscriber{cfg: Config{RenewBefore: time.Hour}}
	cases := []struct{ lease, want time.Duration }{
		{10 * 24 * time.Hour, 10*24*time.Hour - time.Hour},
		{time.Hour, 30 * time.Minute},
		{2 * time.Second, time.Second},
	}
	for _, c := range cases {
		if got := s.renewDelay(c.lease); got != c.want {
			t.Errorf("renewDelay(%s) = %s, want %s", c.lease, got, c.want)
		}
	}
}

// A request to a hub waits for Deps.Limit — the daemon's is the feed
// poller's per-host limiter — and releases it when done.
func TestHubRequestsTakeTheSharedHostLimit(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	slot := make(chan struct{}, 1)
	slot <- struct{}{} // a feed fetch holds the host's only slot
	var asked []string
	var mu sync.Mutex
	limit := func(ctx context.Context, rawURL string) (func(), error) {
		mu.Lock()
		asked = append(asked, rawURL)
		mu.Unlock()
		select {
		case slot <- struct{}{}:
			return func() { <-slot }, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	r := startWith(t, testConfig(), true, func(d *Deps) { d.Limit = limit })

	r.s.FeedLinks(feedURL, []string{hub.URL()}, feedURL)
	eventually(t, "the subscriber to ask the limit for the hub", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(asked) > 0
	})
	nothing(t, hub.Verified(), 300*time.Millisecond, "the hub was asked while the host's slot was taken")
	<-slot // the fetch is done
	receive(t, hub.Verified(), "the hub to verify the subscription once the slot was free")
	mu.Lock()
	defer mu.Unlock()
	if asked[0] != hub.URL() {
		t.Errorf("the limit was asked for %q, want the hub's URL %q", asked[0], hub.URL())
	}
}
