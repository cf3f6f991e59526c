package daemon

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sources/feed"
)

const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><title>Council approves the budget for city parks</title><link>https://wire.example/parks</link><guid>parks</guid>
<description>The council approved the budget on Tuesday after a long debate about maintenance costs and new playgrounds.</description></item>
<item><title>Rail strike called off after late talks</title><link>https://wire.example/rail</link><guid>rail</guid>
<description>Unions called off the strike after talks that ran late into the night, the transport ministry said.</description></item>
</channel></rss>`

// flakySink fails its first write, as a broker that refuses a batch
// would, and keeps what it is given after that.
type flakySink struct {
	mu     sync.Mutex
	writes int
	recs   []record.Record
}

func (s *flakySink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	if s.writes == 1 {
		return errors.New("kafka: not enough replicas")
	}
	s.recs = append(s.recs, recs...)
	return nil
}

func (s *flakySink) stories() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.recs {
		if r.RecordType() == record.TypeStory {
			n++
		}
	}
	return n
}

// The daemon's own wiring of the real poller and the real pipeline: a
// write the sink fails reaches the feed's loop at once, through the
// batch's ack, and the feed is read again after its retry backoff — not
// after commit_timeout (ten minutes) — and unconditionally, so the items
// a 304 would hide are published.
func TestAFailedWriteReachesTheFeedAtOnce(t *testing.T) {
	var mu sync.Mutex
	var conditional []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conditional = append(conditional, r.Header.Get("If-None-Match") != "")
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rss))
	}))
	defer srv.Close()

	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Poller.StartSpread = 0
	cfg.Poller.BackoffInitial, cfg.Poller.BackoffMax, cfg.Poller.BackoffJitter = 100*time.Millisecond, time.Second, 0
	if cfg.Poller.CommitTimeout < 10*time.Minute {
		t.Fatalf("commit_timeout %s: the test needs the default safety net, far beyond its wait", cfg.Poller.CommitTimeout)
	}
	stateLog, err := state.OpenFile(cfg.DataDir, cfg.State, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(prometheus.NewRegistry(), "test")
	d := &Daemon{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	sink := &flakySink{}
	if err := d.assemble(t.Context(), Options{Feeds: []feed.Spec{{URL: srv.URL + "/rss"}}, Metrics: m, Log: d.log}, stateLog, sink); err != nil {
		t.Fatal(err)
	}
	defer d.Store.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	deadline := time.Now().Add(60 * time.Second) // a guard against hanging, far below commit_timeout
	for sink.stories() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the feed's 2 stories were not published after the failed write")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(conditional) < 2 || conditional[0] || conditional[1] {
		t.Errorf("polls sent If-None-Match: %v; the re-read after the failed batch must be unconditional", conditional)
	}
	if n := testutil.ToFloat64(m.Poller.BatchesFailed); n != 1 {
		t.Errorf("wirestream_feed_batches_failed_total = %v, want 1", n)
	}
	if n := testutil.ToFloat64(m.Poller.CommitTimeouts); n != 0 {
		t.Errorf("wirestream_feed_commit_timeouts_total = %v: the feed learned of the failure only from the safety net", n)
	}
}

// A constructor that fails returns its error; it must not replace it with
// a nil-pointer panic while closing what it had opened (the named result is
// nil by then). A data directory another process holds is the first step
// that can fail, before any broker is asked.
func TestNewReturnsItsErrorWhenTheDataDirIsHeld(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	held, err := state.OpenFile(cfg.DataDir, cfg.State, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	m := NewMetrics(prometheus.NewRegistry(), "test")
	d, err := New(t.Context(), cfg, Options{Metrics: m, Log: slog.New(slog.DiscardHandler)})
	if err == nil {
		d.Close()
		t.Fatal("New opened a data directory another state log holds")
	}
	if d != nil {
		t.Errorf("New returned a daemon with its error %v", err)
	}
	t.Logf("error as a user sees it: %v", err)
}

// The roles' constructors close what they opened the same way: a sink
// that cannot reach its broker fails NewProcessor with that error.
func TestNewProcessorReturnsItsErrorWithoutABroker(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Kafka.Brokers = []string{"127.0.0.1:1"} // nothing listens on port 1
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	p, err := NewProcessor(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.DiscardHandler))
	if err == nil {
		p.Close()
		t.Fatal("NewProcessor reached a broker on 127.0.0.1:1")
	}
	t.Logf("error as a user sees it: %v", err)
}
