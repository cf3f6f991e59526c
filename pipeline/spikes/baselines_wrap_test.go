package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// Removing from the baselines' index shifts back the run after the
// emptied cell; a run that crosses the index's end (cells 252..255, then
// 0..2) is where a cyclic "is its home between" test goes wrong. Keys
// all homed there, put and removed at random in a 256-cell index: after
// every step each key is found exactly when it is held, and no held key
// lies past an empty cell from its home.
func TestRemovingFromARunThatWrapsPastTheIndexEndKeepsEveryKeyFound(t *testing.T) {
	const cells = 256 // newBaselines' first index; 60 keys never grow it
	homes := map[int]bool{252: true, 253: true, 254: true, 255: true, 0: true, 1: true, 2: true}
	var keys []string
	for i := 0; len(keys) < 60; i++ {
		if k := fmt.Sprint("w", i); homes[int(xxhash.Sum64String(k))&(cells-1)] {
			keys = append(keys, k)
		}
	}
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 38))
		tb := newBaselines()
		held := map[string]bool{}
		for step := range 1000 {
			k := keys[rng.IntN(len(keys))]
			if rng.IntN(2) == 0 {
				tb.put(&termState{key: k, name: k, mean: float64(step)})
				held[k] = true
			} else {
				tb.remove(k)
				delete(held, k)
			}
			if len(tb.index) > cells {
				t.Fatalf("the index grew to %d cells: the test no longer wraps", len(tb.index))
			}
			for c, v := range tb.index {
				if v == 0 {
					continue
				}
				home := int(xxhash.Sum64String(tb.key(tb.cellRow(v)))) & (len(tb.index) - 1)
				for i := home; i != c; i = (i + 1) & (len(tb.index) - 1) {
					if tb.index[i] == 0 {
						t.Fatalf("seed %d step %d: %q in cell %d lies past empty cell %d from its home %d", seed, step, tb.key(tb.cellRow(v)), c, i, home)
					}
				}
			}
			for _, k := range keys {
				if tb.has(k) != held[k] {
					t.Fatalf("seed %d step %d: has(%q) = %v, want %v", seed, step, k, tb.has(k), held[k])
				}
			}
		}
	}
}
