package dedupe

import (
	"math/rand/v2"
	"testing"
)

// maxSpareRows is the most rows the near index's slot arrays may hold
// memory for past their slots: the last chunk is allocated whole up to the
// arrays' room, so this is what a chunk's size costs. At 64 Ki rows a
// chunk the spare rows at a million stories were 3.3 % of the arrays
// (≈ 3.7 B a story: BENCHMARKS.md round 45, near45).
const maxSpareRows = 8192

// The slot arrays of 100,000 indexed stories (room, as at every size,
// for an eighth more before the band tables are rebuilt) keep memory for
// at most maxSpareRows rows past their slots.
func TestNearSlotArraysSpareAtMostAChunkOfRows(t *testing.T) {
	x := newIndex(64, 32)
	r := rand.New(rand.NewPCG(45, 1))
	const n = 100_000
	for i := range n {
		x.add(uint64(i+1), int64(i), randomSig(r, x.k), false)
	}
	for _, a := range []struct {
		name      string
		allocated int
	}{
		{"values", x.vals.allocated()},
		{"check bytes", x.chk.allocated()},
		{"keys", x.keys.allocated()},
		{"story times", x.first.allocated()},
	} {
		if spare := a.allocated - x.slots(); spare > maxSpareRows {
			t.Errorf("%s: memory for %d rows past %d slots (room %d), want at most %d", a.name, spare, x.slots(), x.keys.cap(), maxSpareRows)
		}
	}
}
