package dedupe

import "testing"

// A full chunk is never moved: once the first chunkRows slots are in
// place, growing the index's slot arrays (values, check bytes) to three
// times that leaves slot 0 where it was. A flat array copied itself
// whole at each growth, so at a million stories the old and the new
// array (≈ 57 MiB of story records alone) were both in the heap until
// the next collection (BENCHMARKS.md round 40, rss40).
func TestGrowingTheSlotArraysMovesNoFullChunk(t *testing.T) {
	x := newIndex(16, 8)
	x.bulk = true // no band tables: only the arrays grow
	sig := make([]uint32, x.k)
	add := func(i int) {
		for j := range sig {
			sig[j] = uint32(i*31 + j)
		}
		x.add(uint64(i+1), int64(i), sig, false)
	}
	const first = chunkRows // a chunk's slots
	for i := range first {
		add(i)
	}
	vals, chk := &x.slotVals(0)[0], &x.slotChk(0)[0]
	for i := first; i < 3*first+10; i++ {
		add(i)
	}
	if &x.slotVals(0)[0] != vals || &x.slotChk(0)[0] != chk {
		t.Fatalf("growing from %d to %d slots moved slot 0's values or check bytes", first, 3*first+10)
	}
	last := 3*first + 9
	if got, want := x.slotVals(uint32(last))[0], uint8(last*31); got != want {
		t.Fatalf("the last slot's first value is %d, want %d", got, want)
	}
}

// The same for the story records.
func TestGrowingTheStoryArrayMovesNoFullChunk(t *testing.T) {
	m := newMemory()
	put := func(i int) {
		m.put(uint64(i+1)*0x9e3779b97f4a7c15, seen{id: "odd-id", first: int64(i), last: int64(i)})
	}
	const first = chunkRows
	for i := range first {
		put(i)
	}
	r0 := m.rec(0)
	for i := first; i < 3*first+10; i++ {
		put(i)
	}
	if m.rec(0) != r0 {
		t.Fatalf("growing from %d to %d stories moved slot 0's record", first, 3*first+10)
	}
	if got := m.rec(uint32(3*first + 9)).first; got != int64(3*first+9) {
		t.Fatalf("the last record's first seen is %d, want %d", got, 3*first+9)
	}
}
