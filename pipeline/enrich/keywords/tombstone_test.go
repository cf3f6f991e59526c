package keywords

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// A term whose count changed in a batch and that the batch's prune drops
// is one tombstone: prune recorded it and drop, taking the changed mark,
// recorded it again. Changes merges the two (one entry reaches the log),
// so the second was only redundant — but gone held every such term
// twice until the next Changes.
func TestAPrunedChangedTermIsRecordedGoneOnce(t *testing.T) {
	x := New(8, 5)
	x.TrackChanges(true)
	c := x.c
	c.add([]string{"rare"})
	// the window's quarter (2 documents) prunes: "rare" was changed in
	// this batch and falls below the bar by the next prunes
	for i := 0; i < 8; i++ {
		c.add([]string{fmt.Sprintf("w%d", i)})
	}
	seen := map[string]int{}
	for _, g := range c.gone {
		seen[g]++
	}
	if seen["rare"] != 1 {
		t.Fatalf("gone holds %q %d times, want once (gone %q)", "rare", seen["rare"], c.gone)
	}
	n := 0
	x.Changes(func(term string, _ float64, ok bool) {
		if term == "rare" {
			n++
			if ok {
				t.Fatalf("%q listed as held after its prune", term)
			}
		}
	})
	if n != 1 {
		t.Fatalf("Changes listed %q %d times, want once", "rare", n)
	}
}

// What the log replays is what memory holds, over batches of learning
// with prunes (terms dropped, learned again, dropped again between and
// within batches) and restarts from the log in between: no tombstone, one
// batch's or a later one's, deletes a term the corpus holds again.
func TestTheLogReplaysTheCorpusThroughPrunesAndRestarts(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		type entry struct {
			term   string
			stored float64
			ok     bool
		}
		var log []entry
		var globals CorpusGlobals
		x := New(8, 5)
		x.c.maxTerms = 12
		x.TrackChanges(true)
		replay := func() *Extractor {
			y := New(8, 5)
			y.c.maxTerms = 12
			y.TrackChanges(true) // as state.Open does, before the restore
			for _, e := range log {
				y.LoadTerm(e.term, e.stored, e.ok)
			}
			y.LoadGlobals(globals)
			return y
		}
		for batch := 0; batch < 60; batch++ {
			for d := r.IntN(4); d >= 0; d-- {
				seen := map[string]bool{}
				var terms []string
				for k := 1 + r.IntN(4); k > 0; k-- {
					w := fmt.Sprintf("t%d", r.IntN(25))
					if !seen[w] {
						seen[w] = true
						terms = append(terms, w)
					}
				}
				x.c.add(terms)
			}
			globals = x.Changes(func(term string, stored float64, ok bool) {
				log = append(log, entry{term, stored, ok})
			})
			if r.IntN(6) == 0 {
				x = replay() // a restart
			}
		}
		want, got := listEach(x.Each), listEach(replay().Each)
		if got != want {
			t.Fatalf("seed %d: the log replays\n%s\nmemory holds\n%s", seed, got, want)
		}
	}
}
