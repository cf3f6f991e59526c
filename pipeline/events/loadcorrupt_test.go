package events

import (
	"bytes"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// unreadableEntries are entries of every kind whose value (or key) no
// Load may take, built on the keys of a real snapshot so that each names
// something the clusterer holds: a cut event, an event of an unknown
// version, an event with bytes after its end, a cut clock, a clock
// tombstone, a cut floor, a count below 1 and a story key of 4 bytes.
func unreadableEntries(t *testing.T, entries []state.Entry) []state.Entry {
	t.Helper()
	first := func(kind byte) state.Entry {
		for _, e := range entries {
			if e.Key[0] == kind {
				return e
			}
		}
		t.Fatalf("the snapshot has no entry of kind %q", kind)
		return state.Entry{}
	}
	with := func(e state.Entry, v []byte) state.Entry {
		return state.Entry{Table: e.Table, Key: e.Key, Value: v}
	}
	ev, clock, term := first('e'), first('c'), first('d')
	out := []state.Entry{
		with(ev, ev.Value[:len(ev.Value)/2]),
		with(ev, append([]byte{9}, ev.Value[1:]...)),
		with(ev, append(bytes.Clone(ev.Value), 0)),
		with(clock, clock.Value[:len(clock.Value)-3]),
		with(clock, append(bytes.Clone(clock.Value), 1, 1)),
		with(clock, nil),
		with(term, state.AppendFloat(nil, 0.5)),
		{Table: state.Events, Key: []byte("s1234")},
	}
	for _, e := range entries {
		if e.Key[0] == 'r' {
			out = append(out, with(e, e.Value[:1]))
			break
		}
	}
	return out
}

func sameEntries(a, b []state.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Key, b[i].Key) || !bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

// Load decodes and checks an entry whole before it changes anything: an
// entry it refuses leaves the clusterer as it was, whether it comes in
// the middle of a restore (the event of that id, the clock, the count
// loaded before stay as they were: the restore ends as it would have
// without the entry) or to a live clusterer (its snapshot the same
// bytes, no restore begun, no term held).
func TestAnUnreadableEntryLeavesTheClustererAsItWas(t *testing.T) {
	cfg := tightConfig()
	entries := snapshotOf(t, wordy(t, cfg, 600))
	bad := unreadableEntries(t, entries)
	want := snapshotOf(t, restoredFrom(t, cfg, entries))

	mid := New(cfg, nil)
	mid.TrackChanges(true)
	for _, e := range entries {
		if err := mid.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range bad {
		if err := mid.Load(e); err == nil {
			t.Fatalf("Load took the unreadable entry %q = %x", e.Key, e.Value)
		}
	}
	if err := mid.Restored(); err != nil {
		t.Fatal(err)
	}
	if got := snapshotOf(t, mid); !sameEntries(got, want) {
		t.Errorf("a restore that met unreadable entries snapshots to %d entries unlike the %d of one that did not", len(got), len(want))
	}

	live := restoredFrom(t, cfg, entries)
	held := func() (n int) {
		for _, r := range live.terms.refs {
			n += int(max(r, 0))
		}
		return n
	}
	heldBefore := held()
	for _, e := range bad {
		if err := live.Load(e); err == nil {
			t.Fatalf("Load took the unreadable entry %q = %x", e.Key, e.Value)
		}
		if live.restore != nil {
			t.Fatalf("refusing %q began a restore", e.Key)
		}
		if got := snapshotOf(t, live); !sameEntries(got, want) {
			t.Fatalf("refusing %q = %x changed the snapshot", e.Key, e.Value)
		}
		if n := held(); n != heldBefore {
			t.Fatalf("refusing %q left %d references to terms, want %d", e.Key, n, heldBefore)
		}
	}
}
