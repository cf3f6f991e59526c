package spikes

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// portDay plays hours of ordinary news in which six stories a bucket, from six publishers,
// carry the keyword "port": an ordinary rate, past min_stories and min_publishers, no burst.
// With burstAt >= 0, the bucket burstAt buckets in holds sixty such stories instead. It
// returns the port firings.
func portDay(f *feed, hours, burstAt int, rng *rand.Rand) []*record.Alert {
	pubs := []string{"Reuters", "AP", "BBC", "Guardian", "NYT", "DW"}
	for b := range hours * 12 {
		n := 6
		if b == burstAt {
			n = 60
		}
		for i := range n {
			f.add(f.story(pubs[i%len(pubs)], "port"))
		}
		f.observe(pubs[rng.IntN(len(pubs))], "economy")
		f.tick()
	}
	return takeFirings(f, "port")
}

// A term on the ignore list is not counted, so its baseline learns nothing while it is
// there. Taken off the list by a config edit, it was judged from the restart on against that
// empty baseline: an ordinary hour of it fired at once. The detector's choice: such a term
// learns its baseline from the restart on and fires no sooner than warmup after it, as a
// word added to the watch list does (counting ignored terms instead would spend the bucket
// cap on what the operator asked not to count). On the same ordinary news, no alert; on a
// burst after the warm-up, one. A restart in the middle of the learning carries it on.
func TestATermTakenOffTheIgnoreListLearnsItsBaselineBeforeItFires(t *testing.T) {
	for _, restartMidway := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Ignore = []string{"Port"} // either case
		f := newFeed(cfg)
		f.d.TrackChanges(true)
		rng := rand.New(rand.NewPCG(36, 1))
		if as := portDay(f, 3, -1, rng); len(as) != 0 {
			t.Fatalf("ignored, port alerted: %v", said(as))
		}
		cfg.Ignore = nil
		f.d = restartWith(t, f, cfg)
		as := portDay(f, 1, 4, rng) // within the warm-up: not judged yet
		if restartMidway {
			f.d = restartWith(t, f, cfg)
		}
		as = append(as, portDay(f, 2, -1, rng)...)
		if len(as) != 0 {
			t.Errorf("restart midway %v: taken off the ignore list, the ordinary port stories alerted: %v", restartMidway, said(as))
		}
		if as := portDay(f, 1, 6, rng); len(as) != 1 {
			t.Errorf("restart midway %v: a burst of port after the warm-up: alerts %v, want one firing", restartMidway, said(as))
		}
	}
}
