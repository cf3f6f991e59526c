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
	d := newDict()
	for n := range 300 {
		for _, k := range []int{0, 1, 5, 12, 13, 64, n - 1, n, n + 3} {
			if k < 0 {
				continue
			}
			v := make(vector, n)
			for i := range v {
				v[i] = term{d.intern(fmt.Sprintf("t%d", rng.IntN(1_000_000)*1000+i)), float64(rng.IntN(7)) / 3}
			}
			want := slices.Clone(v)
			sortTerms(want, d)
			strongest(v, k, d)
			kk := min(k, n)
			if !slices.Equal(v[:kk], want[:kk]) {
				t.Fatalf("n=%d k=%d: strongest gave %v, sorting %v", n, k, v[:kk], want[:kk])
			}
			rest := slices.Clone(v[kk:])
			sortTerms(rest, d)
			if !slices.Equal(rest, want[kk:]) {
				t.Fatalf("n=%d k=%d: the rest is not the other terms", n, k)
			}
		}
	}
}

func BenchmarkStrongest(b *testing.B) {
	for _, c := range []struct{ n, k int }{{164, 100}, {400, 64}} {
		rng := rand.New(rand.NewPCG(7, 8))
		d := newDict()
		v := make(vector, c.n)
		for i := range v {
			v[i] = term{d.intern(fmt.Sprintf("term%d", i)), rng.Float64()}
		}
		w := make(vector, c.n)
		b.Run(fmt.Sprintf("n=%d/k=%d/select", c.n, c.k), func(b *testing.B) {
			for b.Loop() {
				copy(w, v)
				strongest(w, c.k, d)
			}
		})
		b.Run(fmt.Sprintf("n=%d/k=%d/sort", c.n, c.k), func(b *testing.B) {
			for b.Loop() {
				copy(w, v)
				sortTerms(w, d)
			}
		})
	}
}

// TestSortTermsIsSortFunc holds the written-in quicksort to
// slices.SortFunc with d.cmp: random weights, many ties (broken by text),
// runs already in order or reversed, and a depth of zero (the fallback).
func TestSortTermsIsSortFunc(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	d := newDict()
	for n := range 400 {
		v := make(vector, n)
		for i := range v {
			w := rng.Float64()
			if n%3 == 0 {
				w = float64(rng.IntN(4)) // ties
			}
			v[i] = term{d.intern(fmt.Sprintf("t%d", rng.IntN(1_000_000)*1000+i)), w}
		}
		if n%5 == 0 {
			slices.SortFunc(v, d.cmp)
			if n%10 == 0 {
				slices.Reverse(v)
			}
		}
		want := slices.Clone(v)
		slices.SortFunc(want, d.cmp)
		for _, depth := range []int{-1, 0, 1} {
			got := slices.Clone(v)
			if depth < 0 {
				sortTerms(got, d)
			} else {
				quickTerms(got, d.terms, depth)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d depth=%d: %v, want %v", n, depth, got, want)
			}
		}
	}
}
