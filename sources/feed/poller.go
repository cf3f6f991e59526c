package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// Assigner decides which feeds this instance polls. Each value received
// from the channel is the complete current assignment: the poller starts
// loops for feeds that appear and stops loops for feeds that disappear.
// The channel may stay open for the life of ctx or be closed once the
// assignment is final. Today there is StaticAssigner; later several
// instances will split the list (e.g. through Kafka consumer groups) and
// only this changes.
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

// Poller runs one loop per assigned feed.
type Poller struct {
	cfg     Config
	feeds   []Spec
	headers map[string]map[string]string // by feed URL, ${VAR} expanded
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
	unsent  chan struct{}
	fetcher *fetcher
	// fetch is the HTTP seam: tests of the scheduler replace it to run
	// under testing/synctest without sockets.
	fetch func(context.Context, fetchRequest) (*fetchResult, error)

	// Push (see push.go): each feed's inbox, the hub watcher (nil: push
	// off) and the relaxed interval while pushes arrive.
	inbox   map[string]*inbox
	hubs    HubWatcher
	relaxed time.Duration
	// board is each polled feed's latest state, for Health.
	board board
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
		headers: map[string]map[string]string{}, inbox: map[string]*inbox{}}
	seen := map[string]bool{}
	var errs []error
	for _, s := range feeds {
		if err := s.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[s.URL] {
			errs = append(errs, fmt.Errorf("feeds[%s]: listed twice", s.URL))
			continue
		}
		seen[s.URL] = true
		h, err := expandHeaders(s, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.headers[s.URL] = h
		p.inbox[s.URL] = newInbox()
		p.feeds = append(p.feeds, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new poller: %w", err)
	}
	allow, _ := parseNetworks(cfg.AllowNetworks) // checked by Validate
	p.guard = netguard.New(allow)
	p.fetcher = newFetcher(cfg, p.guard)
	p.fetch = p.fetcher.fetch
	p.limits = newLimiter(cfg.GlobalConcurrency, cfg.PerHostConcurrency)
	p.unsent = make(chan struct{}, 2*cfg.GlobalConcurrency)
	return p, nil
}

// Guard is the private-network guard feed fetches go through (poller.
// allow_networks applied): requests to WebSub hubs use it too.
func (p *Poller) Guard() *netguard.Guard { return p.guard }

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
	type running struct {
		cancel context.CancelFunc
		done   chan struct{}
	}
	loops := map[string]running{}
	var wg sync.WaitGroup
	stopAll := func() {
		for _, r := range loops {
			r.cancel()
		}
		wg.Wait()
	}
	for {
		select {
		case <-ctx.Done():
			stopAll()
			return nil
		case specs, ok := <-updates:
			if !ok {
				updates = nil // assignment final; keep running
				continue
			}
			want := map[string]Spec{}
			for _, s := range specs {
				if _, known := p.headers[s.URL]; !known {
					p.log.Warn("assigner returned an unknown feed; ignored", "feed_url", s.URL)
					continue
				}
				want[s.URL] = s
			}
			for u, r := range loops {
				if _, keep := want[u]; !keep {
					r.cancel()
					<-r.done
					delete(loops, u)
				}
			}
			for u, s := range want {
				if _, ok := loops[u]; ok {
					continue
				}
				lctx, cancel := context.WithCancel(ctx)
				done := make(chan struct{})
				loops[u] = running{cancel: cancel, done: done}
				l := p.newLoop(s)
				wg.Go(func() {
					defer close(done)
					l.run(lctx, out)
				})
			}
		}
	}
}
