package dedupe

import (
	"fmt"
	"slices"
	"testing"
)

// rowOf is the w values chunkEdge tests store in row i.
func rowOf(i, w int) []uint32 {
	r := make([]uint32, w)
	for j := range r {
		r[j] = uint32(i*w + j + 1)
	}
	return r
}

// checkRows fails unless the array's rows are want's, row by row.
func checkRows(t *testing.T, a *chunked[uint32], want [][]uint32) {
	t.Helper()
	if a.len() != len(want) {
		t.Fatalf("%d rows, want %d", a.len(), len(want))
	}
	for i, w := range want {
		if got := a.row(i); !slices.Equal(got, w) {
			t.Fatalf("row %d (chunk %d, row %d in it) is %v, want %v", i, i>>chunkShift, i&chunkMask, got, w)
		}
	}
}

// The rows either side of a chunk boundary (8,191 | 8,192), an array of
// exactly n chunks (no empty chunk after it, every chunk whole) and an
// empty array.
func TestChunkedRowsAtChunkBoundaries(t *testing.T) {
	const w = 3
	var empty chunked[uint32] = newChunked[uint32](w)
	empty.truncate(0)
	empty.fit()
	if empty.len() != 0 || empty.allocated() != 0 || len(empty.c) != 0 {
		t.Fatalf("empty array: %d rows, %d allocated, %d chunks", empty.len(), empty.allocated(), len(empty.c))
	}
	for _, n := range []int{chunkRows - 1, chunkRows, chunkRows + 1, 2 * chunkRows, 3*chunkRows + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a := newChunked[uint32](w)
			var want [][]uint32
			for i := range n {
				if a.len() == a.cap() {
					a.setRoom(grownSlots(a.len()))
				}
				a.push(rowOf(i, w)...)
				want = append(want, rowOf(i, w))
			}
			checkRows(t, &a, want)
			if chunks := (n + chunkMask) >> chunkShift; len(a.c) != chunks {
				t.Fatalf("%d chunks for %d rows, want %d", len(a.c), n, chunks)
			}
			for i, c := range a.c[:len(a.c)-1] {
				if len(c) != chunkRows*w || cap(c) != chunkRows*w {
					t.Fatalf("chunk %d of %d: len %d cap %d, want %d whole", i, len(a.c), len(c), cap(c), chunkRows*w)
				}
			}
			a.fit()
			if a.allocated() > a.cap() || a.cap()-n > a.cap()/32 {
				t.Fatalf("fit: %d rows allocated, room %d, for %d rows", a.allocated(), a.cap(), n)
			}
		})
	}
}

// Compaction (move, then truncate) keeps the surviving rows in order
// across chunk boundaries, lets go of the chunks past them (no pointer
// left in the chunk list's spare capacity), and an array compacted to
// below one chunk grows again past several.
func TestChunkedCompactionAcrossChunksAndGrowthAfter(t *testing.T) {
	const w = 5
	a := newChunked[uint32](w)
	var all [][]uint32
	n := 3*chunkRows + 7
	a.setRoom(n)
	for i := range n {
		a.push(rowOf(i, w)...)
		all = append(all, rowOf(i, w))
	}
	compact := func(keep func(i int) bool) {
		var want [][]uint32
		wr := 0
		for r := range a.len() {
			if keep(r) {
				if wr != r {
					a.move(wr, r)
				}
				want = append(want, all[r])
				wr++
			}
		}
		a.truncate(wr)
		all = want
		checkRows(t, &a, all)
		keepChunks := (wr + chunkMask) >> chunkShift
		if len(a.c) != keepChunks {
			t.Fatalf("%d chunks for %d rows, want %d", len(a.c), wr, keepChunks)
		}
		for i, c := range a.c[len(a.c):cap(a.c)] {
			if c != nil {
				t.Fatalf("chunk %d past the %d kept is still held", len(a.c)+i, keepChunks)
			}
		}
	}
	// every third row: 8,192 → 2,731 (a row moves from chunk 1 to 0 at
	// row 8,192 and from chunk 3 to chunk 1).
	compact(func(i int) bool { return i%3 == 0 })
	compact(func(i int) bool { return i%40 != 1 }) // below one chunk, room cut
	if a.cap() >= chunkRows {
		t.Logf("room %d after compaction to %d rows", a.cap(), a.len())
	}
	for i := range 2*chunkRows + 3 {
		if a.len() == a.cap() {
			a.setRoom(grownSlots(a.len()))
		}
		a.push(rowOf(1_000_000+i, w)...)
		all = append(all, rowOf(1_000_000+i, w))
	}
	checkRows(t, &a, all)
	// exactly two chunks: the third must go, the second stay whole
	compact(func(i int) bool { return i < 2*chunkRows })
	if a.len() != 2*chunkRows || cap(a.c[1]) != chunkRows*w {
		t.Fatalf("%d rows, last chunk cap %d", a.len(), cap(a.c[1]))
	}
}

// The index's compaction keeps every field of a slot moved across a chunk
// boundary: key, story time, values, check bytes, pending bit.
func TestIndexCompactionAcrossChunksKeepsEveryField(t *testing.T) {
	x := newIndex(16, 8)
	x.bulk = true
	sig := make([]uint32, x.k)
	type slot struct {
		key       uint64
		first     int64
		vals, chk []uint8
		pending   bool
	}
	var before []slot
	n := 2*chunkRows + 100
	for i := range n {
		for j := range sig {
			sig[j] = uint32(mix64(uint64(i*31 + j)))
		}
		x.add(uint64(i+1), int64(i)*7, sig, i%5 == 0)
	}
	for s := range x.slots() {
		before = append(before, slot{x.key(uint32(s)), x.firstOf(uint32(s)),
			slices.Clone(x.slotVals(uint32(s))), slices.Clone(x.slotChk(uint32(s))), x.isPending(uint32(s))})
	}
	var want []slot
	for i, s := range before {
		if i%3 == 1 || i >= chunkRows-2 && i <= chunkRows+1 {
			want = append(want, s)
		} else {
			x.remove(s.key)
		}
	}
	x.compactSlots()
	if x.slots() != len(want) {
		t.Fatalf("%d slots after compaction, want %d", x.slots(), len(want))
	}
	for s, w := range want {
		got := slot{x.key(uint32(s)), x.firstOf(uint32(s)), x.slotVals(uint32(s)), x.slotChk(uint32(s)), x.isPending(uint32(s))}
		if got.key != w.key || got.first != w.first || !slices.Equal(got.vals, w.vals) || !slices.Equal(got.chk, w.chk) || got.pending != w.pending {
			t.Fatalf("slot %d after compaction: %+v, want %+v", s, got, w)
		}
		if g, ok := x.byKey.get(w.key); !ok || g != uint32(s) {
			t.Fatalf("key %d maps to slot %d (%v), want %d", w.key, g, ok, s)
		}
	}
	for _, a := range []int{len(x.keys.c), len(x.first.c), len(x.vals.c), len(x.chk.c)} {
		if chunks := (len(want) + chunkMask) >> chunkShift; a != chunks {
			t.Fatalf("%d chunks held for %d slots, want %d", a, len(want), chunks)
		}
	}
}

// The story records' compaction keeps every field of a record moved
// across a chunk boundary.
func TestStoryCompactionAcrossChunksKeepsEveryRecord(t *testing.T) {
	m := newMemory()
	n := 2*chunkRows + 50
	key := func(i int) uint64 { return uint64(i+1) * 0x9e3779b97f4a7c15 }
	for i := range n {
		id := "odd-" + fmt.Sprint(i)
		m.put(key(i), seen{id: id, feed: uint64(i) * 3, content: uint64(i) * 5, version: i % 7, first: int64(i) * 1e9, last: int64(i), guid: uint64(i) + 9, home: i%2 == 0})
	}
	want := map[uint64]seen{}
	for i := range n {
		if i%4 == 3 || i == chunkRows || i == chunkRows-1 {
			s, ok := m.story(key(i))
			if !ok {
				t.Fatalf("story %d not remembered", i)
			}
			want[key(i)] = s
		} else {
			m.del(key(i))
		}
	}
	m.compactStories()
	if m.stories.len() != len(want) {
		t.Fatalf("%d records after compaction, want %d", m.stories.len(), len(want))
	}
	for k, w := range want {
		got, ok := m.story(k)
		if !ok || got != w {
			t.Fatalf("story %x after compaction: %+v, want %+v", k, got, w)
		}
	}
	if chunks := (len(want) + chunkMask) >> chunkShift; len(m.stories.c) != chunks {
		t.Fatalf("%d chunks held for %d records, want %d", len(m.stories.c), len(want), chunks)
	}
}
