package state

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
)

// trackerOwner is a mapOwner whose memory a batch changes before its
// entries are committed, as events, spikes and enrichment do.
type trackerOwner struct{ *mapOwner }

func (trackerOwner) TrackChanges(bool) {}

// decide changes memory ahead of the log, as a batch's second stage does.
func (o trackerOwner) decide(st *Store, k, v string) {
	st.Decide(context.Background())
	o.mu.Lock()
	o.m[k] = v
	o.mu.Unlock()
}

// grow commits enough to the other owner that a compaction is due.
func grow(t *testing.T, st *Store, o *mapOwner, round int) {
	t.Helper()
	for i := range 40 {
		o.set(t, st, fmt.Sprintf("story-%02d", i), fmt.Sprintf("round %d %s", round, strings.Repeat("x", 60)))
	}
}

func openTrackedStore(t *testing.T, dir string, cfg Config) (*Store, *mapOwner, trackerOwner) {
	t.Helper()
	l, err := OpenFile(dir, cfg, nil, nil)
	must(t, err)
	o, tr := newMapOwner(Stories), trackerOwner{newMapOwner(Events)}
	st, err := Open(context.Background(), l, Options{}, o, tr)
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	return st, o, tr
}

// A compaction that falls due while a tracker holds an uncommitted
// decision takes the trackers as they are but keeps its snapshot only once
// that decision is committed: after a crash before, the restore holds only
// what was committed, however many snapshots were due meanwhile; once the
// decision is committed the snapshot replaces what the log held before.
func TestASnapshotIsKeptOnlyOnceTheDecisionsItTookAreCommitted(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 10
	dir := t.TempDir()
	st, o, tr := openTrackedStore(t, dir, cfg)
	tr.set(t, st, "event-1", "one story")
	tr.decide(st, "event-1", "two stories") // its batch's write is still out
	for round := range 5 {
		grow(t, st, o, round)
	}
	if err := st.Compact(); err != ErrAheadOfLog {
		t.Fatalf("Compact with a decision ahead of the log = %v, want ErrAheadOfLog", err)
	}
	must(t, st.Discard()) // the crash, with a snapshot waiting for event-1's batch

	st, o, tr = openTrackedStore(t, dir, cfg)
	st.WaitCompaction() // the restore's own snapshot of the tail it read
	if got := tr.snapshotMap()["event-1"]; got != "one story" {
		t.Fatalf("restored event-1 = %q, want the committed %q", got, "one story")
	}
	tr.decide(st, "event-1", "two stories")
	grow(t, st, o, 9) // twice what the restore's snapshot holds: a snapshot is due
	grow(t, st, o, 10)
	// The batch's write is acknowledged: its entry is committed, then settled.
	must(t, st.Commit(context.Background(), []Entry{{Table: Events, Key: []byte("event-1"), Value: []byte("two stories")}}, nil))
	st.Settle(1, true)
	st.WaitCompaction()
	must(t, st.Discard())

	l, err := OpenFile(dir, cfg, nil, nil)
	must(t, err)
	defer l.Close()
	var events []string
	for _, e := range collect(t, l) {
		if strings.HasPrefix(e, "events:") {
			events = append(events, e)
		}
	}
	if len(events) == 0 || events[len(events)-1] != "events:event-1=two stories" || slices.Contains(events, "events:event-1=one story") {
		t.Errorf("the log holds %v; want event-1's committed value last and the older one compacted away", events)
	}
}

// A snapshot that took a decision whose batch then fails is dropped: a
// restore from it would hold what the log never will, and the feed's
// re-read stories would count twice.
func TestASnapshotThatTookAFailedDecisionIsDropped(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 10
	dir := t.TempDir()
	st, o, tr := openTrackedStore(t, dir, cfg)
	tr.set(t, st, "event-1", "one story")
	tr.decide(st, "event-1", "two stories")
	grow(t, st, o, 0) // due: the snapshot takes "two stories" and waits
	grow(t, st, o, 1)
	st.Settle(1, false) // the batch failed
	st.WaitCompaction()
	must(t, st.Discard()) // a crash before any later commit

	st, _, tr = openTrackedStore(t, dir, cfg)
	defer st.Discard()
	if got := tr.snapshotMap()["event-1"]; got != "one story" {
		t.Fatalf("restored event-1 = %q, want the committed %q", got, "one story")
	}
}

// A due snapshot never holds up a new decision: the pipeline's second
// stage goes on while it is written, however many decisions are out.
func TestADueSnapshotDoesNotHoldNewDecisions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		defer st.Discard()
		tr.decide(st, "event-1", "a")
		grow(t, st, o, 0) // due while event-1's batch is out

		if !decideAside(t.Context(), st)() {
			t.Fatal("a new decision waited for a due snapshot")
		}
		// Both batches commit; the snapshot is kept then.
		st.Settle(1, true)
		st.Settle(1, true)
		st.WaitCompaction()
		if err := st.Compact(); err != nil {
			t.Fatalf("Compact with nothing ahead = %v", err)
		}
	})
}

// A second-stage run that changed nothing settles without ending the
// carried decisions of a failed batch: no snapshot starts while they are
// in memory and in no segment; the next batch's commit carries them, and
// a snapshot can be taken then.
func TestAnUnchangedRunLeavesAFailedBatchsDecisionsCarried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		defer st.Discard()
		tr.decide(st, "event-1", "a")
		st.Settle(1, false) // the batch failed: its decision is carried
		st.Decide(t.Context())
		grow(t, st, o, 0) // due, but the carried decision holds it off
		st.SettleUnchanged(1)

		if !decideAside(t.Context(), st)() {
			t.Fatal("a new decision waited for a carried one, which only it can commit")
		}
		st.Settle(1, true) // it commits the carried one with it
		st.WaitCompaction()
		if err := st.Compact(); err != nil {
			t.Fatalf("Compact with nothing ahead = %v", err)
		}
	})
}

// Discard ends a compaction that waits for decisions to be committed,
// which nothing will commit any more.
func TestDiscardEndsACompactionWaitingForCommits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		tr.decide(st, "event-1", "a")
		grow(t, st, o, 0) // due; the snapshot waits for event-1's batch
		synctest.Wait()
		must(t, st.Discard()) // returns once the compaction has ended
		st.WaitCompaction()
	})
}

// decideAside calls st.Decide in a goroutine of the synctest bubble; the
// func it returns waits until the bubble is idle and reports whether that
// call has returned.
func decideAside(ctx context.Context, st *Store) (returned func() bool) {
	decided := make(chan struct{})
	go func() {
		st.Decide(ctx)
		close(decided)
	}()
	return func() bool {
		synctest.Wait()
		select {
		case <-decided:
			return true
		default:
			return false
		}
	}
}
