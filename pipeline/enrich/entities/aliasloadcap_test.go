package entities

import (
	"encoding/binary"
	"strconv"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restored entry holds at most maxNamesPerSurname full names, as one
// the map builds does: the names are a list searched name by name
// (round 39), and an entry of a damaged or hostile log with many
// thousands of names made Load quadratic (100,000 names, a 1.6 MB
// value: 23 s of one core, where the map of before took milliseconds;
// a 256 MB record would never end). The first names seen are kept, as
// observe keeps them, and a later record of a kept name still replaces
// it.
func TestLoadKeepsAtMostMaxNamesPerSurname(t *testing.T) {
	n := 3 * maxNamesPerSurname
	b := binary.AppendUvarint(nil, 7) // last
	b = binary.AppendUvarint(b, 50)   // total
	b = binary.AppendUvarint(b, uint64(n+1))
	for i := range n {
		b = binary.AppendUvarint(state.AppendString(state.AppendString(b, "person:n"+strconv.Itoa(i)), "N "+strconv.Itoa(i)), 1)
	}
	b = binary.AppendUvarint(state.AppendString(state.AppendString(b, "person:n0"), "N zero"), 40) // n0 again: the later one
	a := NewAliasMap(100)
	if err := a.Load("smith", b); err != nil {
		t.Fatal(err)
	}
	s := a.m["smith"]
	if s == nil {
		t.Fatal("the entry was not restored")
	}
	if len(s.names) != maxNamesPerSurname {
		t.Fatalf("restored %d full names, at most %d are held", len(s.names), maxNamesPerSurname)
	}
	for i := range maxNamesPerSurname {
		if want := "person:n" + strconv.Itoa(i); s.find(want) < 0 {
			t.Fatalf("%s (among the first %d) was not kept: %v", want, maxNamesPerSurname, s.names)
		}
	}
	if key, name, ok := a.Resolve("smith"); !ok || key != "person:n0" || name != "N zero" {
		t.Fatalf("Resolve = %q %q %t; the later record of person:n0 (40 of 50) dominates", key, name, ok)
	}
}
