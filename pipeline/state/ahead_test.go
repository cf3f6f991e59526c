package state

import (
	"context"
	"fmt"
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
// decision waits for it to settle: after a crash the restore holds only
// what was committed, however many snapshots were due meanwhile, and once
// the decision is committed the snapshot is taken.
func TestASnapshotWaitsForDecisionsToSettle(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 10
	dir := t.TempDir()
	st, o, tr := openTrackedStore(t, dir, cfg)
	tr.set(t, st, "event-1", "one story")
	tr.decide(st, "event-1", "two stories") // its batch's write is still out
	for round := range 5 {
		grow(t, st, o, round)
		st.WaitCompaction()
	}
	if err := st.Compact(); err != ErrAheadOfLog {
		t.Fatalf("Compact with a decision ahead of the log = %v, want ErrAheadOfLog", err)
	}
	must(t, st.Discard()) // the crash

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
	if len(events) != 1 || events[0] != "events:event-1=two stories" {
		t.Errorf("the log holds %v; want event-1 once, in the snapshot taken at the settle", events)
	}
}

// While a due snapshot waits, a new decision waits for those in flight to
// settle, so a steady stream of batches cannot put it off; a failed
// batch's carried decision does not hold it up, as only a later commit
// can settle it.
func TestADueSnapshotHoldsNewDecisionsUntilThoseInFlightSettle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		defer st.Discard()
		tr.decide(st, "event-1", "a")
		grow(t, st, o, 0) // due, and waiting for event-1's batch

		returned := decideAside(t.Context(), st)
		if returned() {
			t.Fatal("a new decision went ahead while a due snapshot waited for one in flight")
		}
		st.Settle(1, false) // the batch failed: its decision is carried
		if !returned() {
			t.Fatal("a new decision waited for a carried one, which only it can commit")
		}
		// The next batch commits both; the snapshot is taken then.
		st.Settle(1, true)
		st.WaitCompaction()
		if err := st.Compact(); err != nil {
			t.Fatalf("Compact with nothing ahead = %v", err)
		}
	})
}

// A second-stage run that changed nothing settles without ending the
// carried decisions of a failed batch: a snapshot that falls due then
// still lets the next batch decide (it is the one that commits the
// carried ones), instead of waiting for a commit nothing would make.
func TestAnUnchangedRunLeavesAFailedBatchsDecisionsCarried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		defer st.Discard()
		tr.decide(st, "event-1", "a")
		st.Settle(1, false) // the batch failed: its decision is carried
		st.Decide(t.Context())
		grow(t, st, o, 0) // due, and waiting for the carried decision
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

// Discard wakes a Decide that waits for a snapshot the store will no
// longer take.
func TestDiscardWakesAWaitingDecision(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.CompactMinBytes = 1 << 10
		st, o, tr := openTrackedStore(t, t.TempDir(), cfg)
		tr.decide(st, "event-1", "a")
		grow(t, st, o, 0) // due, and waiting for event-1's batch

		returned := decideAside(context.Background(), st)
		synctest.Wait()
		must(t, st.Discard())
		if !returned() {
			t.Fatal("Decide still waits after Discard")
		}
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
