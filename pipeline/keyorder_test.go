package pipeline

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The sink keeps the order of one key's records within a Write only. Two
// batches that both change one event (a story, then a republication of
// it) must not be written at once, although write slots are free: the
// second write waits until the first is finished, so the event's
// revisions reach the topic in order.
func TestWritesSharingAKeyDoNotOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.MaxInFlightWrites = 4
		// Two writes, one per batch: batch 1 must not join batch 0's run of
		// the second stage, which would put both in one write.
		cfg.DecideQueuedTogether = false
		p := durablePipelineWith(t, t.TempDir(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
		batches := fixtureBatches(newAcks())
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		in <- batches[0]
		in <- batches[1] // a republication of batches[0]'s first story: the same event
		synctest.Wait()
		if n := sink.count(); n != 1 {
			t.Fatalf("%d writes out while the first is held, want 1: the second carries the same event", n)
		}
		sink.gate <- struct{}{}
		synctest.Wait()
		if n := sink.count(); n != 2 {
			t.Fatalf("%d writes started after the first finished, want 2", n)
		}
		sink.gate <- struct{}{}
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		revs := map[string]int{}
		shared := false
		for _, r := range sink.recs {
			if ev, ok := r.(*record.Event); ok {
				if prev, seen := revs[ev.ID]; seen {
					shared = true
					if ev.Revision <= prev {
						t.Errorf("event %s: revision %d published after %d", ev.ID, ev.Revision, prev)
					}
				}
				revs[ev.ID] = ev.Revision
			}
		}
		if !shared {
			t.Fatal("no event was published by both batches: the test proves nothing")
		}
	})
}

func TestKeyedWritesWaitOnlyForWritesSharingAKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ev := func(id string) *record.Event { return &record.Event{Type: record.TypeEvent, ID: id} }
		st := func(id string) *record.Story { return &record.Story{Type: record.TypeStory, ID: id} }
		g := func(recs ...record.Record) []*work { return []*work{{recs: recs}} }
		waits := prometheus.NewCounter(prometheus.CounterOpts{Name: "waits"})
		var out keyedWrites
		first := out.await(g(st("s_1"), ev("e_1")), 4, waits)
		other := make(chan chan struct{})
		go func() { other <- out.await(g(st("s_2"), ev("e_2")), 4, waits) }()
		synctest.Wait()
		var second chan struct{}
		select {
		case second = <-other:
		default:
			t.Fatal("a write of other keys waits for one out")
		}
		// a story keyed as the event's id is another topic: no wait for it
		third := make(chan chan struct{}, 1)
		go func() { third <- out.await(g(st("e_1"), ev("e_1")), 4, waits) }()
		synctest.Wait()
		select {
		case <-third:
			t.Fatal("a write carrying event e_1 went out while one carrying it is out")
		default:
		}
		close(first)
		synctest.Wait()
		select {
		case d := <-third:
			close(d)
		default:
			t.Fatal("the write of e_1 still waits after the first finished")
		}
		close(second)
		if n := testutil.ToFloat64(waits); n != 1 {
			t.Errorf("%v writes counted as waiting, want 1", n)
		}
	})
}
