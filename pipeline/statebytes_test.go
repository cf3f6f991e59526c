package pipeline

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A sink that does not answer must not let the state changes of every
// batch taken meanwhile pile up in memory: past
// max_in_flight_state_bytes Run takes no further batch, and the second
// stage decides none of those it took (so none is encoded), until a
// commit frees bytes. The batches held back
// are not dropped: once the sink answers, every one is decided, written,
// committed and acked, and the bytes waiting go back to 0.
func TestASlowSinkHoldsTheStateChangesWaitingUnderTheirBound(t *testing.T) {
	tests := []struct {
		name        string
		bound       int64
		wantDecided float64 // works decided (in flight) while the sink holds every write
	}{
		// Every batch's changes exceed one byte: one work at a time.
		{"a bound below one batch's changes lets one batch wait", 1, 1},
		{"a bound above every batch's changes lets all wait", 1 << 30, float64(len(texts))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sink := &memSink{gate: make(chan struct{})}
				cfg := DefaultConfig()
				cfg.DecideQueuedTogether = false // one work per batch, so works count batches
				cfg.MaxInFlightStateBytes = tt.bound
				p := pipelineOnLog(t, nil, state.DefaultConfig(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
				acks := newAcks()
				in := make(chan record.Batch)
				done := make(chan error)
				go func() { done <- p.Run(context.Background(), in) }()
				sent := make(chan []string)
				go func() { sent <- oneBatchPerFeed(in, acks, func(int) {}) }()
				synctest.Wait() // every goroutine of Run blocked: the sink holds its writes

				if got := testutil.ToFloat64(p.m.InFlight); got != tt.wantDecided {
					t.Errorf("%v batches decided while the sink held every write, want %v", got, tt.wantDecided)
				}
				waiting := testutil.ToFloat64(p.m.StateBytes)
				if waiting <= 0 {
					t.Errorf("state bytes waiting = %v with batches decided, want their changes' bytes", waiting)
				}
				if tt.bound == 1 && waiting > 1<<20 {
					t.Errorf("state bytes waiting = %v: more than one small batch's", waiting)
				}
				for i := range texts {
					f := fmt.Sprintf("https://f%d.example/rss", i)
					if ok, errs := acks.of(f); ok != 0 || len(errs) != 0 {
						t.Fatalf("%s acked before the sink answered", f)
					}
				}

				close(sink.gate) // the sink answers
				feeds := <-sent  // batches held back with their source are taken now
				close(in)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				requireAckedOnceEach(t, acks, feeds)
				if n := len(sink.byType()[record.TypeStory]); n != len(texts) {
					t.Errorf("%d stories written, want %d", n, len(texts))
				}
				if n := remembered(p); n != len(texts) {
					t.Errorf("%d stories committed, want %d", n, len(texts))
				}
				if got := testutil.ToFloat64(p.m.StateBytes); got != 0 {
					t.Errorf("state bytes waiting = %v after every commit, want 0", got)
				}
			})
		})
	}
}
