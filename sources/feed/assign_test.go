package feed

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

// chanAssigner hands the poller whatever the test sends, as a fetcher's
// assigner hands it the feeds of the partitions it gains and loses.
type chanAssigner struct{ ch chan []Spec }

func (a chanAssigner) Assign(context.Context, []Spec) (<-chan []Spec, error) { return a.ch, nil }

// assignRun is a poller built with no feeds at all, fed by a chanAssigner,
// under testing/synctest with the HTTP layer replaced.
type assignRun struct {
	assign chanAssigner
	m      *Metrics
	mu     sync.Mutex
	reqs   map[string][]fetchRequest // by feed URL
	at     map[string][]time.Time    // when each request was made
	logs   testkit.LockedBuffer      // the poller's log
	tags   map[string][]string       // the tags on each feed's latest batch
	end    func()                    // ends the run and waits for it
}

func startAssignRun(t *testing.T, env map[string]string) *assignRun {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	r := &assignRun{assign: chanAssigner{ch: make(chan []Spec)}, m: NewMetrics(nil),
		reqs: map[string][]fetchRequest{}, at: map[string][]time.Time{}, tags: map[string][]string{}}
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval = time.Minute, time.Minute
	p, err := NewPoller(cfg, nil, newMemStore(), r.assign, slog.New(slog.NewTextHandler(&r.logs, nil)), r.m)
	if err != nil {
		t.Fatal(err)
	}
	p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.reqs[req.URL] = append(r.reqs[req.URL], req)
		r.at[req.URL] = append(r.at[req.URL], time.Now())
		// A new item every poll, so every poll yields a batch.
		return ok200(rssDoc("Feed", "item"+time.Now().Format("150405")), ""), nil
	}
	r.end = runSeeing(t, p, func(b record.Batch) {
		r.mu.Lock()
		r.tags[b.Feed.URL] = b.Feed.Tags
		r.mu.Unlock()
	})
	return r
}

func (r *assignRun) stop() { r.end() }

func (r *assignRun) polls(url string) []fetchRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]fetchRequest(nil), r.reqs[url]...)
}

func (r *assignRun) times(url string) []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.at[url]...)
}

func (r *assignRun) lastTags(url string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tags[url]
}

// A fetcher's poller is built with no feeds: everything it polls comes
// from its assigner, each feed with its own settings.
func TestPollerPollsFeedsItWasNotBuiltWithAsTheAssignerHandsThemOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startAssignRun(t, map[string]string{"WIRE_TOKEN": "s3cret"})
		a := Spec{URL: "https://a.example/rss", Tags: []string{"world"}, Headers: map[string]string{"Authorization": "Bearer ${WIRE_TOKEN}"}}
		b := Spec{URL: "https://b.example/rss"}
		r.assign.ch <- []Spec{a, b}
		time.Sleep(90 * time.Second)
		if n := len(r.polls(a.URL)); n < 1 {
			t.Fatalf("feed a polled %d times after it was assigned", n)
		}
		if got := r.polls(a.URL)[0].Headers["Authorization"]; got != "Bearer s3cret" {
			t.Errorf("feed a's Authorization header = %q, want the reference expanded from this instance's environment", got)
		}
		if g := testutil.ToFloat64(r.m.Assigned); g != 2 {
			t.Errorf("wirestream_feed_assigned = %v, want 2", g)
		}

		// Partition of b lost, a's settings changed: b stops, a restarts
		// with its new tags.
		a.Tags = []string{"world", "europe"}
		r.assign.ch <- []Spec{a}
		time.Sleep(time.Second)
		stoppedAt := len(r.polls(b.URL))
		time.Sleep(5 * time.Minute)
		if n := len(r.polls(b.URL)); n != stoppedAt {
			t.Errorf("feed b polled %d more times after it left the assignment", n-stoppedAt)
		}
		if got := r.lastTags(a.URL); len(got) != 2 || got[1] != "europe" {
			t.Errorf("feed a's latest batch has tags %q, want its new settings [world europe]", got)
		}
		r.stop()
		synctest.Wait()
	})
}

// A feed this instance cannot poll (a header naming a variable its
// environment lacks, settings that do not validate) is skipped and
// counted; the rest of the assignment is polled.
func TestPollerSkipsAssignedFeedsItCannotPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startAssignRun(t, nil)
		good := Spec{URL: "https://good.example/rss"}
		noEnv := Spec{URL: "https://secret.example/rss", Headers: map[string]string{"X-Key": "${WIRESTREAM_TEST_UNSET_VAR}"}}
		bad := Spec{URL: "ftp://bad.example/rss"}
		r.assign.ch <- []Spec{good, noEnv, bad}
		time.Sleep(90 * time.Second)
		if len(r.polls(good.URL)) == 0 {
			t.Error("the valid feed was not polled")
		}
		if n := len(r.polls(noEnv.URL)) + len(r.polls(bad.URL)); n != 0 {
			t.Errorf("feeds that cannot be polled were requested %d times", n)
		}
		if got := testutil.ToFloat64(r.m.AssignErrors); got != 2 {
			t.Errorf("wirestream_feed_assign_errors_total = %v, want 2", got)
		}
		if g := testutil.ToFloat64(r.m.Assigned); g != 1 {
			t.Errorf("wirestream_feed_assigned = %v, want 1", g)
		}
		r.stop()
		synctest.Wait()
	})
}

// leavingAssigner is a fetcher's assigner in small: once ctx ends it takes
// a while to leave its consumer group, and closes its channel after.
type leavingAssigner struct {
	ch   chan []Spec
	left chan struct{} // closed once it has left
}

func (a leavingAssigner) Assign(ctx context.Context, feeds []Spec) (<-chan []Spec, error) {
	go func() {
		a.ch <- feeds
		<-ctx.Done()
		time.Sleep(2 * time.Second) // the LeaveGroup round trip
		close(a.left)
		close(a.ch)
	}()
	return a.ch, nil
}

// A fetcher stopped with SIGTERM must leave its group before the process
// exits, or its feeds wait out cluster.session_timeout before another
// fetcher polls them (README "a fetcher stops": "it leaves the group at
// once"). Run returned as soon as its loops stopped, and the process exited
// with the leave still to be sent (round 28, operator28: 9.3 s to move the
// feeds of a fetcher stopped cleanly, where a processor's moved in 1.6 s).
func TestRunReturnsOnlyOnceTheAssignerHasLeft(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := leavingAssigner{ch: make(chan []Spec, 1), left: make(chan struct{})}
		cfg := schedCfg()
		cfg.DrainTimeout = 30 * time.Second
		p, err := NewPoller(cfg, nil, newMemStore(), a, slog.New(slog.DiscardHandler), NewMetrics(nil))
		if err != nil {
			t.Fatal(err)
		}
		p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
			return ok200(rssDoc("Feed", "item"), ""), nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		out := make(chan record.Batch)
		go func() {
			for b := range out {
				b.Ack(context.Background(), nil)
			}
		}()
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx, out) }()
		synctest.Wait()
		cancel()
		<-done
		select {
		case <-a.left:
		default:
			t.Fatal("Run returned before the assigner had left its group and closed its channel")
		}
		close(out)
	})
}
