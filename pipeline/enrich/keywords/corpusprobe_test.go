package keywords

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// A removal (linear probing's backward shift, no tombstones) keeps every
// other term of its probe chain reachable, also where a chain wraps past
// the index's last cell: terms are picked to share a few home cells at
// both ends of the index, inserted, then removed in random order, and
// after each removal every held term is found in its own slot and every
// removed one is not.
func TestRemovalKeepsEveryProbeChainReachable(t *testing.T) {
	c := newCorpus(1<<20, 1<<20)
	mask := len(c.index) - 1
	homes := map[int]int{mask - 2: 0, mask - 1: 0, mask: 0, 0: 0, 1: 0}
	var terms []string
	for i := 0; len(terms) < 60; i++ {
		w := fmt.Sprintf("t%d", i)
		if h := c.home(w); homes[h] < 12 {
			if _, ok := homes[h]; ok {
				homes[h]++
				terms = append(terms, w)
			}
		}
	}
	for seed := range uint64(20) {
		c := newCorpus(1<<20, 1<<20)
		r := rand.New(rand.NewPCG(seed, 7))
		order := r.Perm(len(terms))
		held := map[string]int32{}
		for _, k := range order {
			held[terms[k]] = c.insert(terms[k])
		}
		if len(c.index) != mask+1 {
			t.Fatalf("the index grew to %d cells: the chains are not the ones built", len(c.index))
		}
		for _, k := range r.Perm(len(terms)) {
			w := terms[k]
			c.remove(c.find(w))
			delete(held, w)
			if j := c.find(w); j != noSlot {
				t.Fatalf("seed %d: %q found in slot %d after its removal", seed, w, j)
			}
			for h, j := range held {
				if got := c.find(h); got != j {
					t.Fatalf("seed %d: after removing %q, %q is found in slot %d, held in %d", seed, w, h, got, j)
				}
			}
			// a removed term taken again goes back into a reachable cell
			if r.IntN(4) == 0 {
				held[w] = c.insert(w)
				if got := c.find(w); got != held[w] {
					t.Fatalf("seed %d: %q inserted again into slot %d, found in %d", seed, w, held[w], got)
				}
				c.remove(held[w])
				delete(held, w)
			}
		}
		if c.held != 0 {
			t.Fatalf("seed %d: %d terms held after every removal", seed, c.held)
		}
	}
}

// Compacting the terms' bytes moves every held term's offset and leaves
// the strings handed out before it as they were: terms are inserted and
// removed until text has been compacted several times, and every held
// term is found with its own bytes, every term handed out earlier reads
// as it did.
func TestCompactionKeepsTermsAndHandedOutStrings(t *testing.T) {
	c := newCorpus(1<<20, 1<<20)
	r := rand.New(rand.NewPCG(3, 9))
	held := map[string]int32{}
	var handed []string
	var want []string
	compactions := 0
	for i := range 40000 {
		w := fmt.Sprintf("term-%d-%s", i, string(rune('a'+i%26)))
		held[w] = c.insert(w)
		if i%97 == 0 {
			handed = append(handed, c.term(held[w]))
			want = append(want, w)
		}
		if len(held) > 500 {
			for h, j := range held { // map order: a random one
				if r.IntN(2) == 0 {
					before := cap(c.text)
					c.remove(j)
					delete(held, h)
					if c.garbage == 0 && cap(c.text) != before {
						compactions++
					}
					break
				}
			}
		}
	}
	if compactions < 3 {
		t.Fatalf("text compacted %d times: the test tests too little", compactions)
	}
	for h, j := range held {
		if got := c.find(h); got != j || c.term(j) != h {
			t.Fatalf("%q held in slot %d: found in %d, reads %q", h, j, got, c.term(j))
		}
	}
	for i, s := range handed {
		if s != want[i] {
			t.Fatalf("a term handed out as %q reads %q after compaction", want[i], s)
		}
	}
	if c.held != len(held) {
		t.Fatalf("%d terms held, %d counted", len(held), c.held)
	}
}
