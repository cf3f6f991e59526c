// Package statetest holds what the stages' tests share about their state
// entries (pipeline/state.Entry).
package statetest

import (
	"bytes"
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
