package pipeline

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// State that time alone changes (a maintenance tick moving the spike
// buckets, with no alert to write) rides with the commit of the batch in
// flight instead of taking an in-flight slot of its own: with the sink
// stalled, ticks must not keep the next batch out. And the log still ends
// up holding exactly the live state of every stage.
func TestStateChangedByTimeAloneTakesNoBatchSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		sink := &memSink{gate: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.MaxInFlightBatches = 2
		cfg.MaintenanceInterval = 5 * time.Minute // one spike bucket per tick
		cfg.Lateness = time.Minute
		start := time.Now()
		p := durablePipelineWith(t, dir, sink, cfg, func() time.Time { return t0.Add(time.Hour + time.Since(start)) })
		batches := fixtureBatches(newAcks())

		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		in <- batches[0] // its write waits for the gate: the broker is down
		time.Sleep(3*cfg.MaintenanceInterval + time.Second)
		synctest.Wait()
		sent := make(chan struct{})
		go func() { in <- batches[1]; close(sent) }()
		synctest.Wait()
		select {
		case <-sent:
		default:
			t.Fatal("a batch was kept out with one of two in-flight slots unused by any batch: state changed by maintenance ticks held it")
		}
		close(sink.gate) // every write, however many: the second batch's may go in two parts
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		live := snapshot(t, p)
		if err := p.d.Store.Close(); err != nil {
			t.Fatal(err)
		}
		restored := snapshot(t, durablePipelineWith(t, dir, &memSink{}, cfg, p.d.Now))
		if !maps.Equal(live, restored) {
			for k, v := range live {
				if w, ok := restored[k]; !ok || w != v {
					t.Errorf("entry %q: live %x, restored %x (%t)", k, v, w, ok)
				}
			}
			t.Fatalf("restored from the log, events and spikes hold %d entries, live %d: they differ", len(restored), len(live))
		}
	})
}

// snapshot is the state of p's events and spikes, by table and key.
func snapshot(t *testing.T, p *Pipeline) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, o := range []state.Owner{p.d.Events.(state.Owner), p.d.Spikes.(state.Owner)} {
		if err := o.Snapshot(func(e state.Entry) error {
			out[fmt.Sprintf("%d/%q", e.Table, e.Key)] = string(e.Value)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
