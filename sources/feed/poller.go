package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// Assigner decides which feeds this instance polls. Each value received
// from the channel is the complete current assignment, each feed with its
// own settings: the poller starts loops for feeds that appear, stops loops
// for feeds that disappear, and restarts the loop of a feed whose settings
// changed. The channel may stay open for the life of ctx or be closed once
// the assignment is final; once ctx ended, the assigner closes it when it
// has finished (a fetcher's has left its group then): the poller's Run
// waits for that, up to drain_timeout, before it returns. StaticAssigner
// hands out the configured list; sources/feed/feedtopics.Assigner the
// feeds of the partitions a fetcher owns in a Kafka consumer group.
type Assigner interface {
	Assign(ctx context.Context, feeds []Spec) (<-chan []Spec, error)
}

// StaticAssigner assigns every feed to this instance, once.
type StaticAssigner struct{}

// Assign sends feeds once and closes the channel.
func (StaticAssigner) Assign(_ context.Context, feeds []Spec) (<-chan []Spec, error) {
	ch := make(chan []Spec, 1)
	ch <- slices.Clone(feeds)
	close(ch)
	return ch, nil
}

// Poller polls the assigned feeds: a heap of their next polls and
// workers for the feeds being polled (sched.go), not a goroutine a feed.
type Poller struct {
	cfg   Config
	feeds []Spec
	// static is a configured feed's place in feeds and headers, by URL:
	// an index, not a second copy of its 80-byte Spec in a map slot (a
	// map of Specs and one of headers held ≈ 210 B a feed; round 46).
	static  map[string]int
	headers []map[string]string // feeds[i]'s headers, ${VAR} expanded
	store   StateStore
	assign  Assigner
	log     *slog.Logger
	m       *Metrics
	limits  *limiter
	guard   *netguard.Guard
	// unsent bounds polls that are fetching, or hold a parsed document
	// the pipeline has not taken yet. Without it, a pipeline that falls
	// behind leaves every feed's loop holding its parsed items: 300 MB of
	// a 434 MB heap at 10,000 feeds. With it, backpressure delays fetches
	// instead of piling up their results.
	unsent chan struct{}
	// waiting is how many feeds' polls are due and wait for a slot of
	// unsent (the scheduler's ready queue), as the scheduler last saw it.
	waiting atomic.Int64
	// behind is the last minute of polls' lateness and gaps (Behind).
	behind  behindWindow
	fetcher *fetcher
	// fetch is the HTTP seam: tests of the scheduler replace it to run
	// under testing/synctest without sockets.
	fetch func(context.Context, fetchRequest) (*fetchResult, error)

	// Push (see push.go): each feed's inbox, the hub watcher (nil: push
	// off) and the relaxed interval while pushes arrive.
	inboxMu sync.Mutex // inbox grows as push is turned on and as an assigner hands out feeds
	inbox   map[string]*inbox
	hubs    HubWatcher
	relaxed time.Duration
	// pushNotes wakes the scheduler for a feed whose inbox took a push.
	pushNotes *wakeNotes
	// hostsFreed wakes the scheduler for a host one of whose polls ended
	// while feeds of it were parked (limiter.freed).
	hostsFreed *wakeNotes
	// board is each polled feed's latest state, for Health.
	board board
	// feedKeys are the feed_status keys of URLs with a secret, kept for
	// the poller's life: a feed's loop is made again each time its
	// partition comes back. The store's memo when it keeps one
	// (keyedStateStore): one hash per URL per process.
	feedKeys *record.FeedKeys
	// repeats are the assignment's entries that repeat a request, as
	// last logged (wanted; Run's goroutine only).
	repeats assignmentRepeats
}

// NewPoller checks cfg and feeds, expands header references from the
// environment, and builds the HTTP client. Nil assign means StaticAssigner;
// nil m means unregistered metrics; nil log discards.
func NewPoller(cfg Config, feeds []Spec, store StateStore, assign Assigner, log *slog.Logger, m *Metrics) (*Poller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new poller: %w", err)
	}
	if store == nil {
		return nil, errors.New("new poller: a StateStore is required")
	}
	if assign == nil {
		assign = StaticAssigner{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	p := &Poller{cfg: cfg, store: store, assign: assign, log: log, m: m,
		static: map[string]int{}, inbox: map[string]*inbox{},
		feedKeys: new(record.FeedKeys), pushNotes: newWakeNotes(), hostsFreed: newWakeNotes()}
	if ks, ok := store.(keyedStateStore); ok {
		p.feedKeys = ks.FeedKeys()
	}
	seen := map[string]bool{}
	var errs []error
	for _, s := range feeds {
		if err := s.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[s.URL] {
			errs = append(errs, fmt.Errorf("feeds[%s]: listed twice", record.RedactURL(s.URL)))
			continue
		}
		seen[s.URL] = true
		h, err := expandHeaders(s, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.static[s.URL] = len(p.feeds)
		p.feeds, p.headers = append(p.feeds, s), append(p.headers, h)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new poller: %w", err)
	}
	p.guard = cfg.Guard()
	p.fetcher = newFetcher(cfg, p.guard)
	p.fetch = p.fetcher.fetch
	p.limits = newLimiter(cfg.GlobalConcurrency, cfg.PerHostConcurrency)
	p.limits.onHeld = m.HeldRequests.Inc
	p.limits.freed = p.hostsFreed.note
	// A probe takes its slots, then up to poller.timeout: taken for lost
	// at the timeout itself, each probe that timed out was joined by a
	// second one just before its failure came in.
	p.limits.probeWait = 2 * cfg.Timeout
	p.unsent = make(chan struct{}, 2*cfg.GlobalConcurrency)
	p.behind.started = time.Now()
	behindNow := func() bool { return p.Behind().IsBehind() }
	m.behindNow.Store(&behindNow)
	return p, nil
}

// Guard is the private-network guard feed fetches go through (poller.
// allow_networks applied): requests to WebSub hubs use it too.
func (p *Poller) Guard() *netguard.Guard { return p.guard }

// AcquireHost takes a slot of the poller's per-host and global request
// limits for a request to rawURL's host, as a feed fetch does, blocking
// until one is free or ctx ends; call release once after a nil error.
// Requests to WebSub hubs take it too, so a hub on a publisher's host
// shares that host's cap with its feeds.
func (p *Poller) AcquireHost(ctx context.Context, rawURL string) (release func(), err error) {
	return p.limits.acquire(ctx, HostKey(rawURL))
}

// Run polls until ctx is cancelled, sending one record.Batch per poll that
// yields new or revised items or a status change. A feed is not polled
// again until its previous batch was acked (or commit_timeout passed); a
// batch acked with an error is read again after a backoff. Every batch
// received from out must be acked, also after ctx ends: a stopping loop
// waits up to drain_timeout for it.
// Run returns nil after ctx is cancelled and every loop has exited; it
// returns an error only if the Assigner fails to start.
func (p *Poller) Run(ctx context.Context, out chan<- record.Batch) error {
	defer p.fetcher.close()
	updates, err := p.assign.Assign(ctx, p.feeds)
	if err != nil {
		return fmt.Errorf("poller: assign feeds: %w", err)
	}
	starts := newFirstPolls(p.cfg.PerHostConcurrency, p.cfg.StartSpread)
	p.limits.spaceWaves(starts.feedsOn, p.cfg.StartSpread)
	s := newScheduler(p, out)
	for {
		// Run's context ended: no feed's context is registered with it
		// (feedCtx), so its end is taken before any other event. A
		// select picks at random among ready cases, and an assignment,
		// a step's end or a due poll's slot taken first started a poll
		// under a feed context still live: a request after shutdown.
		if ctx.Err() != nil {
			s.stopAll()
			p.awaitAssigner(updates)
			return nil
		}
		timer, slot := s.next()
		select {
		case <-ctx.Done():
			s.stopAll()
			p.awaitAssigner(updates)
			return nil
		case specs, ok := <-updates:
			if !ok {
				updates = nil // assignment final; keep running
				continue
			}
			p.assigned(ctx, s, starts, specs)
		case st := <-s.steps:
			s.stepEnded(st)
		case <-p.pushNotes.wake:
			s.pushesFor(p.pushNotes.take())
		case <-p.hostsFreed.wake:
			s.unpark(p.hostsFreed.take())
		case <-timer:
		case slot <- struct{}{}:
			s.pollHead()
		}
	}
}

// assigned applies an assignment: feeds that left it or whose settings
// changed are stopped, new ones started (one replacing a feed still
// ending starts once that one ended: scheduler.remove).
func (p *Poller) assigned(ctx context.Context, s *scheduler, starts *firstPolls, specs []Spec) {
	want := p.wanted(specs)
	for u, f := range s.feeds {
		if w, keep := want[u]; !keep || !sameSpec(w.spec, f.l.spec) {
			s.remove(f)
		}
	}
	offsets := starts.next(time.Now(), slices.Collect(maps.Keys(want)), func(u string) bool { _, ok := s.feeds[u]; return !ok })
	for u, w := range want {
		if _, ok := s.feeds[u]; ok {
			continue
		}
		if err := p.cfg.BelowFloor(w.spec); err != nil {
			// The shared feed list is written by others than this
			// instance's operator: poll at the floor, and say so.
			p.log.Warn("feed asks to be polled more often than poller.min_interval allows; polling it at that floor",
				"feed_url", record.RedactURL(u), "floor", p.cfg.MinInterval, "err", err)
		}
		l := p.newLoop(w.spec, w.headers)
		l.first = offsets[u]
		s.add(ctx, l)
	}
	p.m.Assigned.Set(float64(len(s.feeds)))
}

// awaitAssigner waits, once ctx ended and every loop stopped, for the
// assigner to close its channel, up to drain_timeout: a fetcher's assigner
// leaves its consumer group then, so that its partitions move to the other
// fetchers at once. Returning before it did let the process exit first,
// and its feeds waited out cluster.session_timeout (round 28, operator28).
// A channel that stays open (an assigner with nothing to finish) costs the
// timeout only if it is not closed; StaticAssigner's is closed already.
func (p *Poller) awaitAssigner(updates <-chan []Spec) {
	if updates == nil {
		return
	}
	timeout := time.NewTimer(p.cfg.DrainTimeout)
	defer timeout.Stop()
	for {
		select {
		case _, ok := <-updates:
			if !ok {
				return
			}
		case <-timeout.C:
			p.log.Warn("feed assigner did not finish within the drain timeout; stopping without it",
				"drain_timeout", p.cfg.DrainTimeout)
			return
		}
	}
}

// assigned is a feed to poll, with its headers expanded.
type assigned struct {
	spec    Spec
	headers map[string]string
}

// wanted checks an assignment: each feed carries its own settings, which
// are validated and whose header references are expanded here, on this
// instance, from its environment. A feed that fails is logged and not
// polled (its settings are fixed where they are kept, not here).
func (p *Poller) wanted(specs []Spec) map[string]assigned {
	p.repeats.check(specs, p.log)
	want := make(map[string]assigned, len(specs))
	for _, s := range specs {
		if i, static := p.static[s.URL]; static && sameSpec(s, p.feeds[i]) {
			want[s.URL] = assigned{spec: s, headers: p.headers[i]}
			continue
		}
		if err := s.Validate(); err != nil {
			p.m.AssignErrors.Inc()
			p.log.Error("assigned feed has invalid settings; not polling it", "feed_url", record.RedactURL(s.URL), "err", err)
			continue
		}
		h, err := expandHeaders(s, nil)
		if err != nil {
			p.m.AssignErrors.Inc()
			p.log.Error("assigned feed cannot be polled from this instance; not polling it", "feed_url", record.RedactURL(s.URL), "err", err)
			continue
		}
		want[s.URL] = assigned{spec: s, headers: h}
	}
	return want
}

// sameSpec reports whether two settings of a feed poll it alike.
func sameSpec(a, b Spec) bool {
	return a.URL == b.URL && a.Name == b.Name && slices.Equal(a.Tags, b.Tags) &&
		a.MinInterval == b.MinInterval && a.MaxInterval == b.MaxInterval && maps.Equal(a.Headers, b.Headers)
}
