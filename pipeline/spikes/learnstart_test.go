package spikes

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// noisyPortHours plays hours of ordinary news in which four to eight stories a bucket
// (six on average), from six publishers, carry the keyword "port"; with burstAt >= 0 the
// bucket burstAt buckets in holds thirty: five times the ordinary rate. It returns the
// port firings.
func noisyPortHours(f *feed, hours, burstAt int, rng *rand.Rand) []*record.Alert {
	return portHours(f, hours, func() int { return 4 + rng.IntN(5) }, burstAt, 30, rng)
}

// A baseline that starts learning — at the detector's start, or when its term is taken off
// the ignore list — began from zero, and every bucket of its first days was compared with
// that zero-started mean: the jump from nothing to the term's ordinary rate was learned as
// variance, a standard deviation about the rate itself, halving only over days. Right after
// the warm-up a burst of five times the ordinary rate scored under the threshold (z ≈ 3.7)
// and did not fire. The variance is now the weighted variance of the buckets counted, so
// a term learned for an hour is judged by the spread it showed in that hour.
func TestABurstRightAfterALearningStartFires(t *testing.T) {
	for _, start := range []string{"fresh detector", "taken off the ignore list"} {
		cfg := DefaultConfig()
		rng := rand.New(rand.NewPCG(37, 2))
		f := newFeed(cfg)
		f.d.TrackChanges(true)
		if start == "taken off the ignore list" {
			cfg.Ignore = []string{"port"}
			f.d = restartWith(t, f, cfg)
			noisyPortHours(f, 3, -1, rng)
			cfg.Ignore = nil
			f.d = restartWith(t, f, cfg)
		}
		if as := noisyPortHours(f, 1, -1, rng); len(as) != 0 { // the warm-up
			t.Fatalf("%s: ordinary port stories alerted in the warm-up: %v", start, said(as))
		}
		if as := noisyPortHours(f, 1, 1, rng); len(as) != 1 {
			t.Errorf("%s: five times the ordinary port stories right after the warm-up: alerts %v, want one firing", start, said(as))
		}
		if as := noisyPortHours(f, 6, -1, rng); len(as) != 0 {
			t.Errorf("%s: ordinary port stories after the burst alerted: %v", start, said(as))
		}
	}
}
