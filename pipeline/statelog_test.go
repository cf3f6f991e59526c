package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// After every commit the state log alone — as a crash would leave it, no
// snapshot of memory — restores each stateful stage (dedupe, enrich,
// events, spikes) to what the live stage holds: memory never changes
// without telling the log. (66216bc fixed such a bug: events' Current and
// Head raised an event's revision in memory only, and a restart handed
// the revision out again.) The comparison is each stage's own encoding of
// its state, its Snapshot — the entries a full snapshot would write —
// byte for byte. What a stage keeps in memory alone is outside Snapshot
// by construction (caches, metrics, recent alerts, term ids numbered in
// this process: Snapshot writes terms as text; the indexes Restored
// rebuilds), so nothing is excluded here. Outside the stages, and not
// compared: the pipeline's memory of when each event last went out (a
// start forgets it, and publishes the next update at once) and the
// store's own tables (feeds, written notes).
func TestTheLogHoldsWhatMemoryHoldsAfterEveryCommit(t *testing.T) {
	polls := archive.Polls()
	batches := make([]record.Batch, len(polls))
	for i, p := range polls {
		batches[i] = p.Batch()
	}
	// Without and with a publish interval, which holds updates back in
	// memory until a later commit publishes them (requireSomeWaited).
	t.Run("archive", func(t *testing.T) {
		requireSomeWaited(t, func(t *testing.T, cfg Config) []record.Record { return requireLogHoldsMemory(t, cfg, batches, 0) })
	})
	// A failed write leaves the batch's decisions in memory, not in the
	// log, until the stages are rewound to the log (the file log can) and
	// the batch, read again, is decided anew; compared after each commit.
	t.Run("archive, every third write failing once", func(t *testing.T) {
		requireSomeWaited(t, func(t *testing.T, cfg Config) []record.Record { return requireLogHoldsMemory(t, cfg, batches, 3) })
	})
	// Run, on the wall clock (synctest's, at each poll's time), whose
	// maintenance ticks move the event clock and spike buckets between
	// the polls and commit that with no batch.
	t.Run("archive through Run", func(t *testing.T) {
		requireSomeWaited(t, func(t *testing.T, cfg Config) []record.Record {
			var recs []record.Record
			synctest.Test(t, func(t *testing.T) {
				dir := t.TempDir()
				sink := &memSink{}
				cfg.MaintenanceInterval = 15 * time.Minute // a few hundred ticks over the archive's days, not thousands
				p := durablePipelineWith(t, dir, sink, cfg, nil)
				check := newLogCheck(t, dir)
				in := make(chan record.Batch)
				done := make(chan error)
				go func() { done <- p.Run(context.Background(), in) }()
				for i, poll := range polls {
					time.Sleep(time.Until(archive.Start.Add(poll.At)))
					in <- poll.Batch()
					synctest.Wait() // decided, written and committed
					check.require(t, fmt.Sprintf("after poll %d", i), p)
				}
				time.Sleep(2 * time.Hour) // ticks alone: what waits goes out, spike buckets close
				synctest.Wait()
				check.require(t, "after two hours of ticks", p)
				close(in)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				recs = sink.recs
			})
			return recs
		})
	})
	// The archive merges no events; headlines of the labelled data do.
	t.Run("shared headlines with merges", func(t *testing.T) {
		docs := shareddata.UCI(t)
		const n, per = 400, 25
		var batches []record.Batch
		for i := 0; i < min(n, len(docs)); i += per {
			var b record.Batch
			for _, d := range docs[i:min(i+per, n, len(docs))] {
				b.Items = append(b.Items, d.Item)
			}
			b.Feed = b.Items[0].Feed
			batches = append(batches, b)
		}
		requireSomeWaited(t, func(t *testing.T, cfg Config) []record.Record {
			recs := requireLogHoldsMemory(t, cfg, batches, 0)
			merged := 0
			for _, ev := range eventRecords(recs) {
				if ev.MergedInto != "" {
					merged++
				}
			}
			if merged == 0 {
				t.Fatal("no event was merged: the test no longer sees a merge")
			}
			return recs
		})
	})
}

// requireSomeWaited runs run without and with an hour's publish interval,
// each in a subtest (the t run is given), and fails t if no update waited with it.
func requireSomeWaited(t *testing.T, run func(*testing.T, Config) []record.Record) {
	t.Helper()
	n := map[time.Duration]int{}
	for _, iv := range []time.Duration{0, time.Hour} {
		t.Run(fmt.Sprintf("publish interval %v", iv), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.EventPublishInterval = iv
			n[iv] = len(eventRecords(run(t, cfg)))
		})
	}
	if !t.Failed() && n[time.Hour] >= n[0] { // a failed run's count says nothing
		t.Errorf("%d event records with the interval, %d without: no update waited, the test no longer sees the case", n[time.Hour], n[0])
	}
}

// requireLogHoldsMemory processes batches on a file log, the clock at
// each batch's fetch time, and after each commit (each Process, and the
// final Flush) compares the live stages with stages restored from a copy
// of the log. With failEvery > 0 the write of every failEvery-th batch
// fails once, and the batch is processed again. It returns what the run
// published.
func requireLogHoldsMemory(t *testing.T, cfg Config, batches []record.Batch, failEvery int) []record.Record {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var clock time.Time
	sink := &memSink{}
	p := durablePipelineWith(t, dir, sink, cfg, func() time.Time { return clock })
	check := newLogCheck(t, dir)
	for i, b := range batches {
		for _, it := range b.Items {
			clock = later(clock, it.FetchedAt)
		}
		if failEvery > 0 && i%failEvery == failEvery-1 {
			sink.fail = 1
			if err := p.Process(ctx, b); err == nil {
				t.Fatal("the write was meant to fail")
			}
		}
		if err := p.Process(ctx, b); err != nil {
			t.Fatal(err)
		}
		check.require(t, fmt.Sprintf("after batch %d", i), p)
	}
	// Flush publishes what waits and, past the last story, moves the event
	// clock as Run's maintenance tick does when no story comes.
	if err := p.Flush(ctx, p.Clock().Add(spikes.DefaultConfig().Bucket)); err != nil {
		t.Fatal(err)
	}
	check.require(t, "after Flush", p)
	return sink.recs
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// logCheck restores stages from copies of the log in dir. Its enricher
// is built once and Reset before each restore, as Store.Rewind does; a
// new one would load its models again at every commit (a tenth of a
// second, several under -race).
type logCheck struct {
	dir string
	enr *enrich.Enricher
}

func newLogCheck(t *testing.T, dir string) *logCheck {
	t.Helper()
	enr, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return &logCheck{dir: dir, enr: enr}
}

// require restores the stages from a copy of the log as it stands and
// fails t for every entry where a stage's Snapshot differs from the live
// one's.
func (c *logCheck) require(t *testing.T, when string, p *Pipeline) {
	t.Helper()
	live := []state.Owner{p.d.Dedupe, p.d.Enricher.(*enrich.Enricher), p.d.Events.(*events.Clusterer), p.d.Spikes.(*spikes.Detector)}
	restored := c.restore(t)
	for i := range live {
		a, b := snapshotOf(t, live[i]), snapshotOf(t, restored[i])
		requireSameEntries(t, fmt.Sprintf("%s, %T", when, live[i]), a, b)
	}
}

// restore copies the log's directory (as a crash leaves it: what Append
// wrote, no Close) and restores stages from it, in the order require
// lists the live ones.
func (c *logCheck) restore(t *testing.T) []state.Owner {
	t.Helper()
	cp := filepath.Join(t.TempDir(), "log")
	if err := os.CopyFS(cp, os.DirFS(c.dir)); err != nil {
		t.Fatal(err)
	}
	scfg := state.DefaultConfig()
	scfg.NoSync = true
	fl, err := state.OpenFile(cp, scfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(scfg), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.enr.Reset()
	ev := events.New(events.DefaultConfig(), nil)
	sp := spikes.New(spikes.DefaultConfig(), nil)
	st, err := state.Open(context.Background(), fl, state.Options{}, dd, c.enr, ev, sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Discard(); err != nil { // no snapshot: the copy is thrown away
		t.Fatal(err)
	}
	return []state.Owner{dd, c.enr, ev, sp}
}

// snapshotOf is what a full snapshot would write of ow, sorted by table
// and key.
func snapshotOf(t *testing.T, ow state.Owner) []state.Entry {
	t.Helper()
	var es []state.Entry
	err := ow.Snapshot(func(e state.Entry) error {
		es = append(es, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(es, func(a, b state.Entry) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), bytes.Compare(a.Key, b.Key))
	})
	return es
}

// requireSameEntries fails t for each key whose value differs between
// live and restored, or that only one holds.
func requireSameEntries(t *testing.T, what string, live, restored []state.Entry) {
	t.Helper()
	i, j := 0, 0
	for i < len(live) || j < len(restored) {
		var c int
		switch {
		case i == len(live):
			c = 1
		case j == len(restored):
			c = -1
		default:
			c = cmp.Or(cmp.Compare(live[i].Table, restored[j].Table), bytes.Compare(live[i].Key, restored[j].Key))
		}
		switch {
		case c < 0:
			t.Errorf("%s: %s %q in memory, not in the log: %q", what, live[i].Table, live[i].Key, live[i].Value)
			i++
		case c > 0:
			t.Errorf("%s: %s %q in the log, not in memory: %q", what, restored[j].Table, restored[j].Key, restored[j].Value)
			j++
		default:
			if m, l := live[i].Value, restored[j].Value; !bytes.Equal(m, l) {
				at := 0
				for at < min(len(m), len(l)) && m[at] == l[at] {
					at++
				}
				t.Errorf("%s: %s %q differs from byte %d on (of %d in memory, %d in the log):\nmemory %q\nlog    %q",
					what, live[i].Table, live[i].Key, at, len(m), len(l), m[at:min(at+48, len(m))], l[at:min(at+48, len(l))])
			}
			i++
			j++
		}
	}
}
