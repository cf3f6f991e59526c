package pipeline

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Faults of the rewind path (rewindIfFailed): a write fails, the batches
// decided after it fail too, the stages' memory goes back to the log, and
// the failed batches, read again, are decided anew. Round 29 split Run's
// second stage in two goroutines (enrichStories beside the events stage),
// so the rewind waits on a barrier for the events stage to finish what
// enrichment handed it; these tests fail writes first, in the middle,
// several in a row, and while enrichment runs several batches ahead, and
// require of every run that
//   - nothing is lost and nothing decided twice: each story's last record
//     on the sink is the one its committed batch wrote, in commit order
//     (with one write at a time), and a story is written again only by a
//     batch acked with an error (with one write at a time, only by one
//     acked ErrDecidedAfterFailure: written, not committed, read again);
//     the compacted outcome (each story's event, each event's last state
//     but its revision, each alert's last record) is a run's without
//     failures over the same batches in the order they were committed;
//   - every stage's state (dedupe, enrichment, events, spikes) is, byte
//     for byte but for what butRetried blanks, that run's (when each
//     batch is decided alone, as that run decides it);
//   - Run returns, with every batch acked once per attempt, within an hour
//     of synctest's clock (a deadlock fails the test instead of hanging it),
//     and leaves no goroutine behind (synctest fails a bubble that does).
// Round 29's barrier released twice (18b042a) fails them: with its fix
// reverted, the table below panics ("close of closed channel"). The same
// faults go through Process, the one-batch path `process` and the
// evaluations share (its failed batch is processed again at once).

// faultySink fails the writes whose numbers (from 0, in the order Write
// is called) are in fail, writing nothing of them; the first failing one
// waits failAfter first (synctest's clock), so everything else that can
// run has run when it fails. It keeps every record of the writes that
// succeed.
type faultySink struct {
	mu        sync.Mutex
	fail      map[int]bool
	failAfter time.Duration
	n         int
	recs      []record.Record
	writes    [][]record.Record // the records of each write that succeeded
}

func (s *faultySink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	n := s.n
	s.n++
	fail, wait := s.fail[n], s.failAfter
	if fail {
		s.failAfter = 0
	}
	s.mu.Unlock()
	if fail {
		time.Sleep(wait)
		return fmt.Errorf("kafka: write %d: leader not available", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	s.writes = append(s.writes, recs)
	return nil
}

// slowEvents is the events stage's clusterer whose Assign of the story
// with GUID slow sleeps a minute of synctest's clock, once: the events
// stage is then behind enrichment by as many batches as Run lets it. It
// notes how many stories were enriched when it woke.
type slowEvents struct {
	*events.Clusterer
	slow     string
	enriched func() int
	slept    bool // only the events stage calls Assign
	atWake   int
}

func (c *slowEvents) Assign(s *record.Story) string {
	if s.GUID == c.slow && !c.slept {
		c.slept = true
		time.Sleep(time.Minute)
		c.atWake = c.enriched()
	}
	return c.Clusterer.Assign(s)
}

// storyCounter counts the stories the enrichment stage enriched; its
// enrichment of the story with GUID slow, if set, sleeps a minute of
// synctest's clock, once.
type storyCounter struct {
	*enrich.Enricher
	slow    string
	mu      sync.Mutex
	stories int
	slept   bool
}

func (e *storyCounter) EnrichAll(stories []*record.Story, langs []string) {
	e.mu.Lock()
	e.stories += len(stories)
	sleep := !e.slept && e.slow != "" && slices.ContainsFunc(stories, func(s *record.Story) bool { return s.GUID == e.slow })
	e.slept = e.slept || sleep
	e.mu.Unlock()
	if sleep {
		time.Sleep(time.Minute)
	}
	e.Enricher.EnrichAll(stories, langs)
}

func (e *storyCounter) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stories
}

// faultNow is both runs' wall clock: dedupe's records hold it.
func faultNow() time.Time { return archive.Start.Add(65 * time.Hour) }

// ackOf is one ack of batch i (an index into the polls).
type ackOf struct {
	i   int
	err error
}

// faultRun is what a run over the archive's polls with failing writes did.
type faultRun struct {
	polls     []archive.Poll
	committed []int // polls in the order their batches were acked nil
	written   []int // polls whose batches were acked ErrDecidedAfterFailure, once per ack
	errored   []int // polls whose batches were acked with any error, once per ack
	ordered   bool  // one write at a time: the sink holds the records in commit order
	separate  bool  // every work one batch (no decide_queued_together), as the reference decides them
	failed    int   // acks with an error
	recs      []record.Record
	writes    [][]record.Record // as the sink took them
	p         *Pipeline
}

// runWithFaults runs polls through Run on a file log, a source that
// keeps up to window batches out and sends the batches acked with an
// error again, in order, once every batch out is acked (as pollers read
// their feeds again at their next poll).
func runWithFaults(t *testing.T, cfg Config, polls []archive.Poll, sink *faultySink, window int, tune func(*Pipeline)) faultRun {
	t.Helper()
	p := durablePipelineWith(t, t.TempDir(), sink, cfg, faultNow)
	if tune != nil {
		tune(p)
	}
	in := make(chan record.Batch)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background(), in) }()
	acked := make(chan ackOf, 4*len(polls))
	send := func(i int) record.Batch {
		b := polls[i].Batch()
		b.Ack = func(_ context.Context, err error) { acked <- ackOf{i, err} }
		return b
	}
	r := faultRun{polls: polls}
	todo := make([]int, len(polls))
	for i := range todo {
		todo[i] = i
	}
	var again []int
	out := 0
	deadline := time.After(time.Hour) // synctest's clock: reached only when nothing can move
	for len(r.committed) < len(polls) {
		if out == 0 && len(again) > 0 {
			slices.Sort(again)
			todo = append(again, todo...)
			again = nil
		}
		var next chan<- record.Batch
		var b record.Batch
		if len(todo) > 0 && out < window {
			next, b = in, send(todo[0])
		}
		select {
		case next <- b:
			todo, out = todo[1:], out+1
		case a := <-acked:
			out--
			switch {
			case a.err == nil:
				r.committed = append(r.committed, a.i)
			default:
				r.failed++
				r.errored = append(r.errored, a.i)
				if errors.Is(a.err, ErrDecidedAfterFailure) {
					r.written = append(r.written, a.i)
				}
				again = append(again, a.i)
			}
		case <-deadline:
			t.Fatalf("no ack for an hour with %d batches out and %d committed: the pipeline is stuck", out, len(r.committed))
		}
	}
	close(in)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Hour):
		t.Fatal("Run did not return within an hour of its input closing")
	}
	sink.mu.Lock()
	r.recs = slices.Clone(sink.recs)
	r.writes = slices.Clone(sink.writes)
	sink.mu.Unlock()
	r.p, r.ordered, r.separate = p, cfg.MaxInFlightWrites == 1, !cfg.DecideQueuedTogether
	return r
}

// reference processes the polls in order, one at a time, with no failure.
func reference(t *testing.T, polls []archive.Poll, order []int) (*Pipeline, []record.Record) {
	t.Helper()
	sink := &faultySink{}
	p := durablePipelineWith(t, t.TempDir(), sink, DefaultConfig(), faultNow)
	for _, i := range order {
		if err := p.Process(context.Background(), polls[i].Batch()); err != nil {
			t.Fatal(err)
		}
	}
	return p, sink.recs
}

// requireAsIfNoFailure compares r with a run without failures over the
// batches r committed, in the order it committed them.
func requireAsIfNoFailure(t *testing.T, r faultRun) {
	t.Helper()
	if r.failed == 0 {
		t.Fatal("no batch failed: the test no longer sees the fault")
	}
	t.Logf("committed in the order %v; acked with an error: %v", r.committed, r.errored) // for a failure's reader
	ref, refRecs := reference(t, r.polls, r.committed)

	// Stories: each is written once by its committed batch and again only
	// by the batches acked with an error that carried it: with one write
	// at a time, only those acked ErrDecidedAfterFailure (a failed write
	// writes nothing), and the last record of each story is its committed
	// one, in commit order; with writes in parallel a failed batch's may
	// have been written in part, and only one key's records keep their
	// order (its events' revisions rise).
	wantOrder, wantCount := storyRecords(refRecs)
	gotOrder, gotCount := storyRecords(r.recs)
	again := func(polls []int) map[string]int {
		n := map[string]int{}
		all := r.polls
		for _, i := range polls {
			for _, it := range all[i].Batch().Items {
				n[normalize.StoryID(it.Link, it.GUID, it.Feed.URL)]++
			}
		}
		return n
	}
	written, errored := again(r.written), again(r.errored)
	if r.ordered && !slices.Equal(gotOrder, wantOrder) {
		t.Errorf("stories by their last record:\n got %v\nwant %v", gotOrder, wantOrder)
	}
	for id, n := range wantCount {
		switch got := gotCount[id]; {
		case r.ordered && got != n+written[id]:
			t.Errorf("story %s written %d times, want %d (%d by batches acked %v)", id, got, n+written[id], written[id], ErrDecidedAfterFailure)
		case got < n || got > n+errored[id]:
			t.Errorf("story %s written %d times, want %d and up to %d more (its batches acked with an error)", id, got, n, errored[id])
		}
	}
	if len(gotCount) != len(wantCount) {
		t.Errorf("%d stories written, %d without failures", len(gotCount), len(wantCount))
	}
	// an alert a batch not committed wrote is written again, its counts
	// as the batches decided again make them: a compacted topic keeps the
	// last record of each
	// last record of each. In every mode: the spike detector is moved
	// story by story, so batches read again and queued with others than
	// the first time fire the alerts the reference, deciding each batch
	// alone, fires (before round 31 its buckets moved once per work).
	wantOut := archive.OutcomeOf(refRecs)
	got := archive.OutcomeOf(r.recs)
	got.Alerts = archive.OutcomeOf(lastOfEachAlert(withoutUndoneAlerts(r, refRecs))).Alerts
	archive.RequireSameButRevisions(t, "without failures", wantOut, "with failures", got)
	archive.RequireRevisionsRise(t, r.recs)
	if !r.separate {
		// Batches queued behind one another are decided as one work, and
		// a batch read again may queue with others than the first time:
		// the events' clock moves once per work, and the state log holds
		// each work's changes, so the state is compared only with a run
		// that decides every batch alone, like the reference.
		return
	}

	// State: every stage as a run without failures left it.
	owners := func(p *Pipeline) []state.Owner {
		ev := p.d.Events
		if s, ok := ev.(*slowEvents); ok {
			ev = s.Clusterer
		}
		en := p.d.Enricher
		if a, ok := en.(*storyCounter); ok {
			en = a.Enricher
		}
		return []state.Owner{p.d.Dedupe, en.(*enrich.Enricher), ev.(*events.Clusterer), p.d.Spikes.(*spikes.Detector)}
	}
	live, want := owners(r.p), owners(ref)
	for i := range live {
		requireSameEntries(t, fmt.Sprintf("%T with failures, against without", live[i]), butRetried(snapshotOf(t, live[i])), butRetried(snapshotOf(t, want[i])))
	}
}

// butRetried blanks in es the two fields a failed write changes by
// design, so the rest can be compared byte for byte with a run without
// failures:
//   - an event's revision, and its id's revision floor (the events table's
//     'e' and 'r' entries; only a run that superseded records has floors): the run after a rewind publishes the events
//     the failed writes may have put on the sink again at a higher
//     revision (Withdrawer), so a compacted topic keeps the state the log
//     holds;
//   - when a story or a copy was last seen (the stories table), which is
//     the dedupe window's clock: the first stage is not rewound, and its
//     clock has seen the stories of the batches screened before the
//     failure was known, which the batches read again are checked after.
func butRetried(es []state.Entry) []state.Entry {
	var out []state.Entry
	for _, e := range es {
		v := slices.Clone(e.Value)
		switch {
		case e.Table == state.Events && len(e.Key) > 0 && e.Key[0] == 'e' && len(v) > 1:
			_, n := binary.Uvarint(v[1:]) // after the format version
			v = append(v[:1:1], v[1+n:]...)
		case e.Table == state.Events && len(e.Key) > 0 && e.Key[0] == 'r':
			continue // only a run that superseded records has them
		case e.Table == state.Stories && len(v) >= 45 && v[0] == 's': // 's' id:16 feed:8 content:8 first:8 last:4
			clear(v[41:45])
		case e.Table == state.Stories && len(v) >= 21 && v[0] == 'c': // 'c' content:8 first:8 last:4
			clear(v[17:21])
		}
		out = append(out, state.Entry{Table: e.Table, Key: e.Key, Value: v})
	}
	return out
}

// withoutUndoneAlerts is r's records but the alerts that only decisions
// a rewind undid made: an alert the reference does not fire, all of
// whose records went out in writes that carried a batch written again
// later (acked ErrDecidedAfterFailure). Such a write's records stay on
// the topic (no retraction follows an alert), and the batches read again
// may come after one that overtook them — committed order [0 1 2 13 3 …
// 12] in one run: the recall's stories, late behind batch 13's, no
// longer close their bucket when decided again.
func withoutUndoneAlerts(r faultRun, refRecs []record.Record) []record.Record {
	fired := map[string]bool{}
	for _, rec := range refRecs {
		if a, ok := rec.(*record.Alert); ok {
			fired[a.ID] = true
		}
	}
	pollOf := map[string]int{}
	for i, p := range r.polls {
		for _, it := range p.Batch().Items {
			pollOf[normalize.StoryID(it.Link, it.GUID, it.Feed.URL)] = i
		}
	}
	pollsIn := func(w []record.Record) []int {
		var ps []int
		for _, rec := range w {
			switch x := rec.(type) {
			case *record.Story:
				ps = append(ps, pollOf[x.ID])
			case *record.Duplicate:
				ps = append(ps, pollOf[x.ID])
			}
		}
		return ps
	}
	lastWrite := map[int]int{} // poll → the last write that carried it: its committed one
	for n, w := range r.writes {
		for _, p := range pollsIn(w) {
			lastWrite[p] = n
		}
	}
	undone := map[string]bool{} // alert id → every write of it was undone
	for n, w := range r.writes {
		failed := false
		for _, p := range pollsIn(w) {
			failed = failed || lastWrite[p] > n
		}
		for _, rec := range w {
			if a, ok := rec.(*record.Alert); ok && !fired[a.ID] {
				if was, seen := undone[a.ID]; !seen || was {
					undone[a.ID] = failed
				}
			}
		}
	}
	var out []record.Record
	for _, rec := range r.recs {
		if a, ok := rec.(*record.Alert); ok && undone[a.ID] {
			continue
		}
		out = append(out, rec)
	}
	return out
}

// lastOfEachAlert returns the last record of each alert in recs.
func lastOfEachAlert(recs []record.Record) []record.Record {
	last := map[string]record.Record{}
	for _, r := range recs {
		if a, ok := r.(*record.Alert); ok {
			last[a.ID] = a
		}
	}
	out := make([]record.Record, 0, len(last))
	for _, a := range last {
		out = append(out, a)
	}
	return out
}

// storyRecords returns the ids of the stories in recs whose last record
// is a story's, in the order of those records, and how many records each
// story and copy (duplicate) has.
func storyRecords(recs []record.Record) ([]string, map[string]int) {
	count := map[string]int{}
	last := map[string]int{}
	for i, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			last[r.ID] = i
			count[r.ID]++
		case *record.Duplicate:
			// a merged work writes its copies after all its stories:
			// counted, not ordered; a copy decided as a story by a batch
			// not committed is superseded by its duplicate record
			delete(last, r.ID)
			count[r.ID]++
		}
	}
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return last[a] - last[b] })
	return ids, count
}

func TestRunsRewindAfterAFailedWriteDecidesAsIfNoWriteHadFailed(t *testing.T) {
	tests := []struct {
		name   string
		fail   []int // write numbers
		window int   // batches the source keeps out
	}{
		{"the first write fails", []int{0}, 1},
		{"the first write fails with batches queued behind it", []int{0}, 6},
		{"a write in the middle fails", []int{2}, 6},
		{"three writes in a row fail", []int{1, 2, 3}, 6},
		{"every other write fails for a while", []int{1, 3, 5, 7}, 4},
		{"the write of every batch fails once, one batch out", []int{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26}, 1},
	}
	for _, writes := range []int{1, DefaultConfig().MaxInFlightWrites} {
		for _, together := range []bool{true, false} {
			for _, tt := range tests {
				t.Run(fmt.Sprintf("%s, %d writes at once, decide_queued_together %t", tt.name, writes, together), func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						cfg := DefaultConfig()
						cfg.DecideQueuedTogether = together
						cfg.MaxInFlightWrites = writes
						cfg.MaintenanceInterval = 24 * time.Hour // no tick: the reference has none
						fail := map[int]bool{}
						for _, n := range tt.fail {
							fail[n] = true
						}
						r := runWithFaults(t, cfg, archive.Polls(), &faultySink{fail: fail}, tt.window, nil)
						requireAsIfNoFailure(t, r)
					})
				})
			}
		}
	}
}

// The events stage is a minute behind (its Assign of the third batch's
// story sleeps) while the second batch's write fails: enrichment has run
// ahead over every batch Run lets in, and the rewind that the next batch's
// enrichment starts waits on the barrier behind them.
func TestARewindWhileEnrichmentIsSeveralBatchesAheadDecidesAsIfNoWriteHadFailed(t *testing.T) {
	polls := archive.Polls()
	for _, together := range []bool{true, false} {
		t.Run(fmt.Sprintf("decide_queued_together %t", together), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := DefaultConfig()
				cfg.DecideQueuedTogether = together
				cfg.MaintenanceInterval = 24 * time.Hour
				cfg.MaxInFlightBatches = 6
				cfg.MaxInFlightWrites = 1 // writes in batch order: write 1 is the second batch's
				sink := &faultySink{fail: map[int]bool{1: true}, failAfter: 30 * time.Second}
				var ev *slowEvents
				r := runWithFaults(t, cfg, polls, sink, len(polls), func(p *Pipeline) {
					enr := &storyCounter{Enricher: p.d.Enricher.(*enrich.Enricher)}
					slow := polls[2].Batch().Items[0].GUID
					ev = &slowEvents{Clusterer: p.d.Events.(*events.Clusterer), slow: slow, enriched: enr.count}
					p.d.Enricher, p.d.Events = enr, ev
				})
				// polls 0 to 2 hold 4 stories; every story after them was
				// enriched while the events stage slept on the third poll's
				ahead := ev.atWake - 4
				t.Logf("enrichment was %d stories ahead when the events stage woke; %d batches failed", ahead, r.failed)
				if ahead < 3 {
					t.Fatalf("enrichment was %d stories ahead of the events stage: the test no longer sees it run ahead", ahead)
				}
				requireAsIfNoFailure(t, r)
			})
		})
	}
}

// A batch screened while an earlier batch's stories were pending in
// dedupe, and second-staged only after that batch failed and the stages'
// memory was rewound, was committed: its copy of a story of the failed
// batch went out as a duplicate of a story not committed (and, the
// events' memory rewound, in no event), and the story, read again, was
// published after its own duplicate. Here the first batch's write fails
// after half a minute; the second batch's enrichment takes a minute, so
// the third — the copy, screened at once — is decided after the rewind.
// Now every batch screened before a failure is known fails with it.
func TestABatchScreenedBeforeAFailureIsNotCommittedOnDecisionsAboutTheFailedBatch(t *testing.T) {
	all := archive.Polls()
	storm, ecb, copies := all[0], all[2], all[1] // the wire's storm story; the herald's ECB story; the daily's storm stories, one a copy of the wire's
	polls := []archive.Poll{storm, ecb, copies}
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.DecideQueuedTogether = false
		cfg.MaxInFlightWrites = 1
		cfg.MaintenanceInterval = 24 * time.Hour
		sink := &faultySink{fail: map[int]bool{0: true}, failAfter: 30 * time.Second}
		r := runWithFaults(t, cfg, polls, sink, len(polls), func(p *Pipeline) {
			p.d.Enricher = &storyCounter{Enricher: p.d.Enricher.(*enrich.Enricher), slow: ecb.Batch().Items[0].GUID}
		})
		requireAsIfNoFailure(t, r)
		if want := []int{0, 1, 2}; !slices.Equal(r.committed, want) {
			t.Errorf("committed in the order %v, want %v: a batch screened before the failure was committed before the failed batch", r.committed, want)
		}
	})
}

func TestProcessAfterAFailedWriteDecidesAsIfNoWriteHadFailed(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail []int
	}{
		{"the first write fails", []int{0}},
		{"a write in the middle fails", []int{6}},
		{"three writes in a row fail: one batch three times", []int{5, 6, 7}},
		{"every other write fails: every batch once", []int{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fail := map[int]bool{}
			for _, n := range tt.fail {
				fail[n] = true
			}
			polls := archive.Polls()
			sink := &faultySink{fail: fail}
			r := faultRun{polls: polls, ordered: true, separate: true}
			r.p = durablePipelineWith(t, t.TempDir(), sink, DefaultConfig(), faultNow)
			for i, poll := range polls {
				for {
					err := r.p.Process(context.Background(), poll.Batch())
					if err == nil {
						break
					}
					r.failed++
					r.errored = append(r.errored, i)
					if errors.Is(err, ErrDecidedAfterFailure) {
						r.written = append(r.written, i)
					}
					if r.failed > len(tt.fail) {
						t.Fatalf("batch %d failed again: %v", i, err)
					}
				}
				r.committed = append(r.committed, i)
			}
			r.recs = sink.recs
			requireAsIfNoFailure(t, r)
		})
	}
}
