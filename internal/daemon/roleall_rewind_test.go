package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// nowhere is a sink that takes every write: failingSink keeps the records.
type nowhere struct{}

func (nowhere) Write(context.Context, []record.Record) error { return nil }

// The single process (`run --role all`) over the file log in its data
// directory: when a write fails, its batch — and every batch decided
// after it, on memory that held its decisions — is read again, and the
// pipeline first takes the state that only memory held (events, spikes,
// what enrichment learned) back to what the log holds. The re-read
// stories are not counted twice: the outcome is that of a run whose
// writes never failed, but for revision numbers, which rise on the sink
// and skip what superseding the failed batches' event records spent.
// The feeder stands in for the poller: a feed whose
// batch was acked with an error is read again, here before any other and
// one batch at a time, so the stories reach the pipeline in the order of
// the run without failures (with batches in flight, those screened
// before the rewind go on ahead of the re-read ones: a legitimately
// different order, not a double count). This is the path of `run --role
// all`: the file log in the data directory restored by NewPipeline.
func TestRoleAllFailedWritesAreNotCountedTwice(t *testing.T) {
	polls := archive.Polls()
	run := func(fail map[int]bool) archive.Outcome {
		t.Helper()
		sink := &failingSink{next: nowhere{}, fail: fail}
		cfg := roleAllConfig(filepath.Join(t.TempDir(), "data"))
		cfg.Pipeline.MaxInFlightBatches = 1 // see above
		pl := runRoleAll(t, cfg, sink, polls)
		if err := pl.Store.Close(); err != nil {
			t.Fatal(err)
		}
		archive.RequireRevisionsRise(t, sink.records())
		return archive.OutcomeOf(sink.records())
	}
	want := run(nil)
	if len(want.Final) == 0 || len(want.Alerts) == 0 {
		t.Fatalf("the archive made %d events and %d alerts: the test proves nothing", len(want.Final), len(want.Alerts))
	}
	for _, fail := range []map[int]bool{
		{3: true},
		{2: true, 6: true, 9: true},
		{10: true, 11: true, 12: true},
	} {
		t.Run(fmt.Sprintf("writes %v fail", keys(fail)), func(t *testing.T) {
			archive.RequireSameButRevisions(t, "never-fails", want, "fails", run(fail))
		})
	}
}

// runRoleAll runs the pipeline of `run --role all` over the file log in
// cfg.DataDir, writing to sink: it feeds polls as feedAgainAfterFailures
// does, with up to cfg.Pipeline.MaxInFlightBatches out, waits for the
// pipeline to stop, flushes the spike bucket the last story opened, and
// returns the pipeline with its store still open.
func runRoleAll(t *testing.T, cfg config.Config, sink pipeline.Sink, polls []archive.Poll) *Pipeline {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pl := openRoleAll(ctx, t, cfg, sink)
	in := make(chan record.Batch)
	ran := make(chan error, 1)
	go func() { ran <- pl.Run(ctx, in) }()
	feedAgainAfterFailures(ctx, t, polls, cfg.Pipeline.MaxInFlightBatches, in)
	close(in)
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if err := pl.Flush(ctx, pl.Clock().Add(cfg.Spikes.Bucket)); err != nil {
		t.Fatal(err)
	}
	return pl
}

// roleAllConfig is the default configuration over dataDir, for the
// archive's event time.
func roleAllConfig(dataDir string) config.Config {
	cfg := config.Default()
	cfg.DataDir = dataDir
	// Event time is the archive's (the year 2000): a maintenance tick
	// would move it to today's wall clock and close every event.
	cfg.Pipeline.MaintenanceInterval = 24 * time.Hour
	return cfg
}

// openRoleAll restores the pipeline from the file log in cfg.DataDir, as
// `run --role all` does at start.
func openRoleAll(ctx context.Context, t *testing.T, cfg config.Config, sink pipeline.Sink) *Pipeline {
	t.Helper()
	m := NewMetrics(prometheus.NewRegistry(), "test")
	log := slog.New(slog.DiscardHandler)
	fl, err := state.OpenFile(cfg.DataDir, cfg.State, m.State, log)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPipeline(ctx, cfg, fl, sink, m, log)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// feedAgainAfterFailures hands polls to the pipeline through in, up to
// window unacknowledged at once. When a batch is acked with an error it
// stops, waits for every batch out, and reads again from the first that
// failed, as a poller reads a failed feed again.
func feedAgainAfterFailures(ctx context.Context, t *testing.T, polls []archive.Poll, window int, in chan<- record.Batch) {
	t.Helper()
	type ack struct {
		i   int
		err error
	}
	acks := make(chan ack, len(polls)*4)
	next, out, firstFailed, rounds := 0, 0, -1, 0
	for next < len(polls) || out > 0 {
		if firstFailed < 0 && next < len(polls) && out < window {
			i := next
			b := polls[i].Batch()
			b.Ack = func(_ context.Context, err error) { acks <- ack{i, err} }
			select {
			case in <- b:
			case <-ctx.Done():
				t.Fatalf("the pipeline did not take poll %d: %v", i, ctx.Err())
			}
			next++
			out++
			continue
		}
		select {
		case a := <-acks:
			out--
			if a.err != nil && (firstFailed < 0 || a.i < firstFailed) {
				firstFailed = a.i
			}
		case <-ctx.Done():
			t.Fatalf("%d batches not acked: %v", out, ctx.Err())
		}
		if out == 0 && firstFailed >= 0 {
			if rounds++; rounds > 20 {
				t.Fatal("batches kept failing")
			}
			next, firstFailed = firstFailed, -1
		}
	}
}

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
