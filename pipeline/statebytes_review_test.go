package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// sendUntil sends storyBatch from, from+1, … until ctx ends, and returns
// the feeds of the batches Run took: a batch still with its sender when
// ctx ends is not Run's to ack.
func sendUntil(ctx context.Context, in chan<- record.Batch, acks *acks, from int) []string {
	var taken []string
	for i := from; ; i++ {
		b := storyBatch(i, acks)
		select {
		case in <- b:
			taken = append(taken, b.Feed.URL)
		case <-ctx.Done():
			return taken
		}
	}
}

// A stop while the intake waits past max_in_flight_state_bytes (the sink
// answers nothing) ends Run within the drain timeout: the wait ends with
// Run's context, the work in flight is abandoned, the works taken and not
// decided are decided and fail with it, every batch taken is acked once
// with an error, none is left undecided, the bytes go back to 0 and no
// goroutine of Run is left (synctest fails on one still blocked).
func TestAStopWhileTheStateBytesBoundHoldsTheIntakeEndsRunAndAcksEveryBatchTakenOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})} // never opened
		cfg := DefaultConfig()
		cfg.DecideQueuedTogether = false
		cfg.MaxInFlightStateBytes = 1
		p := pipelineOnLog(t, nil, state.DefaultConfig(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
		acks := newAcks()
		in := make(chan record.Batch)
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- p.Run(ctx, in) }()
		// The first batch alone, decided before the others come: the
		// intake then stops at the bound, not at the slots.
		b0 := storyBatch(0, acks)
		in <- b0
		synctest.Wait()
		sent := make(chan []string)
		go func() { sent <- append([]string{b0.Feed.URL}, sendUntil(ctx, in, acks, 1)...) }()
		synctest.Wait() // the intake and the events stage wait for bytes

		if got := testutil.ToFloat64(p.m.StateWaits); got < 1 {
			t.Errorf("%v waits counted with the bound passed", got)
		}
		if got := testutil.ToFloat64(p.m.InFlight); got != 1 {
			t.Errorf("%v batches in flight, want the one decided", got)
		}
		start := time.Now()
		stop()
		err := <-done
		if !errors.Is(err, ErrDrainTimeout) {
			t.Errorf("Run = %v, want the drain timeout's error (the sink never answered)", err)
		}
		if waited := time.Since(start); waited > cfg.DrainTimeout {
			t.Errorf("Run returned %v after the stop, past the drain timeout %v", waited, cfg.DrainTimeout)
		}
		taken := <-sent
		for _, f := range taken {
			if ok, errs := acks.of(f); ok != 0 || len(errs) != 1 {
				t.Errorf("%s acked %d times with nil and with %v, want once with an error", f, ok, errs)
			}
		}
		next := storyBatch(len(taken), acks).Feed.URL // left with its sender
		if ok, errs := acks.of(next); ok != 0 || len(errs) != 0 {
			t.Errorf("%s, never taken, acked %d times with nil and with %v", next, ok, errs)
		}
		if len(taken) > 2 { // the one decided, and one the intake waited for before it was
			t.Errorf("%d batches taken: the intake did not stop at the bound", len(taken))
		}
		if got := testutil.ToFloat64(p.m.StateBytes); got != 0 {
			t.Errorf("state bytes waiting = %v after Run returned, want 0", got)
		}
		if got := testutil.ToFloat64(p.m.InFlight); got != 0 {
			t.Errorf("%v batches in flight after Run returned, want 0", got)
		}
	})
}

// commitsFailLog takes the notes of written records (the Written table
// alone, appended before each write) and refuses every commit, as a full
// disk would; it cannot reread, so the store cannot rewind and a failed
// batch's changes are carried to the next commit, as with the Kafka
// changelog.
type commitsFailLog struct{ brokenLog }

func (commitsFailLog) Append(_ context.Context, es []state.Entry) error {
	if slices.ContainsFunc(es, func(e state.Entry) bool { return e.Table != state.Written }) {
		return errDisk
	}
	return nil
}

// A work whose write or commit fails past the bound gives its bytes back
// as one that commits does: the batches held back behind it are decided
// (nothing waits for ever on bytes no commit will free), every batch is
// acked once, and the gauge goes back to 0.
func TestAFailedWriteOrCommitGivesItsStateBytesBack(t *testing.T) {
	for _, tt := range []struct {
		name string
		log  state.Log
		fail int
		want string // in every failed batch's error
	}{
		{"a failed write", nil, len(texts), "leader not available"},
		{"a commit that fails (a log that cannot rewind: the changes are carried)", commitsFailLog{}, 0, "disk I/O error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sink := &memSink{gate: make(chan struct{}), fail: tt.fail}
				cfg := DefaultConfig()
				cfg.DecideQueuedTogether = false
				cfg.MaxInFlightStateBytes = 1
				p := pipelineOnLog(t, tt.log, state.DefaultConfig(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
				acks := newAcks()
				in := make(chan record.Batch)
				done := make(chan error)
				go func() { done <- p.Run(context.Background(), in) }()
				sent := make(chan []string)
				go func() { sent <- oneBatchPerFeed(in, acks, func(int) {}) }()
				synctest.Wait()
				if got := testutil.ToFloat64(p.m.StateBytes); got <= 0 {
					t.Errorf("state bytes waiting = %v with a batch decided", got)
				}

				close(sink.gate) // every write answers, failing or not
				feeds := <-sent
				close(in)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				for _, f := range feeds {
					ok, errs := acks.of(f)
					if ok != 0 || len(errs) != 1 {
						t.Errorf("%s acked %d times with nil and with %v, want once with an error", f, ok, errs)
						continue
					}
					if !strings.Contains(errs[0].Error(), tt.want) && !errors.Is(errs[0], ErrDecidedAfterFailure) {
						t.Errorf("%s acked with %v, want %q", f, errs[0], tt.want)
					}
				}
				if got := testutil.ToFloat64(p.m.StateBytes); got != 0 {
					t.Errorf("state bytes waiting = %v after every batch failed, want 0", got)
				}
			})
		})
	}
}

// The state a maintenance tick changes with nothing to publish rides with
// the work in flight (hand): its bytes are counted with that work's, and
// given back with them once it commits — not left behind for ever.
func TestAMaintenanceDeltaFoldedIntoTheWorkInFlightIsCountedAndFreedWithIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.MaxInFlightStateBytes = 1 << 30
		p := pipelineOnLog(t, nil, state.DefaultConfig(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
		acks := newAcks()
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		b := fixtureBatches(acks)[0]
		in <- b
		synctest.Wait()
		before := testutil.ToFloat64(p.m.StateBytes)
		if before <= 0 {
			t.Fatalf("state bytes waiting = %v with a batch decided", before)
		}

		time.Sleep(cfg.MaintenanceInterval) // a tick while the batch waits for the sink
		synctest.Wait()
		after := testutil.ToFloat64(p.m.StateBytes)
		if after <= before {
			t.Errorf("state bytes waiting = %v after a maintenance tick, %v before: its changes are not counted", after, before)
		}
		if got := testutil.ToFloat64(p.m.InFlight); got != 1 {
			t.Errorf("%v batches in flight, want the one: the tick's changes ride with it", got)
		}

		close(sink.gate)
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		requireAckedOnceEach(t, acks, []string{b.Feed.URL})
		if got := testutil.ToFloat64(p.m.StateBytes); got != 0 {
			t.Errorf("state bytes waiting = %v after the commit, want 0", got)
		}
	})
}

// max_in_flight_state_bytes has no "unbounded" value: 0 would stop the
// first batch for ever (nothing in flight frees a byte), so 0 and a
// negative value are refused by name.
func TestAStateBytesBoundBelowOneIsRefusedByName(t *testing.T) {
	for _, v := range []int64{0, -1} {
		c := DefaultConfig()
		c.MaxInFlightStateBytes = v
		want := fmt.Sprintf("pipeline.max_in_flight_state_bytes: must be >= 1, got %d", v)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() with %d = %v, want %q", v, err, want)
		}
	}
}
