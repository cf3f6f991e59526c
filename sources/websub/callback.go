package websub

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// maxChallenge bounds the hub.challenge echoed back: hubs send a short
// random string, and the callback must not become a reflector.
const maxChallenge = 1024

// maxLease bounds a granted lease: the spec forbids perpetual leases, and
// a hub granting one must not overflow a timer.
const maxLease = 365 * 24 * time.Hour

// ServeHTTP is the callback: GET is a hub's verification of intent, POST
// a content delivery. The subscription is the last path segment, the
// token of its callback URL; the hub's Link headers are never used to
// identify it (the spec forbids it: they describe the topic).
func (s *Subscriber) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token := path.Base(r.URL.Path)
	s.mu.Lock()
	n := s.byToken[token]
	s.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		s.verify(w, r, n)
	case http.MethodPost:
		s.deliver(w, r, n)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "the WebSub callback takes GET (verification) and POST (delivery)", http.StatusMethodNotAllowed)
	}
}

// verify answers a hub's verification of intent. It echoes hub.challenge
// only for the topic of a subscription this callback asked for and still
// wants (the spec's guard against subscriptions made in our name), and
// for an unsubscription only when we asked for that; anything else is
// 404, which the spec defines as "not agreed".
func (s *Subscriber) verify(w http.ResponseWriter, r *http.Request, n *sub) {
	q := r.URL.Query()
	mode, topic, challenge := q.Get("hub.mode"), q.Get("hub.topic"), q.Get("hub.challenge")
	refuse := func(why string) {
		s.d.Metrics.Verifications.WithLabelValues(modeLabel(mode), "refused").Inc()
		s.logRefusal("websub verification refused", r, "mode", clip(mode), "topic", clip(topic), "why", why)
		http.Error(w, why, http.StatusNotFound)
	}
	if n == nil {
		refuse("no subscription has this callback")
		return
	}
	if !sameTopic(topic, n.topic) {
		refuse("hub.topic is not this subscription's topic")
		return
	}
	now := time.Now()
	s.mu.Lock()
	switch mode {
	case "subscribe":
		if n.stopping || !(n.awaiting || n.state == stateActive) || challenge == "" || len(challenge) > maxChallenge {
			s.mu.Unlock()
			refuse("no subscription of this topic is wanted here, or the challenge is missing or too long")
			return
		}
		if !n.awaiting {
			// Active, and no request of ours is waiting: a hub repeating
			// itself, or someone who knows the callback. Agreed (the
			// subscription is wanted), but the lease and the renewal stay
			// those of the last verification we asked for, or a made-up
			// lease of a year would stop renewals while the hub's ends.
			s.mu.Unlock()
			s.d.Metrics.Verifications.WithLabelValues(mode, "confirmed").Inc()
			s.logRefusal("websub verification not asked for: agreed, the lease is left as it was", r,
				"feed_url", record.RedactURL(n.feedURL), "lease_seconds", clip(q.Get("hub.lease_seconds")))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			_, _ = io.WriteString(w, challenge)
			return
		}
		lease := s.cfg.Lease // the hub MUST send one; without it, what we asked for
		if secs, err := strconv.ParseInt(q.Get("hub.lease_seconds"), 10, 64); err == nil && secs > 0 {
			lease = time.Duration(min(secs, int64(maxLease/time.Second))) * time.Second
		}
		n.awaiting, n.overdue, n.recheck, n.verified, n.lease, n.leaseEnd = false, false, false, true, lease, now.Add(lease)
		s.setStateLocked(n, stateActive)
	case "unsubscribe":
		if !n.stopping || challenge == "" || len(challenge) > maxChallenge {
			s.mu.Unlock()
			refuse("no unsubscription of this topic was asked for")
			return
		}
	case "denied":
		reason := cmp.Or(strings.TrimSpace(q.Get("hub.reason")), "no reason given")
		if !n.awaiting || n.overdue && n.state == stateActive {
			// A hub may deny at any time, even an active subscription
			// (WebSub §5.2), but a denial carries nothing only the hub
			// could send: no challenge, no signature. Anyone who knows the
			// callback could end the subscription with one. With no
			// request of ours waiting (none sent, or, of an active
			// subscription, its verify_timeout ran out and we ask again
			// after a backoff anyway), the subscription is asked for again
			// (a renewal, no sooner than retry_initial after the last
			// request): the hub's answer to it, a verification or a
			// denial, decides. Pushes go on meanwhile.
			active := n.state == stateActive && !n.stopping
			if active {
				n.recheck = true
			}
			s.mu.Unlock()
			if !active {
				refuse("no subscription request of this topic is waiting for the hub's answer")
				return
			}
			select {
			case n.signal <- struct{}{}:
			default:
			}
			s.d.Metrics.Verifications.WithLabelValues(mode, "recheck").Inc()
			s.logRefusal("websub denial of an active subscription not asked for: asking the hub again, its answer decides", r,
				"feed_url", record.RedactURL(n.feedURL), "reason", clip(reason))
			w.WriteHeader(http.StatusOK)
			return
		}
		// The answer to our request: the hub's (or someone's who knows
		// the callback and when we asked), late or not: one that was never
		// verified has nothing a forged denial could end, and a slow hub's
		// denial moves it on to the next hub.
		n.denied = reason
		n.awaiting = false
		challenge = ""
		if n.state == stateActive {
			s.setStateLocked(n, stateLapsed)
			defer s.d.Target.PushStopped(n.feedURL)
		}
	default:
		s.mu.Unlock()
		refuse("hub.mode must be subscribe, unsubscribe or denied")
		return
	}
	s.mu.Unlock()
	select { // wake the loop; one pending signal is enough
	case n.signal <- struct{}{}:
	default:
	}
	s.d.Metrics.Verifications.WithLabelValues(mode, "confirmed").Inc()
	s.d.Log.Debug("websub verification confirmed", "mode", mode, "feed_url", record.RedactURL(n.feedURL), "lease_seconds", q.Get("hub.lease_seconds"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, challenge)
}

func modeLabel(mode string) string {
	switch mode {
	case "subscribe", "unsubscribe", "denied":
		return mode
	}
	return "other"
}

// sameTopic compares topic URLs as hubs may echo them: hubs decode
// percent-encoded unreserved characters (WHATWG URL), so two spellings of
// one URL are one topic.
func sameTopic(a, b string) bool {
	if a == b {
		return true
	}
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.String() == ub.String()
}

// deliver takes a content distribution request. In order: the
// subscription must exist and be active; the body must fit
// poller.max_body_bytes; the signature must match (an unsigned or
// mis-signed delivery is acknowledged with 2xx, as the spec requires, so a
// forger learns nothing, but dropped and counted); then the subscription's
// rate limit applies, so a forger cannot spend a hub's allowance; then the
// feed's loop takes it.
func (s *Subscriber) deliver(w http.ResponseWriter, r *http.Request, n *sub) {
	m := s.d.Metrics
	if n == nil {
		m.Deliveries.WithLabelValues(DeliveryUnknown).Inc()
		s.logRefusal("websub delivery refused: no subscription has this callback", r, "path", clip(r.URL.Path))
		http.Error(w, "no subscription has this callback", http.StatusNotFound)
		return
	}
	now := time.Now()
	s.mu.Lock()
	active := n.state == stateActive && now.Before(n.leaseEnd) && !n.stopping
	s.mu.Unlock()
	if !active {
		m.Deliveries.WithLabelValues(DeliveryNotActive).Inc()
		s.logRefusal("websub delivery refused: the subscription is not active", r, "feed_url", record.RedactURL(n.feedURL))
		http.Error(w, "this subscription is not active (not verified yet, or its lease ended)", http.StatusNotFound)
		return
	}
	select {
	case s.reading <- struct{}{}:
		defer func() { <-s.reading }()
	default:
		m.Deliveries.WithLabelValues(DeliveryBusy).Inc()
		s.logRefusal("websub delivery refused: too many deliveries being read at once", r, "feed_url", record.RedactURL(n.feedURL), "limit", maxDeliveriesInFlight)
		w.Header().Set("Retry-After", "30")
		w.Header().Set("Connection", "close")
		http.Error(w, "busy; retry later", http.StatusServiceUnavailable)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.d.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			m.Deliveries.WithLabelValues(DeliveryTooLarge).Inc()
			s.logRefusal("websub delivery refused: body over the size limit", r, "feed_url", record.RedactURL(n.feedURL), "limit_bytes", s.d.MaxBodyBytes)
			http.Error(w, fmt.Sprintf("body over %d byte limit", s.d.MaxBodyBytes), http.StatusRequestEntityTooLarge)
			return
		}
		m.Deliveries.WithLabelValues(DeliveryBadRequest).Inc()
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	sig := r.Header.Get("X-Hub-Signature")
	if sig == "" {
		m.Deliveries.WithLabelValues(DeliveryUnsigned).Inc()
		s.logRefusal("websub delivery dropped: not signed, though the subscription has a secret", r, "feed_url", record.RedactURL(n.feedURL))
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := checkSignature(sig, n.secret, raw); err != nil {
		m.Deliveries.WithLabelValues(DeliveryBadSignature).Inc()
		s.logRefusal("websub delivery dropped: bad signature", r, "feed_url", record.RedactURL(n.feedURL), "err", err)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	// A signed body already taken is a replay (or a hub's retry of a
	// delivery whose 2xx it missed): acknowledged, not taken again. The
	// body is held from here and let go if it is not taken after all.
	digest := sha256.Sum256(raw)
	s.mu.Lock()
	replay := !n.recent.add(digest)
	s.mu.Unlock()
	if replay {
		m.Deliveries.WithLabelValues(DeliveryReplayed).Inc()
		s.logRefusal("websub delivery dropped: the body of a delivery already taken (a replay)", r, "feed_url", record.RedactURL(n.feedURL))
		w.WriteHeader(http.StatusAccepted)
		return
	}
	taken := false
	defer func() {
		if !taken {
			s.mu.Lock()
			n.recent.remove(digest)
			s.mu.Unlock()
		}
	}()
	if wait, ok := n.bucket.take(now); !ok {
		m.Deliveries.WithLabelValues(DeliveryRateLimited).Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		http.Error(w, "too many deliveries for this subscription", http.StatusTooManyRequests)
		return
	}
	body, err := decodeBody(raw, r.Header.Get("Content-Encoding"), s.d.MaxBodyBytes)
	if err != nil {
		m.Deliveries.WithLabelValues(DeliveryBadRequest).Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// The count alone lets a hub push max_pushes_per_minute documents of
	// max_body_bytes, each parsed by the feed's loop: the bytes are
	// counted too, max_body_bytes a minute (two at once).
	if n.bytes != nil {
		if wait, ok := n.bytes.takeN(now, float64(len(body))); !ok {
			m.Deliveries.WithLabelValues(DeliveryRateLimited).Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			http.Error(w, "too many bytes delivered for this subscription; retry later", http.StatusTooManyRequests)
			return
		}
	}
	if err := s.d.Target.Push(r.Context(), n.feedURL, r.Header.Get("Content-Type"), body); err != nil {
		m.Deliveries.WithLabelValues(DeliveryBusy).Inc()
		s.d.Log.Info("websub delivery deferred: the feed cannot take it now; the hub will retry", "err", err)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy; retry later", http.StatusServiceUnavailable)
		return
	}
	taken = true
	m.Deliveries.WithLabelValues(DeliveryAccepted).Inc()
	m.DeliveryBytes.Add(float64(len(body)))
	w.WriteHeader(http.StatusAccepted)
}

// algorithms are the HMAC methods WebSub recognises (FIPS 180-4).
var algorithms = map[string]func() hash.Hash{
	"sha1": sha1.New, "sha256": sha256.New, "sha384": sha512.New384, "sha512": sha512.New,
}

// checkSignature verifies an X-Hub-Signature value, "method=hex", against
// the HMAC of body keyed with secret, in constant time.
func checkSignature(header, secret string, body []byte) error {
	method, sig, ok := strings.Cut(strings.TrimSpace(header), "=")
	if !ok {
		return errors.New("X-Hub-Signature is not method=signature")
	}
	newHash := algorithms[strings.ToLower(method)]
	if newHash == nil {
		return fmt.Errorf("X-Hub-Signature method %.20q is not one of sha1, sha256, sha384, sha512", method)
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return errors.New("X-Hub-Signature signature is not hexadecimal")
	}
	mac := hmac.New(newHash, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("X-Hub-Signature does not match the body")
	}
	return nil
}

// decodeBody undoes a Content-Encoding a hub may apply, within the same
// size cap as a fetch (a small gzip bomb stops at the limit).
func decodeBody(raw []byte, encoding string, limit int64) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return raw, nil
	case "gzip", "x-gzip":
		// Bytes after the gzip stream are not the document, as in a
		// fetched body (feed.GzipReader).
		zr, err := feed.GzipReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		b, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("body over %d byte limit once decompressed", limit)
		}
		return b, nil
	}
	return nil, fmt.Errorf("Content-Encoding %.40q is not supported", encoding)
}

// bucket is a token bucket: n deliveries per period, refilled smoothly.
type bucket struct {
	mu     sync.Mutex
	tokens float64
	max    float64
	rate   float64 // tokens per second
	last   time.Time
}

func newBucket(n int, per time.Duration) *bucket {
	return &bucket{tokens: float64(n), max: float64(n), rate: float64(n) / per.Seconds()}
}

// newBytesBucket is a delivery's byte allowance: perMinute bytes a
// minute, up to two minutes' worth at once; nil (no allowance) when
// perMinute is not positive.
func newBytesBucket(perMinute int64) *bucket {
	if perMinute <= 0 {
		return nil
	}
	return newBucket(int(2*perMinute), 2*time.Minute)
}

// take spends a token; when none is left it says how long until one is.
func (b *bucket) take(now time.Time) (wait time.Duration, ok bool) {
	return b.takeN(now, 1)
}

// takeN spends n tokens (n at most the bucket's size); when fewer are
// left it says how long until there are.
func (b *bucket) takeN(now time.Time, n float64) (wait time.Duration, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = min(b.max, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= n {
		b.tokens -= n
		return 0, true
	}
	return time.Duration((n - b.tokens) / b.rate * float64(time.Second)), false
}

// maxDeliveriesInFlight bounds the delivery bodies being read at once,
// across subscriptions: each may be poller.max_body_bytes, and a leaked
// callback URL must not let 10,000 slow POSTs hold 10,000 bodies. More
// are answered 503 with Retry-After before a byte of theirs is read; a
// real hub retries, and polling still has the items.
const maxDeliveriesInFlight = 8

// refusalLogEvery is how often one kind of refusal is logged at most; the
// lines in between are counted and the next line says how many.
const refusalLogEvery = 10 * time.Second

// refusals rate-limits the log lines of refused requests, one limit per
// kind (a fixed set of strings), so a client cannot fill the log.
type refusals struct {
	mu         sync.Mutex
	last       map[string]time.Time
	suppressed map[string]int
	now        func() time.Time // time.Now; a test's clock, so a slow box does not open a new window
}

// log writes one refusal of kind, saying where the request came from,
// unless that kind was logged within refusalLogEvery.
func (s *Subscriber) logRefusal(kind string, r *http.Request, args ...any) {
	rf := &s.refused
	now := time.Now()
	if rf.now != nil {
		now = rf.now()
	}
	rf.mu.Lock()
	if rf.last == nil {
		rf.last, rf.suppressed = map[string]time.Time{}, map[string]int{}
	}
	if t, ok := rf.last[kind]; ok && now.Sub(t) < refusalLogEvery {
		rf.suppressed[kind]++
		rf.mu.Unlock()
		return
	}
	n := rf.suppressed[kind]
	rf.last[kind], rf.suppressed[kind] = now, 0
	rf.mu.Unlock()
	args = append(args, "remote_addr", r.RemoteAddr)
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		args = append(args, "forwarded_for", clip(fwd))
	}
	if n > 0 {
		args = append(args, "same_refusals_not_logged", n, "log_every", refusalLogEvery.String())
	}
	s.d.Log.Warn(kind, args...)
}

// clip cuts what a client sent short enough to log.
func clip(v string) string {
	const max = 200
	if len(v) <= max {
		return v
	}
	return v[:max] + "…(" + strconv.Itoa(len(v)) + " bytes)"
}

// replayWindow is how many accepted delivery bodies per subscription are
// remembered to refuse their replay: 64 SHA-256 digests, 2 KB.
const replayWindow = 64

// recentBodies holds the digests of the last replayWindow bodies taken,
// oldest first. WebSub deliveries carry no nonce or timestamp, so a
// repeat of one of them is the replay a subscriber can detect.
type recentBodies struct {
	digests [][sha256.Size]byte
}

// add records d and reports true, or reports false when d is there.
func (b *recentBodies) add(d [sha256.Size]byte) bool {
	if slices.Contains(b.digests, d) {
		return false
	}
	if len(b.digests) == replayWindow {
		b.digests = slices.Delete(b.digests, 0, 1)
	}
	b.digests = append(b.digests, d)
	return true
}

func (b *recentBodies) remove(d [sha256.Size]byte) {
	if i := slices.Index(b.digests, d); i >= 0 {
		b.digests = slices.Delete(b.digests, i, i+1)
	}
}
