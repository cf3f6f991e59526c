package spikes

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A background snapshot (state.Store takes it while batches are decided)
// runs while the second stage observes stories. What is observed during
// the snapshot is committed after the rotation and replayed over the
// snapshot, so a restore from snapshot and tail counts every story once:
// the open buckets' running counts are copied with the observation
// counter that tells the replay where they end.
func TestASnapshotTakenWhileObservingRestoresEveryObservation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inject byte
		later  time.Duration
	}{
		{"into a bucket already copied", 'l', 0},
		{"into a bucket opened during the snapshot", 'l', time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFeed(DefaultConfig())
			f.d.TrackChanges(true)
			f.observe("AP", "quake")
			f.observe("BBC", "quake")
			f.d.Changes() // in the log before the rotation: the snapshot replaces it

			var log []state.Entry
			done := false
			err := f.d.Snapshot(func(e state.Entry) error {
				log = append(log, cloneEntry(e))
				if !done && e.Key[0] == tc.inject {
					done = true // emit runs between the detector's holds
					s := f.story("DW", "quake")
					s.FirstSeen = s.FirstSeen.Add(tc.later)
					f.d.Observe(s) // a batch decided while the snapshot is taken
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !done {
				t.Fatalf("no %q entry in the snapshot", tc.inject)
			}
			log = append(log, f.d.Changes()...) // that batch, committed after the rotation

			want := map[int64]int{}
			for b, ob := range f.d.open {
				if c := ob.counts.get("quake"); c != nil {
					want[b] = int(c.stories)
				}
			}
			d := New(DefaultConfig(), nil)
			for _, e := range log {
				if err := d.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
			got := map[int64]int{}
			for b, ob := range d.open {
				if c := ob.counts.get("quake"); c != nil {
					got[b] = int(c.stories)
				}
			}
			if len(want) == 0 {
				t.Fatal("no open bucket counts quake")
			}
			for b, n := range want {
				if got[b] != n {
					t.Errorf("bucket %d: %d stories of quake after the restore, want %d (all: got %v, want %v)", b, got[b], n, got, want)
				}
			}
		})
	}
}
