// Package websubtest is a WebSub hub for tests: a real HTTP server that
// takes subscription requests, verifies intent against the subscriber's
// callback (hub.challenge), keeps leases, and delivers published content
// signed with each subscriber's secret, as the W3C WebSub Recommendation
// describes. Tests steer it to misbehave: grant short leases, refuse
// renewals, forge signatures, or go away.
package websubtest

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is one subscription request the hub received.
type Request struct {
	Mode, Callback, Topic, Secret string
	LeaseSeconds                  int
	At                            time.Time
}

// Subscription is one verified subscription.
type Subscription struct {
	Callback, Topic, Secret string
	Lease                   time.Duration
	VerifiedAt              time.Time
}

// Hub is a running test hub. Its fields steer it; set them before the
// requests they should affect (they are read under the hub's lock).
type Hub struct {
	srv    *httptest.Server
	client *http.Client

	mu sync.Mutex
	// Lease is the lease granted (default: what the subscriber asked).
	Lease time.Duration
	// Refuse, when non-zero, is the status every subscription request gets.
	Refuse int
	// RetryAfter, with Refuse, is sent as the refusal's Retry-After.
	RetryAfter time.Duration
	// Deny, when not empty, is the reason the hub denies each subscribe
	// request with (hub.mode=denied to the callback, after its 202)
	// instead of verifying it.
	Deny string
	// Silent, when true, accepts each subscription request (202) and then
	// neither verifies nor denies it: a hub that lost the request, so the
	// subscriber's verify_timeout runs out.
	Silent bool
	// Algorithm signs deliveries: sha1, sha256 (default), sha384, sha512.
	Algorithm string
	requests  []Request
	subs      map[string]*Subscription // by callback
	verified  chan Subscription
	asked     chan Request
	closed    bool
}

// Start serves a hub on loopback; Close stops it.
func Start() *Hub {
	h := &Hub{subs: map[string]*Subscription{}, verified: make(chan Subscription, 64), asked: make(chan Request, 64),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	return h
}

// URL is the hub's address, to announce in a feed.
func (h *Hub) URL() string { return h.srv.URL + "/hub" }

// Close takes the hub away: its address refuses connections from now on.
func (h *Hub) Close() {
	h.mu.Lock()
	already := h.closed
	h.closed = true
	h.mu.Unlock()
	if !already {
		h.srv.CloseClientConnections()
		h.srv.Close()
	}
}

// Set changes the hub's behaviour under its lock.
func (h *Hub) Set(f func(h *Hub)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(h)
}

// Verified delivers each subscription the hub verifies, as it does.
func (h *Hub) Verified() <-chan Subscription { return h.verified }

// Asked delivers each subscription request the hub receives.
func (h *Hub) Asked() <-chan Request { return h.asked }

// Requests returns every request received so far.
func (h *Hub) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.requests...)
}

// Subscriptions returns the verified subscriptions whose lease runs.
func (h *Hub) Subscriptions(topic string) []Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Subscription
	for _, s := range h.subs {
		if s.Topic == topic && time.Since(s.VerifiedAt) < s.Lease {
			out = append(out, *s)
		}
	}
	return out
}

func (h *Hub) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/hub" {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	req := Request{Mode: r.PostForm.Get("hub.mode"), Callback: r.PostForm.Get("hub.callback"),
		Topic: r.PostForm.Get("hub.topic"), Secret: r.PostForm.Get("hub.secret"), At: time.Now()}
	req.LeaseSeconds, _ = strconv.Atoi(r.PostForm.Get("hub.lease_seconds"))
	h.mu.Lock()
	h.requests = append(h.requests, req)
	refuse, retryAfter, lease, deny, silent := h.Refuse, h.RetryAfter, h.Lease, h.Deny, h.Silent
	h.mu.Unlock()
	select {
	case h.asked <- req:
	default:
	}
	switch {
	case refuse != 0:
		if retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
		}
		http.Error(w, "this hub refuses subscriptions for the test", refuse)
		return
	case req.Mode != "subscribe" && req.Mode != "unsubscribe", req.Callback == "", req.Topic == "":
		http.Error(w, "hub.mode, hub.callback and hub.topic are required", http.StatusBadRequest)
		return
	case len(req.Secret) >= 200:
		http.Error(w, "hub.secret must be under 200 bytes", http.StatusBadRequest)
		return
	}
	if lease <= 0 {
		lease = time.Duration(req.LeaseSeconds) * time.Second
	}
	w.WriteHeader(http.StatusAccepted)
	if silent {
		return
	}
	if deny != "" && req.Mode == "subscribe" {
		go h.deny(req, deny)
		return
	}
	// Verification of intent happens after the response, as the spec
	// requires of a hub.
	go h.verifyIntent(req, lease)
}

// deny tells the subscriber its request is denied (WebSub §5.2).
func (h *Hub) deny(req Request, reason string) {
	q := url.Values{"hub.mode": {"denied"}, "hub.topic": {req.Topic}, "hub.reason": {reason}}
	resp, err := h.callback(req.Callback, q)
	if err != nil {
		return
	}
	resp.Body.Close()
	h.mu.Lock()
	delete(h.subs, req.Callback)
	h.mu.Unlock()
}

// callback GETs the subscriber's callback with q added to its query.
func (h *Hub) callback(callback string, q url.Values) (*http.Response, error) {
	sep := "?"
	if strings.Contains(callback, "?") {
		sep = "&"
	}
	return h.client.Get(callback + sep + q.Encode())
}

func (h *Hub) verifyIntent(req Request, lease time.Duration) {
	challenge := randomHex(16)
	q := url.Values{"hub.mode": {req.Mode}, "hub.topic": {req.Topic}, "hub.challenge": {challenge}}
	if req.Mode == "subscribe" {
		q.Set("hub.lease_seconds", strconv.Itoa(int(lease/time.Second)))
	}
	resp, err := h.callback(req.Callback, q)
	if err != nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 || string(body) != challenge {
		return // not verified: the subscription state is left as it was
	}
	h.mu.Lock()
	var sub Subscription
	if req.Mode == "unsubscribe" {
		delete(h.subs, req.Callback)
	} else {
		sub = Subscription{Callback: req.Callback, Topic: req.Topic, Secret: req.Secret, Lease: lease, VerifiedAt: time.Now()}
		h.subs[req.Callback] = &sub
	}
	h.mu.Unlock()
	if req.Mode == "subscribe" {
		select {
		case h.verified <- sub:
		default:
		}
	}
}

// Delivery is the outcome of one content distribution request.
type Delivery struct {
	Callback string
	Status   int
	Header   http.Header
	Err      error
}

// Publish distributes body to every subscriber of topic whose lease runs,
// signed with its secret, and returns each subscriber's answer.
func (h *Hub) Publish(ctx context.Context, topic, contentType string, body []byte) []Delivery {
	var out []Delivery
	for _, s := range h.Subscriptions(topic) {
		out = append(out, h.Deliver(ctx, s.Callback, contentType, body, h.Sign(s.Secret, body)))
	}
	return out
}

// Sign returns the X-Hub-Signature value for body under secret, with the
// hub's algorithm.
func (h *Hub) Sign(secret string, body []byte) string {
	h.mu.Lock()
	alg := h.Algorithm
	h.mu.Unlock()
	return Sign(alg, secret, body)
}

// Sign computes an X-Hub-Signature value ("sha256=…"); an empty algorithm
// means sha256.
func Sign(algorithm, secret string, body []byte) string {
	newHash := map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha384": sha512.New384, "sha512": sha512.New}
	if algorithm == "" {
		algorithm = "sha256"
	}
	mac := hmac.New(newHash[algorithm], []byte(secret))
	mac.Write(body)
	return algorithm + "=" + hex.EncodeToString(mac.Sum(nil))
}

// Deliver POSTs body to callback with the given signature header ("" for
// none), as a hub — or a forger — would.
func (h *Hub) Deliver(ctx context.Context, callback, contentType string, body []byte, signature string) Delivery {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callback, strings.NewReader(string(body)))
	if err != nil {
		return Delivery{Callback: callback, Err: err}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Link", fmt.Sprintf(`<%s>; rel="hub"`, h.URL()))
	if signature != "" {
		req.Header.Set("X-Hub-Signature", signature)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return Delivery{Callback: callback, Err: err}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return Delivery{Callback: callback, Status: resp.StatusCode, Header: resp.Header}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
