package daemon

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// silentBroker is an address that takes connections and never answers on them, so a read of
// feed_status there waits until its context ends; accepted gets a value at each connection.
func silentBroker(t *testing.T) (addr string, accepted <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String(), testkit.HoldSilently(t, ln)
}

// A stop while the start's legacy feed_status scan waits on the broker is not a failure: the
// scan ends with it and says so at most at INFO, with no WARN that the records are left (a
// broker that does not answer still WARNs: TestTheStartsLegacyStatusReadWithNoBrokerWarnsWithoutASecret).
func TestAStopDuringTheLegacyStatusScanIsNoWarning(t *testing.T) {
	addr, accepted := silentBroker(t)
	cfg := kafka.DefaultConfig()
	cfg.Brokers = []string{addr}
	var buf testkit.LockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tombstoneLegacyStatusKeys(ctx, cfg, nil, legacyStatusFeeds, log)
	}()
	bound, cancel := context.WithTimeout(t.Context(), legacyStatusTimeout/2)
	defer cancel()
	select {
	case <-accepted: // the scan is asking the broker: now stop
	case <-bound.Done():
		t.Fatal("the scan never reached the broker")
	}
	stop()
	select {
	case <-done:
	case <-bound.Done():
		t.Fatalf("the scan did not end with the stop; the log:\n%s", buf.String())
	}
	out := buf.String()
	if strings.Contains(out, `"level":"WARN"`) || strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("a stop during the legacy feed_status scan was logged as a failure:\n%s", out)
	}
	if strings.Contains(out, "S3CRET") {
		t.Errorf("the log says a feed URL's secret:\n%s", out)
	}
}

// failingAssigner fails the poller's start, which ends Run with that error, once the start's
// legacy feed_status scan is asking the broker (reached): Run's end then finds it waiting there.
type failingAssigner struct{ reached <-chan struct{} }

var errAssignFailed = errors.New("test: assign failed")

func (a failingAssigner) Assign(ctx context.Context, _ []feed.Spec) (<-chan []feed.Spec, error) {
	select {
	case <-a.reached:
	case <-ctx.Done():
	}
	return nil, errAssignFailed
}

// A run that ends on an error of its own — its context still live — ends the start's legacy
// feed_status scan with it rather than waiting out the scan's bound (legacyStatusTimeout) on a
// broker that does not answer: Run returns the error within half that bound.
func TestARunEndingOnAnErrorDoesNotWaitForTheLegacyStatusScan(t *testing.T) {
	addr, accepted := silentBroker(t)
	cfg := hostileConfig(t)
	cfg.Kafka.Brokers = []string{addr}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	m := NewMetrics(prometheus.NewRegistry(), "test")
	// The scan runs when the daemon has a sink; it writes only after a read the silent broker
	// never answers, so a sink with no connection is never used.
	d := &Daemon{cfg: cfg, log: log, Sink: &kafka.Sink{}}
	if err := d.assemble(t.Context(), Options{Feeds: legacyStatusFeeds, Metrics: m, Log: log}, nil, &keepSink{}); err != nil {
		t.Fatal(err)
	}
	defer d.Store.Close()
	var err error
	if d.poller, err = feed.NewPoller(cfg.Poller, legacyStatusFeeds, d.Store, failingAssigner{accepted}, log, m.Poller); err != nil {
		t.Fatal(err)
	}
	bound, cancel := context.WithTimeout(t.Context(), legacyStatusTimeout/2)
	defer cancel()
	exited := make(chan error, 1)
	go func() { exited <- d.Run(t.Context()) }()
	select {
	case err := <-exited:
		if !errors.Is(err, errAssignFailed) {
			t.Errorf("Run: %v, want the poller's error %v", err, errAssignFailed)
		}
	case <-bound.Done():
		t.Fatalf("Run, its poller failed once the scan was asking the broker, had not returned after %s", legacyStatusTimeout/2)
	}
}
