package spikes

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restore whose log holds observations but no clock entry ('g': a
// damaged or cut log) has no state's own times to bound by, so it leaves
// nothing out: its observations are restored as before round 42, none
// tombstoned. Round 42's far-future limit was left at its zero value
// (bucket 0) when the restore had not started, so every observation past
// 1970 was left out and tombstoned for good.
func TestARestoreWithoutAClockEntryLeavesNoObservationOut(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	burst(f, 4, 8, "earthquake") // an open bucket's observations
	var entries []state.Entry
	obs := 0
	for _, e := range f.d.Changes() { // the log as written, its clock entry lost
		if string(e.Key) == "g" {
			continue
		}
		if len(e.Key) > 0 && e.Key[0] == 'o' && e.Value != nil {
			obs++
		}
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
	}
	if obs == 0 {
		t.Fatal("the log holds no open observation")
	}
	r := New(DefaultConfig(), nil)
	r.TrackChanges(true)
	for _, e := range entries {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if r.started {
		t.Fatal("restored as started without a clock entry")
	}
	for _, e := range r.Changes() {
		if len(e.Key) > 0 && e.Key[0] == 'o' && e.Value == nil {
			t.Errorf("observation %x tombstoned by a restore with no clock entry", e.Key)
		}
	}
}
