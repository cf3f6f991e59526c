package websub

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/internal/testkit/websubtest"
)

// sendDenial sends hub.mode=denied to callback as anyone may: a GET with
// no challenge and no signature, which is all a hub's denial is.
func sendDenial(t *testing.T, callback, topic string) int {
	t.Helper()
	q := url.Values{"hub.mode": {"denied"}, "hub.topic": {topic}, "hub.reason": {"forged"}}
	resp, err := http.Get(callback + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// logOnFailure prints the subscriber's log when t fails: the order of
// verifications, denials, timeouts and requests is what explains it.
func logOnFailure(t *testing.T, logs *testkit.LockedBuffer) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the subscriber's log:\n%s", logs.String())
		}
	})
}

// notStopped fails t if pushes were reported stopped so far.
func notStopped(t *testing.T, r *rig, by string) {
	t.Helper()
	select {
	case f := <-r.t.stopped:
		t.Errorf("pushes for %s reported stopped by %s", f, by)
	default:
	}
}

// A denial of an active subscription that no request of ours waits on
// is what anyone who knows the callback URL can send: it used to end the
// subscription at once (the feed back to normal polling, the hub asked
// again only after a backoff, at the next hub). Now the hub is asked
// again, and its answer decides: this hub verifies, so the subscription
// stays active and its pushes go on.
func TestADenialNobodyAskedForDoesNotEndAnActiveSubscription(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	if code := sendDenial(t, sub.Callback, sub.Topic); code != http.StatusOK {
		t.Errorf("the denial answered %d, want 200", code)
	}
	again := receive(t, hub.Verified(), "the hub asked again and verifying")
	if again.Callback != sub.Callback {
		t.Errorf("asked again under callback %s, want the subscription's %s", again.Callback, sub.Callback)
	}
	notStopped(t, r, "a denial nobody asked for")
	hub.Publish(t.Context(), feedURL, "application/rss+xml", []byte("after the denial"))
	if got := receive(t, r.t.pushes, "a delivery after the forged denial"); got != "after the denial" {
		t.Errorf("pushed %q", got)
	}
	if n := testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "recheck")); n != 1 {
		t.Errorf("denials rechecked = %v, want 1", n)
	}
}

// A hub that does deny an active subscription is heard: its denial (or
// anyone's) makes the subscriber ask again, the hub denies that request,
// and the subscription ends: pushes are reported stopped, so the feed is
// polled at its own interval.
func TestAHubThatDeniesAnActiveSubscriptionEndsIt(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	sub := subscribed(t, r, hub)
	hub.Set(func(h *websubtest.Hub) { h.Deny = "the publisher withdrew the topic" })
	sendDenial(t, sub.Callback, sub.Topic)
	if f := receive(t, r.t.stopped, "pushes reported stopped after the hub denied"); f != feedURL {
		t.Errorf("stopped %q", f)
	}
	if n := testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "confirmed")); n < 1 {
		t.Errorf("denials confirmed = %v, want at least 1", n)
	}
}

// A denial of the subscription request we sent is the hub's answer and
// is taken at once; the subscriber tries again after its backoff.
func TestADenialOfOurRequestIsTaken(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	hub.Set(func(h *websubtest.Hub) { h.Deny = "no" })
	r := start(t, testConfig(), true)
	r.s.FeedLinks(feedURL, []string{hub.URL()}, feedURL)
	eventually(t, "the hub's denial taken and a new request after the backoff", func() bool {
		return testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "confirmed")) >= 1 && len(hub.Requests()) >= 2
	})
	if n := testutil.ToFloat64(r.m.Subscriptions.WithLabelValues(stateActive)); n != 0 {
		t.Errorf("active subscriptions = %v after a denial, want 0", n)
	}
}

// Denials sent by the thousand ask the hub no more often than failures
// would: the first asks again no sooner than retry_initial after the last
// request (an hour here), and the rest add nothing.
func TestForgedDenialsDoNotFloodTheHub(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	cfg := testConfig()
	cfg.RetryInitial, cfg.RetryMax = time.Hour, 2*time.Hour
	r := start(t, cfg, true)
	sub := subscribed(t, r, hub)
	<-hub.Asked()
	for range 50 {
		sendDenial(t, sub.Callback, sub.Topic)
	}
	nothing(t, hub.Asked(), 200*time.Millisecond, "a request to the hub sooner than retry_initial after the last")
	notStopped(t, r, "forged denials")
	if n := len(hub.Requests()); n != 1 {
		t.Errorf("the hub got %d requests, want 1", n)
	}
}

// A delivery replayed after replayWindow others is no longer remembered:
// it is accepted and handed to the feed again. That is the window's known
// limit, not a leak into the streams: the poller takes only entries its
// state does not know, and the pipeline's dedupe calls one it published
// before "unchanged" (internal/daemon's
// TestAPushReplayedPastTheWindowPublishesNoSecondStory).
func TestADeliveryReplayedPastTheWindowIsHandedOnAgain(t *testing.T) {
	s, tg, n := activeSub(t, nil)
	body := func(i int) []byte { return fmt.Appendf(nil, "<feed><entry><id>%d</id></entry></feed>", i) }
	for i := range replayWindow + 1 {
		b := body(i)
		if rec := post(s, n.token, websubtest.Sign("sha256", n.secret, b), bytes.NewReader(b)); rec.Code != http.StatusAccepted {
			t.Fatalf("delivery %d answered %d; want 202", i, rec.Code)
		}
		receive(t, tg.pushes, "a signed delivery")
	}
	first := body(0)
	if rec := post(s, n.token, websubtest.Sign("sha256", n.secret, first), bytes.NewReader(first)); rec.Code != http.StatusAccepted {
		t.Fatalf("the replay answered %d; want 202", rec.Code)
	}
	if got := receive(t, tg.pushes, "the replay past the window"); got != string(first) {
		t.Errorf("handed on %q", got)
	}
}

// A forged denial does not cut short a wait the hub asked for: after the
// hub refused a renewal with Retry-After (or a failure's backoff grew),
// the retry already pending asks the hub again, and its answer decides.
// Before, each denial re-armed the renewal at retry_initial after the
// last request, so a forger sending one after each refusal made us ask
// a hub that said "an hour" every retry_initial.
func TestForgedDenialsDoNotCutTheHubsRetryAfterShort(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	cfg := testConfig()
	cfg.RetryInitial, cfg.RetryMax = 50*time.Millisecond, 2*time.Hour
	r := start(t, cfg, true)
	sub := subscribed(t, r, hub)
	<-hub.Asked()
	hub.Set(func(h *websubtest.Hub) { h.Refuse, h.RetryAfter = http.StatusServiceUnavailable, time.Hour })
	sendDenial(t, sub.Callback, sub.Topic) // asks again: refused, retry in an hour
	receive(t, hub.Asked(), "the renewal the first denial asked for")
	eventually(t, "the refusal taken", func() bool {
		return testutil.ToFloat64(r.m.HubRequests.WithLabelValues("renew", "refused")) >= 1
	})
	for range 5 {
		sendDenial(t, sub.Callback, sub.Topic)
	}
	nothing(t, hub.Asked(), 500*time.Millisecond, "a request to the hub before its Retry-After")
	notStopped(t, r, "forged denials")
}

// A request whose verification never came within verify_timeout is no
// longer waiting for an answer: the subscriber has given up on it and
// asks again after a backoff. A denial arriving then is not the hub's
// answer to anything we wait for, so it is checked as one nobody asked
// for is: the subscription stays active until the hub itself says no.
// Before, the request stayed "awaiting" after its timeout and a forged
// denial ended an active subscription (pushes reported stopped, the
// next hub after a backoff).
func TestADenialAfterTheVerificationTimedOutIsChecked(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	cfg := testConfig()
	// The renewal a first denial asks for goes out retry_initial after the
	// subscription's request; its verification times out a second later,
	// and the retry after that waits a backoff of about retry_initial
	// again: the second denial comes in between.
	cfg.RetryInitial, cfg.RetryMax, cfg.VerifyTimeout = 3*time.Second, time.Hour, time.Second
	var logs testkit.LockedBuffer
	r := startWith(t, cfg, true, func(d *Deps) { d.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	logOnFailure(t, &logs)
	sub := subscribed(t, r, hub)
	receive(t, hub.Asked(), "the subscription's request")
	hub.Set(func(h *websubtest.Hub) { h.Silent = true })
	if code := sendDenial(t, sub.Callback, sub.Topic); code != http.StatusOK {
		t.Fatalf("the first denial answered %d, want 200 (checked with the hub)", code)
	}
	// The renewal goes out retry_initial after the request; on a loaded
	// machine the request's own verification may have come after
	// verify_timeout, and then a backoff comes first (up to 1.2 ×
	// retry_initial, and more after each further timeout).
	receiveWithin(t, hub.Asked(), 4*wait, "the renewal the first denial asked for")
	before := len(logs.String()) // the first request's verification may have come late too
	eventually(t, "the renewal's verification to time out", func() bool {
		return strings.Contains(logs.String()[before:], "did not verify the subscription in time")
	})
	if code := sendDenial(t, sub.Callback, sub.Topic); code != http.StatusOK {
		t.Errorf("the denial after the timeout answered %d, want 200 (checked with the hub)", code)
	}
	if n := testutil.ToFloat64(r.m.Subscriptions.WithLabelValues(stateActive)); n != 1 {
		t.Errorf("active subscriptions = %v after a denial past the verify timeout, want 1", n)
	}
	if n := testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "confirmed")); n != 0 {
		t.Errorf("denials taken = %v, want 0", n)
	}
	if n := testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "recheck")); n != 2 {
		t.Errorf("denials rechecked = %v, want 2", n)
	}
	notStopped(t, r, "a denial after the verification timed out")
}

// A hub that answers after verify_timeout with a denial of a subscription
// that was never verified is heard: there is no active subscription a
// forged denial could end, and the denial moves the subscriber on to the
// feed's next hub. Before, the overdue request's denial was refused like
// one nobody asked for, and every retry went to the same slow hub.
func TestALateDenialOfAPendingSubscriptionMovesToTheNextHub(t *testing.T) {
	slow, good := websubtest.Start(), websubtest.Start()
	defer slow.Close()
	defer good.Close()
	slow.Set(func(h *websubtest.Hub) { h.Silent = true })
	cfg := testConfig()
	cfg.RetryInitial, cfg.RetryMax, cfg.VerifyTimeout = 3*time.Second, time.Hour, time.Second
	var logs testkit.LockedBuffer
	r := startWith(t, cfg, true, func(d *Deps) { d.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	r.s.FeedLinks(feedURL, []string{slow.URL(), good.URL()}, feedURL)
	req := receive(t, slow.Asked(), "the request to the slow hub")
	eventually(t, "the slow hub's verification to time out", func() bool {
		return strings.Contains(logs.String(), "did not verify the subscription in time")
	})
	if code := sendDenial(t, req.Callback, req.Topic); code != http.StatusOK {
		t.Errorf("the slow hub's late denial answered %d, want 200 (taken)", code)
	}
	receive(t, good.Verified(), "the next hub verifying the subscription")
	if n := testutil.ToFloat64(r.m.Verifications.WithLabelValues("denied", "confirmed")); n != 1 {
		t.Errorf("denials taken = %v, want 1", n)
	}
}
