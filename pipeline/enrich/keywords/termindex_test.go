package keywords

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTermIndexFindsWhatAMapFinds drives the term index and a map side by
// side over stories of every size a set meets (a headline's few terms, an
// article's thousands, the growths between), the set reused as the pool
// reuses it: every key added is found at its number, every other key is
// not, and a reset leaves nothing found.
func TestTermIndexFindsWhatAMapFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 7))
	var x termIndex
	for story, size := range []int{3, 40, 1, 5000, 12, 700, 0, 2600, 9} {
		var terms []term
		want := map[string]int{}
		for range size {
			// a vocabulary small enough that keys repeat
			key := fmt.Sprintf("w%d", rng.IntN(2*size+1))
			if rng.IntN(4) == 0 {
				key += " " + fmt.Sprintf("w%d", rng.IntN(50))
			}
			h := termHash(key)
			i, ok := x.find(terms, key, h)
			j, wantOK := want[key]
			if ok != wantOK || ok && i != j {
				t.Fatalf("story %d: find(%q) = %d, %v; the map has %d, %v", story, key, i, ok, j, wantOK)
			}
			if !ok {
				want[key] = len(terms)
				x.insert(h, len(terms))
				terms = append(terms, term{text: key})
			}
		}
		for key, j := range want {
			if i, ok := x.find(terms, key, termHash(key)); !ok || i != j {
				t.Fatalf("story %d: %q at %d, %v; added at %d", story, key, i, ok, j)
			}
		}
		for _, miss := range []string{"", "w-1", "absent", "w1 w1 w1"} {
			if _, added := want[miss]; added {
				continue
			}
			if _, ok := x.find(terms, miss, termHash(miss)); ok {
				t.Fatalf("story %d: %q found, never added", story, miss)
			}
		}
		x.reset()
		for key := range want {
			if _, ok := x.find(terms, key, termHash(key)); ok {
				t.Fatalf("story %d: %q found after reset", story, key)
			}
		}
		for i, s := range x.slots {
			if s != 0 {
				t.Fatalf("story %d: slot %d still holds %x after reset", story, i, s)
			}
		}
	}
}

// TestTermIndexOfAReleasedSetIsEmpty: a set back from the pool finds none
// of the last story's terms (release resets the index with the terms).
func TestTermIndexOfAReleasedSetIsEmpty(t *testing.T) {
	ts := newTermSet()
	ts.add("alpha", 1, false)
	ts.addPair("alpha", "beta", 1, true)
	if _, ok := ts.find("alpha beta"); !ok {
		t.Fatal("the pair added is not found")
	}
	ts.release()
	ts = newTermSet()
	defer ts.release()
	for _, k := range []string{"alpha", "alpha beta"} {
		if _, ok := ts.find(k); ok {
			t.Fatalf("%q found in a released set", k)
		}
	}
}
