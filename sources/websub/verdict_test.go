package websub

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

// heldHub is a hub that answers each subscription request only when the
// test lets it (release), so the test can call the subscriber's callback
// while the subscriber's loop still waits for the hub's answer.
type heldHub struct {
	srv     *httptest.Server
	asked   chan url.Values
	release chan struct{}
}

func startHeldHub(t *testing.T) *heldHub {
	h := &heldHub{asked: make(chan url.Values, 16), release: make(chan struct{}, 16)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.asked <- r.PostForm
		select {
		case <-h.release:
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// callbackGet GETs the subscriber's callback with q and returns status and body.
func callbackGet(t *testing.T, callback string, q url.Values) (int, string) {
	t.Helper()
	resp, err := http.Get(callback + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// A hub may verify a subscription before its answer to the request
// reaches us (it verifies after answering, but the answer can be slow to
// arrive), and a denial nobody asked for can come right after. The loop
// is woken once for both: it must take the verification (the lease, the
// renewal's time) and check the denial with the hub. Before, the denial's
// recheck was taken alone and the verification lost: the request was
// reported as never verified, asked again after a backoff, and a renewal
// meant to follow retry_initial after the request came a verify_timeout
// plus a backoff later.
func TestAVerificationAndADenialTakenTogetherAreBothHeard(t *testing.T) {
	hub := startHeldHub(t)
	cfg := testConfig()
	// The recheck's renewal is due retry_initial after the request; had the
	// verification been lost, verify_timeout would run out before it.
	cfg.RetryInitial, cfg.RetryMax, cfg.VerifyTimeout = 6*time.Second, time.Hour, 3*time.Second
	var logs testkit.LockedBuffer
	r := startWith(t, cfg, true, func(d *Deps) { d.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	logOnFailure(t, &logs)
	r.s.FeedLinks(feedURL, []string{hub.srv.URL + "/hub"}, feedURL)
	req := receive(t, hub.asked, "the subscription's request")
	callback, topic := req.Get("hub.callback"), req.Get("hub.topic")

	// While the loop waits for the hub's answer: the verification, then a denial.
	code, body := callbackGet(t, callback, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic},
		"hub.challenge": {"held-hub-challenge"}, "hub.lease_seconds": {"86400"}})
	if code != http.StatusOK || body != "held-hub-challenge" {
		t.Fatalf("the verification answered %d %q, want 200 and the challenge", code, body)
	}
	if code := sendDenial(t, callback, topic); code != http.StatusOK {
		t.Fatalf("the denial answered %d, want 200 (checked with the hub)", code)
	}
	hub.release <- struct{}{}

	renewal := receiveWithin(t, hub.asked, 4*wait, "the renewal the denial asked for")
	// The log as the renewal found it, before the hub answers it: nobody
	// verifies the renewal, so verify_timeout after its answer the log
	// says "did not verify" of it — read after the release, the check
	// failed whenever the machine was slower than verify_timeout.
	beforeRenewal := logs.String()
	for range cap(hub.release) { // the renewal, and whatever follows until the end (an unsubscription)
		hub.release <- struct{}{}
	}
	if renewal.Get("hub.mode") != "subscribe" {
		t.Errorf("the renewal asked hub.mode=%q, want subscribe", renewal.Get("hub.mode"))
	}
	if strings.Contains(beforeRenewal, "did not verify the subscription in time") {
		t.Error("the verification that came with the denial was lost")
	}
	notStopped(t, r, "a denial taken together with a verification")
}
