package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The baselines' text is appended to and never rewritten: a term
// removed, or renamed by a restore, leaves its bytes behind, and remove
// compacts once they pass half the array. Under churn — puts, renames,
// removes, evictions — the bytes the table counts as dead are exactly
// those no row names, and never more than half the text (or 4 KiB), so
// the text of a long run stays within twice what its rows hold.
func TestTheBaselinesTextHoldsAtMostHalfGarbageUnderChurn(t *testing.T) {
	rng := rand.New(rand.NewPCG(38, 2))
	tb := newBaselines()
	compactions := 0
	for step := range 60_000 {
		k := fmt.Sprint("term-", rng.IntN(3000))
		before := len(tb.text)
		switch r := rng.IntN(100); {
		case r < 60:
			name := k
			if rng.IntN(3) == 0 {
				name = fmt.Sprint("Name ", rng.IntN(3), " ", k) // a rename, when it was held
			}
			tb.put(&termState{key: k, name: name, hasFired: rng.IntN(4) == 0})
		case r < 99:
			tb.remove(k)
		default:
			tb.dropWhere(func(n int) bool { return n%3 == 0 })
		}
		if len(tb.text) < before {
			compactions++
		}
		live := 0
		for n := range tb.rows {
			live += tb.textSize(n)
		}
		if tb.dead != len(tb.text)-live {
			t.Fatalf("step %d: %d bytes counted dead, %d are (%d of text, %d named)", step, tb.dead, len(tb.text)-live, len(tb.text), live)
		}
		if tb.dead > max(len(tb.text)/2, 4096) {
			t.Fatalf("step %d: %d of %d bytes dead: not compacted", step, tb.dead, len(tb.text))
		}
	}
	if compactions < 10 {
		t.Fatalf("%d compactions: the churn did not exercise them", compactions)
	}
}
