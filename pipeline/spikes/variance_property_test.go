package spikes

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// weightedMoments is the bias-corrected EWMA's mean and variance computed
// directly: bucket j of xs (the last the newest) weighs α·β^(len-1-j),
// and both are normalised by the weights' sum.
func weightedMoments(alpha float64, xs []float64) (mean, variance float64) {
	var w, sum, sq float64
	for j, x := range xs {
		wj := alpha * math.Pow(1-alpha, float64(len(xs)-1-j))
		w, sum, sq = w+wj, sum+wj*x, sq+wj*x*x
	}
	if w == 0 {
		return 0, 0
	}
	mean = sum / w
	return mean, sq/w - mean*mean
}

// The baseline against a direct computation over random bucket series, as
// close drives it: several terms closed in turn (weight's memo shared
// between them), each counted from its own bucket (a learning start),
// absent for runs of buckets of random length (catchUp's closed form,
// both its paths: β^k above and below 1e-3), with bursts.
func TestTheBaselineMatchesADirectComputationOverRandomBucketSeries(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 37))
		cfg := DefaultConfig()
		cfg.BaselineHalfLife = time.Duration(1+rng.IntN(48)) * cfg.Bucket // α from 0.014 to 0.5
		d := New(cfg, nil)
		type term struct {
			ts      *termState
			from    int64
			xs      []float64 // every bucket from `from` on, zeros included
			present float64   // chance it is counted in a bucket
		}
		terms := make([]*term, 6)
		for n := range terms {
			from := int64(rng.IntN(40))
			terms[n] = &term{ts: &termState{updated: from - 1}, from: from, present: []float64{0.05, 0.3, 0.9, 1}[rng.IntN(4)]}
		}
		for i := int64(0); i < 800; i++ {
			for n, tm := range terms {
				if i < tm.from {
					continue
				}
				x := 0.0
				if rng.Float64() < tm.present {
					x = float64(1 + rng.IntN(8))
					if rng.IntN(30) == 0 {
						x *= 20 // a burst
					}
				}
				if x == 0 {
					tm.xs = append(tm.xs, 0) // not in the bucket: catchUp folds it later
					continue
				}
				d.catchUp(tm.ts, i-1, tm.from)
				mean, variance := weightedMoments(d.alpha, tm.xs)
				m, v := d.baseline(tm.ts, i, tm.from)
				scale := 1 + mean*mean + variance
				if math.Abs(m-mean) > 1e-9*(1+mean) || math.Abs(v-variance) > 1e-9*scale {
					t.Fatalf("seed %d, α %.4f, term %d from %d, before bucket %d (%d counted): baseline %.9f ± %.9f, direct %.9f ± %.9f",
						seed, d.alpha, n, tm.from, i, len(tm.xs), m, v, mean, variance)
				}
				d.fold(tm.ts, x, i-tm.from+1)
				tm.ts.updated = i
				tm.xs = append(tm.xs, x)
			}
		}
	}
}
