package dedupe

import (
	"math/rand/v2"
	"testing"
)

// equalBytes counts eight bytes at a time with a carry-free zero-byte test;
// it must agree with counting one byte at a time for every byte pair,
// including the ones where a carry would leak into the next byte (0x00
// against 0x80, 0x7f against 0xff).
func TestEqualBytesCountsLikeAByteLoop(t *testing.T) {
	edges := []uint8{0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff}
	r := rand.New(rand.NewPCG(3, 9))
	for n := 0; n <= 80; n++ {
		for trial := 0; trial < 200; trial++ {
			a, b := make([]uint8, n), make([]uint8, n)
			for i := range a {
				a[i] = edges[r.IntN(len(edges))]
				switch r.IntN(3) {
				case 0:
					b[i] = a[i]
				case 1:
					b[i] = edges[r.IntN(len(edges))]
				default:
					b[i] = uint8(r.Uint32())
				}
			}
			want := 0
			for i := range a {
				if a[i] == b[i] {
					want++
				}
			}
			if got := equalBytes(a, b); got != want {
				t.Fatalf("equalBytes(%x, %x) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// A restore never holds more live signatures than its size hint says, but
// the slots its tombstones free are dead until compacted: reserved for
// exactly the hint, the arrays would fill with a few dead slots (under
// addStored's 1/256) and grow by a quarter. The reserve leaves room enough
// that a full array is always worth compacting.
func TestARestoreWithinItsHintNeverGrowsTheIndexArrays(t *testing.T) {
	cfg := DefaultConfig()
	r := rand.New(rand.NewPCG(7, 7))
	x := newIndex(cfg.MinHashes, cfg.Bands)
	x.bulk = true
	const n = 4096 // every array an exact size class: no room by rounding
	x.reserve(n)
	caps := func() [5]int { return [5]int{x.keys.cap(), x.first.cap(), x.vals.cap(), x.chk.cap(), cap(x.pending)} }
	reserved := caps()
	for i := 0; i < n; i++ {
		x.add(uint64(i+1), int64(i), randomSig(r, cfg.MinHashes), false)
	}
	for i := 0; i < n; i++ { // a tombstone, then a new signature: never more than n live
		x.remove(uint64(i + 1))
		x.add(uint64(n+i+1), int64(n+i), randomSig(r, cfg.MinHashes), false)
		if got := caps(); got != reserved {
			t.Fatalf("after %d replaced: capacities %v, reserved %v", i+1, got, reserved)
		}
	}
	if x.Len() != n {
		t.Fatalf("%d live, want %d", x.Len(), n)
	}
	x.build()
	for i := n; i < 2*n; i++ {
		if !x.has(uint64(i + 1)) {
			t.Fatalf("signature %d lost", i+1)
		}
	}
}

// A query's mark per slot is scratch sized for the slots the arrays have
// room for: a new story's query and insert, story after story, remake it
// only when the arrays grow, not every 64 stories (at a million slots
// that was 128 KB of garbage every 64 new stories).
func TestAQueryRemakesItsMarksOnlyWhenTheArraysGrow(t *testing.T) {
	x := newIndex(64, 32)
	r := rand.New(rand.NewPCG(29, 1))
	sig := func() []uint32 {
		s := make([]uint32, 64)
		for i := range s {
			s[i] = r.Uint32()
		}
		return s
	}
	remade, grown := 0, 0
	for i := 1; i <= 5000; i++ {
		s := sig()
		marks, keys := x.marked, x.keys.cap()
		x.query(s, 0, 0)
		x.add(uint64(i), int64(i), s, false)
		if len(marks) > 0 && len(x.marked) > 0 && &marks[0] != &x.marked[0] {
			remade++
		}
		if x.keys.cap() != keys {
			grown++
		}
	}
	if remade > grown {
		t.Fatalf("5,000 stories: the marks were remade %d times, the arrays grew %d times", remade, grown)
	}
}
