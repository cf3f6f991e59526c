package events

import (
	"fmt"
	"strings"
	"testing"
)

// A slab's strings keep their text however many follow them: across
// the change to a new array, and for a string longer than any array.
func TestSlabStringsAreNeverWrittenOver(t *testing.T) {
	var sl slab
	var want, got []string
	for i := range 3000 {
		s := fmt.Sprintf("key %d of the event", i)
		if i%500 == 7 {
			s = strings.Repeat("long ", maxSlab/4) // over maxSlab
		}
		want, got = append(want, s), append(got, sl.str(s))
	}
	if sl.str("") != "" {
		t.Error(`str("") is not empty`)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d is %q, want %q", i, got[i], want[i])
		}
	}
}
