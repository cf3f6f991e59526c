// Package statetest holds what the stages' tests share about their state
// entries (pipeline/state.Entry).
package statetest

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// SameEntries fails tb, naming what was compared and the first entry
// that differs, unless got holds want's entries in want's order, byte
// for byte.
func SameEntries(tb testing.TB, what string, got, want []state.Entry) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].Table != want[i].Table || !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
			tb.Fatalf("%s: entry %d is %q %x, want %q %x", what, i, got[i].Key, got[i].Value, want[i].Key, want[i].Value)
		}
	}
}

// SameEntrySet is SameEntries in any order: got holds want's entries,
// byte for byte, each key once per time want has it. The owners write a
// snapshot in the order they keep their state, which a restore does not
// need; an encoding test compares what is written, not where.
func SameEntrySet(tb testing.TB, what string, got, want []state.Entry) {
	tb.Helper()
	SameEntries(tb, what, sortedEntries(got), sortedEntries(want))
}

func sortedEntries(es []state.Entry) []state.Entry {
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b state.Entry) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), bytes.Compare(a.Key, b.Key))
	})
	return es
}

// SnapshotBytes is what a snapshot's allocation test measures: the
// entries and bytes the measured snapshot emitted, the bytes the warming
// one emitted before it, and the bytes the measured one allocated.
type SnapshotBytes struct {
	Entries, Emitted, WarmEmitted int
	Allocated                     uint64
}

// MeasureSnapshot runs snapshot twice with an emit that keeps nothing —
// the first sizes whatever scratch a snapshot reuses — and measures the
// second's allocations after a collection, as every stage's "a snapshot
// allocates a chunk, not the state" test does.
func MeasureSnapshot(tb testing.TB, snapshot func(emit func(state.Entry) error) error) SnapshotBytes {
	tb.Helper()
	var m SnapshotBytes
	emit := func(e state.Entry) error {
		m.Entries++
		m.Emitted += len(e.Key) + len(e.Value)
		return nil
	}
	if err := snapshot(emit); err != nil {
		tb.Fatal(err)
	}
	m.WarmEmitted, m.Entries, m.Emitted = m.Emitted, 0, 0
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := snapshot(emit); err != nil {
		tb.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	m.Allocated = after.TotalAlloc - before.TotalAlloc
	return m
}
