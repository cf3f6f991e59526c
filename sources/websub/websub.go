// Package websub is a WebSub (formerly PubSubHubbub, W3C Recommendation
// 2018) subscriber: it subscribes to the hubs feeds announce, so a new item
// arrives in seconds instead of at the next poll, and hands every verified
// delivery to the feed poller, which parses it, sends it down the pipeline
// and acknowledges it exactly as it does a poll. Polling stays as the
// fallback: while pushes arrive the feed is polled at a relaxed interval,
// and when they stop it is polled normally again.
//
// The poller tells it which hubs a feed announces (rel="hub" and
// rel="self" links in the feed or its HTTP Link header) through FeedLinks.
// For each feed with a hub it keeps one subscription: it asks the hub
// with a fresh unguessable callback URL and a per-subscription secret,
// confirms the hub's verification of intent (echoing hub.challenge only
// for a topic it asked for), renews before the lease ends, and moves to
// the feed's next hub, with backoff, when a hub errs, denies or goes away.
//
// It promises: a delivery without a valid HMAC signature of its body
// (X-Hub-Signature: sha1, sha256, sha384 or sha512, keyed with the
// subscription's secret) never reaches the pipeline and is counted;
// deliveries are capped in size (poller.max_body_bytes) and rate
// (max_pushes_per_minute); requests to hubs go through the same private-
// network guard and per-host concurrency limit as feed fetches (the
// poller's own, passed as Deps.Guard and Deps.Limit); a lease that ends
// without renewal is reported to the poller at once.
package websub

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// Target takes pushed content: the feed poller.
type Target interface {
	// Push hands a verified delivery to the feed's loop, which parses it
	// like a fetched body and delivers its new items. It must not block;
	// an error means "not now" and the hub is asked to retry.
	Push(ctx context.Context, feedURL, contentType string, body []byte) error
	// PushStopped says pushes for the feed stopped (the lease lapsed, the
	// hub went away, the feed dropped its hub): poll it normally.
	PushStopped(feedURL string)
}

// Deps are what the subscriber shares with the feed poller: its limits
// apply to hubs too.
type Deps struct {
	Target Target
	// Guard refuses private networks when dialling hubs (the feed
	// poller's guard, with poller.allow_networks).
	Guard *netguard.Guard
	// UserAgent is sent to hubs.
	UserAgent string
	// MaxBodyBytes caps a delivery (poller.max_body_bytes).
	MaxBodyBytes int64
	// Limit, when set, is taken around every request to a hub, with the
	// hub's URL: the daemon passes the feed poller's per-host limiter
	// (feed.Poller.AcquireHost), so hub requests and feed fetches share
	// one cap per host. Unset, the subscriber keeps its own cap of
	// PerHostConcurrency requests per hub host.
	Limit func(ctx context.Context, rawURL string) (release func(), err error)
	// PerHostConcurrency caps requests in flight to one hub host without
	// Limit, and sizes the idle connections kept per hub host.
	PerHostConcurrency int
	// ConnectTimeout and Timeout bound one request to a hub.
	ConnectTimeout time.Duration
	Timeout        time.Duration
	Log            *slog.Logger
	Metrics        *Metrics
}

// Subscriber keeps one subscription per feed that announces a hub and
// serves the callback. Build it with New, start it with Run.
type Subscriber struct {
	cfg    Config
	d      Deps
	base   string // PublicURL without a trailing slash
	client *http.Client
	limit  func(ctx context.Context, rawURL string) (release func(), err error)

	mu      sync.Mutex
	byFeed  map[string]*sub
	byToken map[string]*sub
	runCtx  context.Context // set by Run; loops start then
	loops   sync.WaitGroup

	reading chan struct{} // one token per delivery body being read
	refused refusals
}

// New checks cfg and builds the subscriber. Nil Log discards, nil Metrics
// are unregistered.
func New(cfg Config, d Deps) (*Subscriber, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !cfg.Enabled {
		return nil, errors.New("websub: not enabled (websub.enabled is false)")
	}
	if d.Target == nil || d.Guard == nil {
		return nil, errors.New("websub: Deps.Target and Deps.Guard are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil)
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = 10 << 20
	}
	if d.PerHostConcurrency <= 0 {
		d.PerHostConcurrency = 2
	}
	if d.Timeout <= 0 {
		d.Timeout = 30 * time.Second
	}
	if d.ConnectTimeout <= 0 {
		d.ConnectTimeout = 10 * time.Second
	}
	s := &Subscriber{cfg: cfg, d: d, base: strings.TrimRight(cfg.PublicURL, "/"),
		limit: d.Limit, byFeed: map[string]*sub{}, byToken: map[string]*sub{},
		reading: make(chan struct{}, maxDeliveriesInFlight)}
	if s.limit == nil {
		own := newHostLimiter(d.PerHostConcurrency)
		s.limit = func(ctx context.Context, rawURL string) (func(), error) {
			return own.acquire(ctx, feed.HostKey(rawURL))
		}
	}
	s.client = newClient(d)
	return s, nil
}

// Subscription states (label of wirestream_websub_subscriptions).
const (
	statePending = "pending"
	stateActive  = "active"
	stateLapsed  = "lapsed"
)

// sub is one feed's subscription. Its loop owns hubIdx; the rest of the
// mutable fields are guarded by Subscriber.mu, because the callback
// handler reads and writes them.
type sub struct {
	feedURL  string
	topic    string
	hubs     []string
	hubIdx   int
	token    string
	callback string
	secret   string
	bucket   *bucket      // deliveries a minute
	bytes    *bucket      // their decoded bytes: max_body_bytes a minute
	recent   recentBodies // guarded by Subscriber.mu
	cancel   context.CancelFunc
	done     chan struct{}
	signal   chan struct{} // cap 1: the hub verified or denied

	state    string // "" before the first request, then pending, active, lapsed
	awaiting bool   // a subscribe request was sent: a verification may come
	// overdue: the awaited request's verify_timeout ran out. A late
	// verification still counts; a denial of an active subscription is
	// no longer taken as the hub's answer but checked with the hub, as
	// one nobody asked for (one of a pending subscription still is).
	overdue  bool
	leaseEnd time.Time
	lease    time.Duration // granted by the last verification
	denied   string        // the hub's reason, set by the handler, taken by the loop
	recheck  bool          // a denial came with no request waiting: the loop asks the hub again
	// verified: a verification of our request came since the loop last
	// looked. One wake-up may carry it together with a recheck (the
	// signal holds one), and the loop must hear both.
	verified bool
	stopping bool // removed: only an unsubscribe verification is confirmed
	started  bool
}

// FeedLinks is told, after each successful poll, which hubs a feed
// announces and its self URL (the topic to subscribe to; the feed URL when
// empty). It starts, changes or ends the feed's subscription accordingly,
// and returns at once.
func (s *Subscriber) FeedLinks(feedURL string, hubs []string, self string) {
	hubs = cleanHubs(hubs)
	topic := self
	if !isHTTP(topic) {
		topic = feedURL
	}
	// The hub is another party, often a public one: a feed's user and
	// password go to the feed's host alone.
	topic = withoutUserinfo(topic)
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.byFeed[feedURL]
	if old != nil && old.topic == topic && slices.Equal(old.hubs, hubs) {
		return
	}
	if old != nil {
		s.stopLocked(old)
	}
	if len(hubs) == 0 {
		return
	}
	n := &sub{feedURL: feedURL, topic: topic, hubs: hubs, token: newToken(), secret: newSecret(),
		bucket: newBucket(s.cfg.MaxPushesPerMinute, time.Minute), bytes: newBytesBucket(s.d.MaxBodyBytes), signal: make(chan struct{}, 1), done: make(chan struct{})}
	n.callback = s.base + "/" + n.token
	s.byFeed[feedURL] = n
	s.byToken[n.token] = n
	if s.runCtx != nil && s.runCtx.Err() == nil { // not once Run is over
		s.startLocked(n)
	}
}

// maxHubs bounds the hubs tried per feed: a feed listing hundreds is
// hostile, not generous.
const maxHubs = 4

func cleanHubs(in []string) []string {
	var out []string
	for _, h := range in {
		h = strings.TrimSpace(h)
		if isHTTP(h) && !slices.Contains(out, h) && len(out) < maxHubs {
			out = append(out, h)
		}
	}
	return out
}

func isHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// newToken is the callback's capability: 128 random bits, so a callback
// URL cannot be guessed and a delivery to it names its subscription.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// newSecret is the HMAC key the hub signs deliveries with: 256 bits, as
// 64 hex characters (the spec caps hub.secret at 200 bytes).
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Subscriber) startLocked(n *sub) {
	ctx, cancel := context.WithCancel(s.runCtx)
	n.cancel, n.started = cancel, true
	s.loops.Go(func() { s.loop(ctx, n) })
}

// stopLocked ends a subscription whose links changed or vanished: its
// loop unsubscribes (while the token still confirms that) and reports
// the end of pushes.
func (s *Subscriber) stopLocked(n *sub) {
	n.stopping = true
	delete(s.byFeed, n.feedURL)
	if n.started {
		n.cancel()
		return
	}
	delete(s.byToken, n.token)
}

// Run serves the callback on ln (a new listener on websub.listen when
// nil) and keeps the subscriptions until ctx ends. Subscriptions are not
// cancelled at the hub on shutdown: the next start subscribes afresh under
// new callbacks, and the old ones fail until their leases end.
func (s *Subscriber) Run(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.cfg.Listen); err != nil {
			return fmt.Errorf("websub: listen on %s: %w", s.cfg.Listen, err)
		}
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.d.Timeout,
		WriteTimeout:      s.d.Timeout,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.d.Log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.d.Log.Info("websub callback listening", "addr", ln.Addr().String(), "public_url", s.base)

	s.mu.Lock()
	s.runCtx = ctx
	for _, n := range s.byFeed {
		s.startLocked(n)
	}
	s.mu.Unlock()

	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
		// Without a callback no push can arrive: the subscriptions end and
		// their feeds are polled normally; the daemon goes on.
		err = fmt.Errorf("websub: serve the callback: %w", err)
		s.d.Log.Error("websub callback listener failed; push is off until restart, feeds are polled normally", "err", err)
	}
	s.mu.Lock()
	for _, n := range s.byFeed {
		if n.started {
			n.cancel()
		}
	}
	s.mu.Unlock()
	s.loops.Wait()
	s.client.CloseIdleConnections()
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	return err
}

// withoutUserinfo is u without its user and password, as it may be said
// to a hub; u itself when it has none or does not parse.
func withoutUserinfo(u string) string {
	if !strings.Contains(u, "@") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = nil
	return p.String()
}
