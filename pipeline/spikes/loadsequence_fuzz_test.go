package spikes

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzLoadSequenceSnapshotsAsItLoads restores a log of entries picked
// from a real one (baselines, evicted firings, counts, observations,
// tombstones), some damaged or made tombstones, in any order: whatever
// the detector takes, its snapshot, loaded into a fresh detector,
// snapshots to the same bytes. FuzzLoad tries one entry on an empty
// detector; this one the baselines' table under many (renames, removes
// and their compactions, a tombstone before the term's entry).
func FuzzLoadSequenceSnapshotsAsItLoads(f *testing.F) {
	cfg := DefaultConfig()
	cfg.MaxTerms = 20 // evictions, so the log holds tombstones and evicted firings
	log := sequenceLog(cfg)
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []byte{})
	f.Add([]byte{200, 3, 7, 255, 9}, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, picks, damage []byte) {
		d := New(cfg, nil)
		for i, p := range picks {
			e := log[int(p)%len(log)]
			e = state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
			if i < len(damage) {
				switch x := damage[i]; {
				case x%4 == 0 && len(e.Value) > 0:
					e.Value[int(x/4)%len(e.Value)] ^= x | 1
				case x%4 == 1:
					e.Value = nil
				}
			}
			_ = d.Load(e) // refused or taken: either way the state is whole
		}
		if err := d.Restored(); err != nil {
			return
		}
		var snap []state.Entry
		if err := d.Snapshot(func(e state.Entry) error {
			snap = append(snap, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, want := snapshotOf(t, restoreFromLog(t, cfg, snap)), snapshotOf(t, d); !bytes.Equal(got, want) {
			t.Fatalf("restored from its snapshot, the detector snapshots %q, want %q", got, want)
		}
	})
}

// sequenceLog is the state log of a short stream: every change, then a
// snapshot and the changes after it.
func sequenceLog(cfg Config) []state.Entry {
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	var log []state.Entry
	for b := range 8 {
		for s := range 12 {
			f.observe(wirePubs[s%len(wirePubs)], fmt.Sprint("w", (s*b)%13), "person:Zé", fmt.Sprint("person:p", s%5))
		}
		f.tick()
		log = append(log, f.d.Changes()...)
	}
	f.observe("AP", "acme", "person:zelensky")
	if err := f.d.Snapshot(func(e state.Entry) error { log = append(log, cloneEntry(e)); return nil }); err != nil {
		panic(err)
	}
	return append(log, f.d.Changes()...)
}
