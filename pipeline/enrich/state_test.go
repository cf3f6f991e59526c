package enrich

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// From an empty start, what Changes logs is what a snapshot then holds,
// byte for byte and in the same order; and an append to one entry (as a
// caller may make) leaves the next as it was, should entries ever share
// a buffer.
func TestChangesFromEmptyAreTheSnapshotAndAnAppendLeavesTheNextAsItWas(t *testing.T) {
	e := newE(t)
	e.TrackChanges(true)
	for _, title := range []string{
		"Prime Minister Keir Starmer hosts European leaders for Ukraine security talks in London",
		"Starmer says allies must back any ceasefire with troops",
		"Volodymyr Zelensky meets Starmer at Lancaster House",
		"Zelensky thanks allies as talks end in London",
	} {
		e.Enrich(&record.Story{Title: title}, "en")
	}
	got := e.Changes()
	var want []state.Entry
	if err := e.Snapshot(func(en state.Entry) error { want = append(want, copied(en)); return nil }); err != nil {
		t.Fatal(err)
	}
	kinds := map[byte]int{}
	for _, en := range got {
		kinds[en.Key[0]]++
	}
	if kinds['w'] == 0 || kinds['a'] == 0 {
		t.Fatalf("changes of kinds %v: the test meant to see words and surnames", kinds)
	}
	same := func(a, b []state.Entry) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i].Table != b[i].Table || !bytes.Equal(a[i].Key, b[i].Key) || !bytes.Equal(a[i].Value, b[i].Value) || (a[i].Value == nil) != (b[i].Value == nil) {
				return false
			}
		}
		return true
	}
	// The same entries; the snapshot writes the terms in the corpus's
	// slot order, Changes in term order (round 44), the surnames and
	// globals in one order in both.
	inTermOrder := func(es []state.Entry) []state.Entry {
		es = slices.Clone(es)
		n := 0 // the terms come first
		for n < len(es) && es[n].Key[0] == 'w' {
			n++
		}
		slices.SortFunc(es[:n], func(a, b state.Entry) int { return bytes.Compare(a.Key, b.Key) })
		return es
	}
	if !same(got, inTermOrder(want)) {
		t.Fatalf("changes from empty\n%q\nthe snapshot after them\n%q", got, want)
	}
	for _, en := range got {
		_ = append(en.Key, "XXXXXXXX"...)
		if en.Value != nil {
			_ = append(en.Value, "XXXXXXXX"...)
		}
	}
	if !same(got, inTermOrder(want)) {
		t.Errorf("appends to the entries changed the others\n%q\nwant\n%q", got, want)
	}
}
