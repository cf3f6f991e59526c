package feed

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The review of round 46's parking (BENCHMARKS.md, round 47, pollrev47):
// a busy host's due feeds wait parked for a place of its
// per_host_concurrency. Each test runs a poller on the bubble's clock
// over parkHost, whose one place a 2-s server holds, and checks what a
// lost wake-up, a leak or a double slot would break: every feed polled
// again, never two requests to the host at once, and once the poller
// stopped no place of any host and no slot of Poller.unsent still held.

const (
	parkHost     = "busy.example"
	parkServe    = 2 * time.Second
	parkInterval = 10 * time.Second
)

// parkURL is the i-th feed of parkHost.
func parkURL(i int) string { return fmt.Sprintf("https://%s/rss%d", parkHost, i) }

// parkServer answers the poller's fetches: parkHost's after parkServe,
// every other host's at once, each document with one item more than the
// last so that every poll yields a batch. answer, when set, may answer
// the n-th request of all to parkHost (from 1) in its place (ok false:
// the document).
type parkServer struct {
	mu       sync.Mutex
	answer   func(ctx context.Context, n int, req fetchRequest) (res *fetchResult, err error, ok bool)
	n        int                    // requests to parkHost
	inFlight int                    // of them running now
	most     int                    // the most that ran at once
	polls    map[string][]time.Time // every request's time, by URL
	titles   map[string][]string    // the feed title of every batch, by URL
}

func newParkServer() *parkServer {
	return &parkServer{polls: map[string][]time.Time{}, titles: map[string][]string{}}
}

func (s *parkServer) fetch(ctx context.Context, req fetchRequest) (*fetchResult, error) {
	s.mu.Lock()
	s.polls[req.URL] = append(s.polls[req.URL], time.Now())
	seq := len(s.polls[req.URL])
	busy := HostKey(req.URL) == parkHost
	n := 0
	if busy {
		s.n++
		n = s.n
		s.inFlight++
		s.most = max(s.most, s.inFlight)
	}
	answer := s.answer
	s.mu.Unlock()
	if busy {
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}()
		select {
		case <-time.After(parkServe):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if answer != nil {
			if res, err, ok := answer(ctx, n, req); ok {
				return res, err
			}
		}
	}
	return ok200(rssDoc("F", fmt.Sprintf("%s#%d", req.URL, seq)), ""), nil
}

// pollsOf are url's requests at or after from.
func (s *parkServer) pollsOf(url string, from time.Time) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var at []time.Time
	for _, t := range s.polls[url] {
		if !t.Before(from) {
			at = append(at, t)
		}
	}
	return at
}

// parkRun is a poller over a parkServer fed by a chanAssigner, running
// until stop.
type parkRun struct {
	p      *Poller
	srv    *parkServer
	assign chanAssigner
	end    func() // ends the run and waits for it
}

// parkCfg polls every feed every parkInterval, all at once from the
// start, with one place a host and 2 × 2 slots of Poller.unsent.
func parkCfg() Config {
	cfg := schedCfg()
	cfg.MinInterval, cfg.MaxInterval, cfg.DefaultInterval = parkInterval, parkInterval, parkInterval
	cfg.StartSpread = 0
	cfg.GlobalConcurrency = 2
	cfg.PerHostConcurrency = 1
	cfg.BackoffInitial, cfg.BackoffMax = parkInterval, parkInterval
	return cfg
}

// startParkRun starts a poller with cfg over srv; call it inside a
// synctest bubble and send the assignment to r.assign.ch.
func startParkRun(t *testing.T, cfg Config, srv *parkServer) *parkRun {
	t.Helper()
	r := &parkRun{srv: srv, assign: chanAssigner{ch: make(chan []Spec)}}
	p, err := NewPoller(cfg, nil, newMemStore(), r.assign, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.fetch = srv.fetch
	r.p = p
	r.end = runSeeing(t, p, func(b record.Batch) {
		srv.mu.Lock()
		srv.titles[b.Feed.URL] = append(srv.titles[b.Feed.URL], b.Feed.Title)
		srv.mu.Unlock()
	})
	return r
}

// stop ends the run and checks what it leaves: no place of any host
// counted (a claim or a user never given back holds a place of the host
// for good), no slot of Poller.unsent held, and no two requests to
// parkHost at once.
func (r *parkRun) stop(t *testing.T) {
	t.Helper()
	r.end()
	synctest.Wait()
	l := r.p.limits
	l.mu.Lock()
	for h, hs := range l.hosts {
		if hs.users != 0 || len(hs.sem) != 0 {
			t.Errorf("after the poller stopped %s has %d users and %d slots held, want none", h, hs.users, len(hs.sem))
		}
	}
	l.mu.Unlock()
	if n := len(r.p.unsent); n != 0 {
		t.Errorf("after the poller stopped %d slots of Poller.unsent are held, want none", n)
	}
	if n := len(r.p.limits.global); n != 0 {
		t.Errorf("after the poller stopped %d global slots are held, want none", n)
	}
	if r.srv.most > 1 {
		t.Errorf("%d requests ran at once on %s, whose per_host_concurrency is 1", r.srv.most, parkHost)
	}
}

// parkSpecs are n feeds of parkHost.
func parkSpecs(n int) []Spec {
	var specs []Spec
	for i := range n {
		specs = append(specs, Spec{URL: parkURL(i)})
	}
	return specs
}

// wantPolledAgain fails for each feed of urls polled fewer than want
// times since from.
func wantPolledAgain(t *testing.T, srv *parkServer, urls []string, from time.Time, want int) {
	t.Helper()
	for _, u := range urls {
		if got := srv.pollsOf(u, from); len(got) < want {
			t.Errorf("%s polled %d times since %v, want ≥ %d: %v", u, len(got), from.Format(time.TimeOnly), want, got)
		}
	}
}

func specURLs(specs []Spec) []string {
	var urls []string
	for _, s := range specs {
		urls = append(urls, s.URL)
	}
	return urls
}

// Parked feeds wait for their host's place while the limiter makes and
// sweeps the slots of hundreds of other hosts around them (a sweep at
// every doubling of its map): the host they wait for is kept, and each
// place it frees goes to one of them.
func TestParkedFeedsOutliveSweepsOfOtherHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newParkServer()
		r := startParkRun(t, parkCfg(), srv)
		busy := parkSpecs(4) // 8 s of the host's 10 s each interval
		specs := busy
		for i := range 300 {
			specs = append(specs, Spec{URL: fmt.Sprintf("https://h%d.example/rss", i)})
		}
		start := time.Now()
		r.assign.ch <- specs
		time.Sleep(90 * time.Second)
		r.stop(t)
		wantPolledAgain(t, srv, specURLs(busy), start, 7)
		wantPolledAgain(t, srv, specURLs(specs[4:]), start, 8)
	})
}

// A parked feed that leaves the assignment is never polled again, and
// one whose settings change while it is parked is polled with its new
// settings; its host's other feeds go on, and the place each leaves is
// not lost.
func TestAParkedFeedRemovedOrChangedWhileParked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newParkServer()
		r := startParkRun(t, parkCfg(), srv)
		specs := parkSpecs(4)
		r.assign.ch <- specs
		time.Sleep(time.Second) // one polls, three are parked
		var polling int
		for i, s := range specs {
			if len(srv.pollsOf(s.URL, time.Time{})) > 0 {
				polling = i
			}
		}
		parked := []int{}
		for i := range specs {
			if i != polling {
				parked = append(parked, i)
			}
		}
		gone, renamed := specs[parked[0]], specs[parked[1]]
		renamed.Name = "Renamed"
		next := []Spec{specs[polling], renamed, specs[parked[2]]}
		changedAt := time.Now()
		r.assign.ch <- next
		time.Sleep(90 * time.Second)
		r.stop(t)
		if got := srv.pollsOf(gone.URL, time.Time{}); len(got) != 0 {
			t.Errorf("a feed removed while parked was polled at %v, want never", got)
		}
		wantPolledAgain(t, srv, specURLs(next), changedAt, 8)
		srv.mu.Lock()
		defer srv.mu.Unlock()
		for _, title := range srv.titles[renamed.URL] {
			if title != "Renamed" {
				t.Errorf("a feed renamed while parked delivered a batch as %q, want only \"Renamed\"", title)
			}
		}
	})
}

// A host that answers 429 while feeds of it are parked holds them all:
// none is sent before the hold ends, and each is polled after it.
func TestAHoldOnAHostWithParkedFeeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newParkServer()
		const retryAfter = 30 * time.Second
		srv.answer = func(_ context.Context, n int, req fetchRequest) (*fetchResult, error, bool) {
			if n != 1 {
				return nil, nil, false
			}
			return nil, &fetchError{Class: Class4xx, Status: http.StatusTooManyRequests, RetryAfter: retryAfter, URL: req.URL,
				Err: fmt.Errorf("HTTP 429")}, true
		}
		r := startParkRun(t, parkCfg(), srv)
		specs := parkSpecs(4)
		start := time.Now()
		r.assign.ch <- specs
		time.Sleep(2 * time.Minute)
		r.stop(t)
		heldTill := start.Add(parkServe + retryAfter)
		for _, s := range specs {
			for _, at := range srv.pollsOf(s.URL, start.Add(time.Second)) {
				if at.Before(heldTill) {
					t.Errorf("%s polled %v after the start, inside the host's hold (till %v)", s.URL, at.Sub(start), heldTill.Sub(start))
				}
			}
		}
		wantPolledAgain(t, srv, specURLs(specs), heldTill, 7)
	})
}

// A poller stopped while feeds are parked ends every feed's step and
// gives back every place and slot (stop checks them; the bubble that no
// goroutine is left).
func TestShutdownWithParkedFeeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newParkServer()
		r := startParkRun(t, parkCfg(), srv)
		r.assign.ch <- parkSpecs(4)
		time.Sleep(time.Second) // one polls, three are parked
		r.stop(t)
	})
}

// The poll that holds a busy host's place fails — an error answer, a
// timeout — and the place it frees goes to a parked feed at once.
func TestAParkedFeedsHostFreedByAFailingPoll(t *testing.T) {
	for _, way := range []string{"502", "timeout"} {
		t.Run(way, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newParkServer()
				cfg := parkCfg()
				cfg.Timeout = 5 * time.Second
				srv.answer = func(ctx context.Context, n int, req fetchRequest) (*fetchResult, error, bool) {
					if n > 2 {
						return nil, nil, false
					}
					if way == "timeout" {
						<-ctx.Done() // the poll's deadline ends it
						return nil, context.Cause(ctx), true
					}
					return nil, &fetchError{Class: Class5xx, Status: http.StatusBadGateway, URL: req.URL, Err: fmt.Errorf("bad gateway")}, true
				}
				r := startParkRun(t, cfg, srv)
				specs := parkSpecs(4)
				start := time.Now()
				r.assign.ch <- specs
				time.Sleep(90 * time.Second)
				r.stop(t)
				// Two failing polls, then two of 2 s: every feed polled
				// within 2 × (the timeout or 2 s) + 2 × 2 s of the start.
				failFor := parkServe
				if way == "timeout" {
					failFor = cfg.Timeout
				}
				firstBy := start.Add(2*failFor + 2*parkServe)
				for _, s := range specs {
					got := srv.pollsOf(s.URL, start)
					if len(got) == 0 || got[0].After(firstBy) {
						t.Errorf("%s first polled at %v, want by %v after the start", s.URL, got, firstBy.Sub(start))
					}
				}
				wantPolledAgain(t, srv, specURLs(specs), start, 7)
			})
		})
	}
}

// A host marked for its parked feeds (limiter.vacancies, when a freed
// place is fewer than they) whose feeds then all leave the assignment is
// no longer marked: the sweep, which keeps a marked host for the feeds
// that wait for it, kept its slot for good once none did — one slot
// for each host whose feeds a rebalance took away at such a moment.
func TestAHostWhoseParkedFeedsAllLeftIsSweptAgain(t *testing.T) {
	p, err := NewPoller(parkCfg(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newScheduler(p, nil)
	l := p.limits
	if !l.claim(parkHost) { // a poll holds the host's one place
		t.Fatal("an idle host has no room")
	}
	var feeds []*schedFeed
	for i := range 3 {
		f := &schedFeed{l: p.newLoop(Spec{URL: parkURL(i)}, nil), ctx: feedCtx{parent: context.Background()}, index: -1, host: parkHost}
		s.feeds[f.l.spec.URL] = f
		feeds = append(feeds, f)
		if l.room(parkHost) {
			t.Fatal("a host whose one place is claimed has room")
		}
		s.park(f)
	}
	l.unclaim(parkHost) // the poll ended: a place for one of the three
	s.unpark(p.hostsFreed.take())
	if s.ready.Len() != 1 || s.parked[parkHost].Len() != 2 {
		t.Fatalf("after a place freed %d feeds are ready and %d parked, want 1 and 2", s.ready.Len(), s.parked[parkHost].Len())
	}
	for _, f := range feeds {
		s.remove(f)
	}
	if len(s.parked) != 0 || s.ready.Len() != 0 {
		t.Fatalf("after every feed left %d hosts have parked feeds and %d feeds are ready", len(s.parked), s.ready.Len())
	}
	l.mu.Lock()
	l.sweep()
	_, kept := l.hosts[parkHost]
	l.mu.Unlock()
	if kept {
		t.Error("the sweep kept the slot of a host none of whose feeds waits for it any more")
	}
}

// wirestream_feed_polls_parked counts the feeds waiting for a place of
// their host (parked): an operator sees a host whose due feeds outnumber
// its per_host_concurrency before its polls come late. It falls as they
// are polled or leave, and reads 0 once the poller stopped.
func TestPollsParkedCountsFeedsWaitingForTheirHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newParkServer()
		r := startParkRun(t, parkCfg(), srv)
		parked := func() float64 { return testutil.ToFloat64(r.p.m.PollsParked) }
		specs := parkSpecs(4)
		r.assign.ch <- specs
		time.Sleep(time.Second) // one polls, three are parked
		if got := parked(); got != 3 {
			t.Errorf("with one of a one-place host's 4 due feeds polling, %v parked, want 3", got)
		}
		time.Sleep(2 * time.Second) // the next polls
		if got := parked(); got != 2 {
			t.Errorf("after the first poll ended %v parked, want 2", got)
		}
		var polled []Spec
		for _, s := range specs {
			if len(srv.pollsOf(s.URL, time.Time{})) > 0 {
				polled = append(polled, s)
			}
		}
		r.assign.ch <- polled // the two parked ones leave
		synctest.Wait()
		if got := parked(); got != 0 {
			t.Errorf("after the parked feeds left %v parked, want 0", got)
		}
		r.assign.ch <- specs
		time.Sleep(time.Second)
		r.stop(t)
		if got := parked(); got != 0 {
			t.Errorf("after the poller stopped %v parked, want 0", got)
		}
	})
}
