package state

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"testing/synctest"
)

// rewindOwner is a trackerOwner that can forget, as events, spikes and
// enrichment can.
type rewindOwner struct{ trackerOwner }

func (o rewindOwner) Reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.m)
}

func openRewindStore(t *testing.T, dir string, cfg Config) (*Store, *mapOwner, rewindOwner) {
	t.Helper()
	l, err := OpenFile(dir, cfg, nil, nil)
	must(t, err)
	o, tr := newMapOwner(Stories), rewindOwner{trackerOwner{newMapOwner(Events)}}
	st, err := Open(context.Background(), l, Options{}, o, tr)
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	return st, o, tr
}

// After a failed batch, Rewind takes a tracker's memory back to what the
// log holds — the snapshot and the segments after it — and leaves the
// other owners as they are; the store then decides, commits and
// compacts as before.
func TestARewindTakesATrackerBackToTheLog(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 10
	st, o, tr := openRewindStore(t, t.TempDir(), cfg)
	defer st.Close()
	if !st.CanRewind() {
		t.Fatal("a file log with a tracker that resets cannot rewind")
	}
	tr.set(t, st, "event-1", "one story", "event-2", "one story")
	grow(t, st, o, 0) // a snapshot holds the first states
	st.WaitCompaction()
	tr.set(t, st, "event-2", "two stories", "event-3", "one story") // the segment after it
	stories := o.snapshotMap()
	committed := tr.snapshotMap()

	tr.decide(st, "event-1", "two stories") // the batch whose write fails
	tr.decide(st, "event-4", "one story")   // and one decided after it
	st.Settle(2, false)
	if err := st.Rewind(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := tr.snapshotMap(); !maps.Equal(got, committed) {
		t.Errorf("after the rewind the tracker holds %v; the log holds %v", got, committed)
	}
	if got := o.snapshotMap(); !maps.Equal(got, stories) {
		t.Errorf("the rewind changed an owner that is not a tracker: %v, was %v", got, stories)
	}
	tr.decide(st, "event-1", "two stories") // read again, decided once
	st.Settle(1, true)
	if err := st.Compact(); err != nil {
		t.Fatalf("no decision is ahead of the log after the rewind and a commit, yet: %v", err)
	}
}

// Rewind waits for the decisions in flight: only once every one is a
// failed batch's does memory hold nothing the log will still get.
func TestARewindWaitsForTheDecisionsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, _, tr := openRewindStore(t, t.TempDir(), testConfig())
		defer st.Close()
		tr.decide(st, "event-1", "failed")
		tr.decide(st, "event-2", "decided after it, write still out")
		st.Settle(1, false)
		done := make(chan error, 1)
		go func() { done <- st.Rewind(context.Background()) }()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("the rewind did not wait for a decision in flight (err %v)", err)
		default:
		}
		st.Settle(1, false) // that batch fails too
		synctest.Wait()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := tr.snapshotMap(); len(got) != 0 {
			t.Errorf("after the rewind the tracker holds %v; the log holds nothing", got)
		}
	})
}

// Without a log (memory only) the store still rewinds: a tracker goes back
// to what was committed of its table — values replaced, keys deleted,
// more than one compaction of what the store keeps later — and the other
// owners are left as they are.
func TestAStoreInMemoryOnlyRewindsATrackerToWhatWasCommitted(t *testing.T) {
	o, tr := newMapOwner(Stories), rewindOwner{trackerOwner{newMapOwner(Events)}}
	st, err := Open(context.Background(), nil, Options{}, o, tr)
	must(t, err)
	defer st.Close()
	if !st.CanRewind() {
		t.Fatal("a store in memory only with a tracker that resets cannot rewind")
	}
	for round := range 3000 { // replaced entries enough to compact what is kept
		tr.set(t, st, "event-1", fmt.Sprint(round, " stories"), fmt.Sprint("closed-", round), "closed")
		tr.set(t, st, fmt.Sprint("closed-", round), "")
	}
	tr.set(t, st, "event-2", "one story", "event-3", "one story")
	tr.set(t, st, "event-3", "")
	o.set(t, st, "story-1", "kept")
	stories := o.snapshotMap()
	committed := tr.snapshotMap()
	if want := map[string]string{"event-1": "2999 stories", "event-2": "one story"}; !maps.Equal(committed, want) {
		t.Fatalf("the tracker holds %v before the failed batch; the test meant %v", committed, want)
	}

	tr.decide(st, "event-1", "3000 stories") // the batch whose write fails
	tr.decide(st, "event-4", "one story")    // and one decided after it
	st.Settle(2, false)
	if err := st.Rewind(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := tr.snapshotMap(); !maps.Equal(got, committed) {
		t.Errorf("after the rewind the tracker holds %v; what was committed is %v", got, committed)
	}
	if got := o.snapshotMap(); !maps.Equal(got, stories) {
		t.Errorf("the rewind changed an owner that is not a tracker: %v, was %v", got, stories)
	}
}
