package events

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStrongestIsSortAndTruncate holds strongest against sorting the whole
// vector, on sizes around the cut and weights with many ties (broken by key).
func TestStrongestIsSortAndTruncate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := range 300 {
		for _, k := range []int{0, 1, 5, 12, 13, 64, n - 1, n, n + 3} {
			if k < 0 {
				continue
			}
			v := make(vector, n)
			for i := range v {
				v[i] = term{fmt.Sprintf("t%d", rng.IntN(1_000_000)*1000+i), float64(rng.IntN(7)) / 3}
			}
			want := slices.Clone(v)
			sortTerms(want)
			strongest(v, k)
			kk := min(k, n)
			if !slices.Equal(v[:kk], want[:kk]) {
				t.Fatalf("n=%d k=%d: strongest gave %v, sorting %v", n, k, v[:kk], want[:kk])
			}
			rest := slices.Clone(v[kk:])
			sortTerms(rest)
			if !slices.Equal(rest, want[kk:]) {
				t.Fatalf("n=%d k=%d: the rest is not the other terms", n, k)
			}
		}
	}
}
