package state

import (
	"math/rand/v2"
	"testing"
)

// Random sets and removes of hashes crowded into a few home slots, some
// at the table's end so probes wrap, match a map after every step: every
// hash held is found at its entry, every other finds an empty slot, and
// removing moves back what probed past the emptied slot.
func TestTheHashIndexMatchesAMapOverRandomSetsAndRemoves(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 1))
	var x hashIndex
	model := map[uint64]int{}
	// 3,000 hashes: homes in slots 0–7 and 1016–1023 of the first table,
	// and spread ones, so that the table grows past 1,024 slots too
	hashes := make([]uint64, 3000)
	for i := range hashes {
		switch i % 3 {
		case 0:
			hashes[i] = uint64(i)<<20 | uint64(r.IntN(8))
		case 1:
			hashes[i] = uint64(i)<<20 | uint64(1016+r.IntN(8))
		default:
			hashes[i] = r.Uint64()
		}
	}
	check := func(step int) {
		if x.len() != len(model) {
			t.Fatalf("step %d: %d hashes held, want %d", step, x.len(), len(model))
		}
		for _, h := range hashes {
			want, ok := model[h]
			if !ok {
				want = -1
			}
			if got := x.get(x.find(h)); got != want {
				t.Fatalf("step %d: hash %#x at entry %d, want %d", step, h, got, want)
			}
		}
	}
	for step := range 6000 {
		// first fill (sets outnumber removes), then empty
		h := hashes[r.IntN(len(hashes))]
		x.reserve()
		i := x.find(h)
		if step < 4000 && r.IntN(4) > 0 || step >= 4000 && r.IntN(4) == 0 {
			x.set(i, h, step)
			model[h] = step
		} else if x.get(i) >= 0 {
			x.remove(i)
			delete(model, h)
		}
		if step%97 == 0 || step > 5900 {
			check(step)
		}
	}
	check(6000)
}
