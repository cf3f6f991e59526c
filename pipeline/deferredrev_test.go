package pipeline

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// An update that waited (events.publish_interval) and went out with a
// later run that added nothing to its event — a batch of other stories,
// Flush, or Run's maintenance tick — spent a revision its commit must
// hold: after a restart the event's next change goes out above it. Were
// it forgotten, the restart would hand the revision out again with other
// content, and a consumer that keeps an event's highest revision would
// take the second state for one it has. So across both lives an id's
// revisions on the sink only rise, and a record id (id@rN) names one
// state (README, Delivery guarantees). A restart after a
// snapshot restores the revision from memory and held either way; Close
// on the file log and a crash restore the commits alone.
func TestARevisionADeferredUpdateSpentOutlivesARestart(t *testing.T) {
	ctx := context.Background()
	const iv = time.Hour                        // events.publish_interval
	others := func(t *testing.T, p *Pipeline) { // stories of other events, the ECB event untouched
		t.Helper()
		b := fixtureBatches(newAcks())[0]
		b.Items = b.Items[1:]
		if err := p.Process(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	tick := func(t *testing.T, p *Pipeline) { // Run's maintenance tick, no batch coming
		t.Helper()
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(ctx, in) }()
		time.Sleep(p.maintenanceTick())
		synctest.Wait()
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, publish := range []struct {
		name string
		run  func(*testing.T, *Pipeline)
	}{{"by a later batch", others}, {"by Flush", flush}, {"by a maintenance tick", tick}} {
		for _, restart := range []struct {
			name string
			stop func(*testing.T, *Pipeline)
		}{{"clean restart", closeStore}, {"restart after a snapshot", compactAndClose}, {"crash", crashStore}} {
			name := publish.name + ", " + restart.name
			// In a bubble: the pipeline's wall clock (publish interval,
			// maintenance tick) is synctest's, moved by time.Sleep alone.
			t.Run(name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					dir := t.TempDir()
					cfg := DefaultConfig()
					cfg.EventPublishInterval = iv
					sink := &memSink{}
					p := durablePipelineWith(t, dir, sink, cfg, nil)
					ecb := copies(3) // each a publisher more for the one event

					// The first record goes at once; the second copy, a second
					// later, waits; past the interval, a run that adds nothing
					// to the event publishes it.
					for _, b := range ecb[:2] {
						if err := p.Process(ctx, b); err != nil {
							t.Fatal(err)
						}
						time.Sleep(time.Second)
					}
					if evs := eventRecords(sink.recs); len(evs) != 1 {
						t.Fatalf("%d event records before the interval passed, want the first alone: the update did not wait", len(evs))
					}
					id := eventRecords(sink.recs)[0].ID
					time.Sleep(iv)
					publish.run(t, p)
					recs := ofEvent(sink.recs, id)
					if len(recs) != 2 || len(recs[1].Publishers) != 2 {
						t.Fatalf("the waiting update did not go out with the run that added nothing: %+v", recs)
					}
					if n := writtenNotes(p); len(n) > 0 {
						t.Fatalf("notes left after the run that published the waiting update: %q", n)
					}

					restart.stop(t, p)
					time.Sleep(time.Minute)
					p = durablePipelineWith(t, dir, sink, cfg, nil)
					if err := p.Process(ctx, ecb[2]); err != nil {
						t.Fatal(err)
					}
					recs = ofEvent(sink.recs, id)
					if len(recs) != 3 || len(recs[2].Publishers) != 3 {
						t.Fatalf("the third copy after the restart did not publish the event's new state: %+v", recs)
					}
					archive.RequireRevisionsRise(t, sink.recs)
				})
			})
		}
	}
}

// closeStore, compactAndClose and crashStore end a pipeline's life on its
// store: Close (on the file log, no snapshot: the next start restores the
// commits), a snapshot of memory first, or no Close at all.
func closeStore(t *testing.T, p *Pipeline) {
	t.Helper()
	if err := p.d.Store.Close(); err != nil {
		t.Fatal(err)
	}
}

func compactAndClose(t *testing.T, p *Pipeline) {
	t.Helper()
	if err := p.d.Store.Compact(); err != nil {
		t.Fatal(err)
	}
	closeStore(t, p)
}

func crashStore(t *testing.T, p *Pipeline) {
	t.Helper()
	if err := p.d.Store.Discard(); err != nil {
		t.Fatal(err)
	}
}

// ofEvent returns the records of event id among recs, in order.
func ofEvent(recs []record.Record, id string) []*record.Event {
	var out []*record.Event
	for _, ev := range eventRecords(recs) {
		if ev.ID == id {
			out = append(out, ev)
		}
	}
	return out
}

// The archive with a publish interval, the wall clock at each poll's
// time, stopped after any poll and started again on the same state (from
// the commits, or from a snapshot): an id's revisions only rise across
// both lives and each names one state, and once Flush has published what
// waits the run ends as one without the stop — the same stories in the
// same events, the same final states and alerts. Revisions may differ:
// a start forgets when each event last went out, so its first update
// goes at once.
func TestARestartAnywhereWithAPublishIntervalKeepsRevisionsApart(t *testing.T) {
	polls := archive.Polls()
	cfg := DefaultConfig()
	cfg.EventPublishInterval = time.Hour
	clock := archive.Start
	now := func() time.Time { return clock }
	run := func(t *testing.T, p *Pipeline, polls []archive.Poll) {
		t.Helper()
		for _, poll := range polls {
			clock = archive.Start.Add(poll.At)
			if err := p.Process(context.Background(), poll.Batch()); err != nil {
				t.Fatal(err)
			}
		}
	}
	oneRun := func(cfg Config) []record.Record {
		one := &memSink{}
		p := durablePipelineWith(t, t.TempDir(), one, cfg, now)
		run(t, p, polls)
		flush(t, p)
		return one.recs
	}
	one := oneRun(cfg)
	if len(eventRecords(one)) >= len(eventRecords(oneRun(DefaultConfig()))) {
		t.Fatal("no update waited in the archive with the interval: the test no longer sees the case")
	}
	want := archive.OutcomeOf(one)

	for split := 1; split < len(polls); split++ {
		for _, compact := range []bool{false, true} {
			t.Run(fmt.Sprintf("after poll %d, compacted %v", split, compact), func(t *testing.T) {
				dir := t.TempDir()
				sink := &memSink{}
				p := durablePipelineWith(t, dir, sink, cfg, now)
				run(t, p, polls[:split])
				if compact {
					compactAndClose(t, p)
				} else {
					closeStore(t, p)
				}
				p = durablePipelineWith(t, dir, sink, cfg, now)
				run(t, p, polls[split:])
				flush(t, p)
				archive.RequireRevisionsRise(t, sink.recs)
				archive.RequireSameButRevisions(t, "one", want, "split", archive.OutcomeOf(sink.recs))
			})
		}
	}
}

// flush publishes every update that waits, as `process` does at the end
// of its input.
func flush(t *testing.T, p *Pipeline) {
	t.Helper()
	if err := p.Flush(context.Background(), p.Clock()); err != nil {
		t.Fatal(err)
	}
}
