package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
)

// copies are n batches, each from its own feed, each with one copy of
// the ECB story: every batch changes the one event (a publisher more).
func copies(n int) []record.Batch {
	var out []record.Batch
	for i := range n {
		feed := fmt.Sprintf("https://f%d.example/rss", i)
		html := texts[0]
		if i > 0 {
			html = republish(texts[0])
		}
		it := item(feed, i, fmt.Sprintf("g-%d", i), fmt.Sprintf("https://f%d.example/ecb", i), "ECB holds rates", html)
		out = append(out, record.Batch{Feed: record.FeedRef{URL: feed}, Items: []record.Item{it}, Ack: func(context.Context, error) {}})
	}
	return out
}

// eventRecords returns the event records among recs, in order.
func eventRecords(recs []record.Record) []*record.Event {
	var out []*record.Event
	for _, r := range recs {
		if ev, ok := r.(*record.Event); ok {
			out = append(out, ev)
		}
	}
	return out
}

// processEvery processes batches one at a time, the clock step apart,
// then flushes as `process` does at the end of its input.
func processEvery(t *testing.T, p *Pipeline, clock *time.Time, step time.Duration, batches []record.Batch) {
	t.Helper()
	for _, b := range batches {
		if err := p.Process(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		*clock = clock.Add(step)
	}
	if err := p.Flush(context.Background(), p.Clock()); err != nil {
		t.Fatal(err)
	}
}

// Ten batches 300 ms apart all change one event. Published at once, they
// put ten records of it on the sink; with an interval of 1 s, its first
// record goes at once, an update at the first batch 1 s or more after the
// event's last record (the 5th, at 1.2 s, and the 9th, at 2.4 s), and
// the last one waiting at the end (Flush): four, the last with the state
// the ten batches left, and no note of a deferred event is left.
func TestUpdatesOfAnEventWithinTheIntervalShareOneRecord(t *testing.T) {
	batches := copies(10)
	final := func(iv time.Duration) ([]*record.Event, *Pipeline) {
		clock := t0.Add(time.Hour)
		cfg := DefaultConfig()
		cfg.EventPublishInterval = iv
		sink := &memSink{}
		p := durablePipelineWith(t, t.TempDir(), sink, cfg, func() time.Time { return clock })
		processEvery(t, p, &clock, 300*time.Millisecond, batches)
		return eventRecords(sink.recs), p
	}
	each, _ := final(0)
	coalesced, p := final(time.Second)
	if len(each) != len(batches) {
		t.Fatalf("without an interval %d event records for %d batches: the batches do not each change the event", len(each), len(batches))
	}
	if len(coalesced) != 4 {
		t.Fatalf("with an interval of 1 s, %d event records, want 4 (first, two flushes, the end)", len(coalesced))
	}
	want, got := each[len(each)-1], coalesced[len(coalesced)-1]
	if got.ID != want.ID || got.StoryCount != want.StoryCount || fmt.Sprint(got.Publishers) != fmt.Sprint(want.Publishers) || fmt.Sprint(got.StoryIDs) != fmt.Sprint(want.StoryIDs) {
		t.Errorf("the last record is not the event's final state:\n got %+v\nwant %+v", got, want)
	}
	for i := 1; i < len(coalesced); i++ {
		if coalesced[i].Revision <= coalesced[i-1].Revision {
			t.Errorf("revision %d after %d", coalesced[i].Revision, coalesced[i-1].Revision)
		}
	}
	if n := writtenNotes(p); len(n) > 0 {
		t.Errorf("notes left after the flush: %q", n)
	}
}

// An update that waits is noted in the state log with the batch that made
// it: after a crash, the restart publishes the event's state, at a higher
// revision than any record of it on the sink, before its first batch's
// own records, and deletes the note.
func TestADeferredUpdateIsPublishedAfterARestart(t *testing.T) {
	dir := t.TempDir()
	clock := t0.Add(time.Hour)
	now := func() time.Time { return clock }
	cfg := DefaultConfig()
	cfg.EventPublishInterval = time.Hour
	sink := &memSink{}
	p := durablePipelineWith(t, dir, sink, cfg, now)
	batches := copies(3)
	for _, b := range batches[:2] {
		if err := p.Process(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Second)
	}
	before := eventRecords(sink.recs)
	if len(before) != 1 || before[0].StoryCount != 1 {
		t.Fatalf("before the crash: %d event records (want the first alone)", len(before))
	}
	if n := writtenNotes(p); len(n) != 1 {
		t.Fatalf("the deferred update is not noted: %q", n)
	}
	if err := p.d.Store.Discard(); err != nil { // the crash: no snapshot
		t.Fatal(err)
	}

	again := &memSink{}
	p = durablePipelineWith(t, dir, again, cfg, now)
	other := fixtureBatches(newAcks())[0]
	other.Items = other.Items[1:] // the stories of other events
	if err := p.Process(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	evs := eventRecords(again.recs)
	if len(evs) == 0 || evs[0].ID != before[0].ID {
		t.Fatalf("the restart's first event record is not the deferred event's: %+v", evs)
	}
	got := evs[0]
	if got.Revision <= before[0].Revision || got.StoryCount != 1 || len(got.Publishers) != 2 {
		t.Errorf("after the restart the event is %+v, want its state after both batches at a revision above %d", got, before[0].Revision)
	}
	if !recordsFirst(again.recs, got) {
		t.Error("the superseding record does not go before the batch's own records")
	}
	if n := writtenNotes(p); len(n) > 0 {
		t.Errorf("notes left after the restart's first commit: %q", n)
	}
}

// recordsFirst reports whether ev is the first record of recs.
func recordsFirst(recs []record.Record, ev *record.Event) bool {
	return len(recs) > 0 && recs[0] == record.Record(ev)
}

// While no batch comes, Run's maintenance tick runs every interval and
// publishes the update that waits: the consumer's lag is bounded by about
// the interval, not by the next story.
func TestAWaitingUpdateGoesOutAtTheNextTickWithoutABatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{}
		p := newArchivePipeline(t, sink)
		p.cfg.EventPublishInterval = time.Second
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		for _, b := range copies(3) {
			in <- b
			time.Sleep(100 * time.Millisecond)
			synctest.Wait()
		}
		sink.mu.Lock()
		waiting := len(eventRecords(sink.recs))
		sink.mu.Unlock()
		time.Sleep(2 * time.Second)
		synctest.Wait()
		sink.mu.Lock()
		evs := eventRecords(sink.recs)
		sink.mu.Unlock()
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if waiting != 1 {
			t.Fatalf("%d event records within the interval, want the first alone", waiting)
		}
		if len(evs) != 2 || len(evs[1].Publishers) != 3 {
			t.Fatalf("after the interval with no batch: %d event records, the last %+v; want the state after all three", len(evs), evs[len(evs)-1])
		}
	})
}

// The tick shortened to the publish interval is for waiting updates: an
// idle pipeline with none commits every maintenance_interval, as with the
// interval off, not every interval (an fsync or a changelog append a
// second for clocks that moved).
func TestAnIdlePipelineCommitsAtMaintenanceOnlyWithAPublishInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{}
		p := newArchivePipeline(t, sink)
		p.cfg.EventPublishInterval = time.Second
		p.cfg.MaintenanceInterval = time.Minute
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		in <- copies(1)[0] // an event's first record goes out at once: nothing waits
		time.Sleep(time.Second)
		synctest.Wait()
		before := commits(t, p)
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		idle := commits(t, p) - before
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if idle < 9 || idle > 11 {
			t.Fatalf("%d commits in 10 idle minutes, want about one a maintenance_interval (10)", idle)
		}
	})
}

// commits is how many state commits p made.
func commits(t *testing.T, p *Pipeline) uint64 {
	t.Helper()
	var m dto.Metric
	if err := p.m.CommitBatches.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount()
}

// fullSnapshots is the events' clusterer with every state taken in full,
// as the pipeline took them before it took an update that may wait
// without its lists (Clusterer.Head).
type fullSnapshots struct{ *events.Clusterer }

func (c fullSnapshots) Head(id string) *record.Event { return c.Current(id) }
func (c fullSnapshots) Fill(*record.Event) bool      { return true }

// With an interval, the records are byte for byte those of full
// snapshots: where updates wait (ten batches 300 ms apart, one event), and
// where a batch founds the id of an event published in the interval again
// as it closes the old event, so that the state taken without its lists
// goes out after the old event's end, completed (Clusterer.Fill).
func TestStatesTakenWithoutListsPublishWhatFullSnapshotsWould(t *testing.T) {
	expiry := events.DefaultConfig().Expiry
	refound := []record.Batch{
		{Feed: record.FeedRef{URL: heraldFeed}, Items: []record.Item{heraldItem("ecb", "ECB holds rates", texts[0], 0)}},
		{Feed: record.FeedRef{URL: heraldFeed}, Items: []record.Item{heraldItem("floods", "Floods in Brazil", texts[1], expiry+time.Hour),
			heraldItem("ecb", "ECB holds rates for a fifth meeting", texts[0], expiry+2*time.Hour)}},
	}
	for _, tc := range []struct {
		name    string
		batches []record.Batch
	}{{"updates within the interval", copies(10)}, {"an id founded again", refound}} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(full bool) []byte {
				clock := t0.Add(time.Hour)
				cfg := DefaultConfig()
				cfg.EventPublishInterval = time.Second
				sink := &memSink{}
				p := durablePipelineWith(t, t.TempDir(), sink, cfg, func() time.Time { return clock })
				if full {
					p.d.Events = fullSnapshots{p.d.Events.(*events.Clusterer)}
				}
				processEvery(t, p, &clock, 300*time.Millisecond, tc.batches)
				var out []byte
				for _, r := range sink.recs {
					b, err := json.Marshal(r)
					if err != nil {
						t.Fatal(err)
					}
					out = append(append(out, b...), '\n')
				}
				return out
			}
			if got, want := run(false), run(true); !bytes.Equal(got, want) {
				t.Errorf("records with states taken without lists:\n%s\nwith full snapshots:\n%s", got, want)
			}
		})
	}
}
