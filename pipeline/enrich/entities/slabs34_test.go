package entities

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// slabStory is a story of more than one aggregate slab (aggSlab):
// dozens of places, and people whose later surname-only mentions fold
// into a full name held in an earlier slab.
func slabStory(i int) string {
	places := []string{"London", "Paris", "Berlin", "Moscow", "Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Lisbon",
		"Dublin", "Athens", "Oslo", "Helsinki", "Stockholm", "Copenhagen", "Brussels", "Amsterdam", "Budapest", "Bucharest",
		"Sofia", "Kyiv", "Tokyo", "Beijing", "Seoul", "Delhi", "Cairo", "Nairobi", "Lagos", "Lima", "Ottawa", "Canberra"}
	var b strings.Builder
	fmt.Fprintf(&b, "Keir Starmer and Emmanuel Macron met envoys in %s. ", strings.Join(places[i%3:], ", "))
	b.WriteString("Starmer said the talks went well. Macron agreed. Starmer left on Friday.")
	return b.String()
}

// Resolve's aggregates, cut from shared slabs, belong to one call: the
// entities of stories resolved at once on many goroutines (parallel
// enrichment, each with Fresh) are those of one resolved alone, and an
// entity list handed out is not changed by the stories resolved after it.
func TestResolveSlabsAreOneStorys(t *testing.T) {
	x := newX(t)
	want := make([][]record.Entity, 3)
	for i := range want {
		want[i] = x.Fresh().Extract("Envoys meet", slabStory(i), "en")
		if len(want[i]) <= aggSlab {
			t.Fatalf("story %d: %d entities, want more than %d (past one slab)", i, len(want[i]), aggSlab)
		}
	}
	held := x.Fresh().Extract("Envoys meet", slabStory(0), "en")
	kept := slices.Clone(held)
	var wg sync.WaitGroup
	got := make([][]record.Entity, 24)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fx := x.Fresh()
			for range 5 {
				got[g] = fx.Extract("Envoys meet", slabStory(g), "en")
			}
		}()
	}
	wg.Wait()
	for g, es := range got {
		if !slices.Equal(es, want[g%3]) {
			t.Errorf("goroutine %d: %v, want %v", g, es, want[g%3])
		}
	}
	if !slices.Equal(held, kept) {
		t.Errorf("a handed-out list changed: %v, was %v", held, kept)
	}
	if e := keys(want[0])["person:keir_starmer"]; e.Mentions != 3 {
		t.Errorf("Keir Starmer: %d mentions, want his surname's two folded in (3)", e.Mentions)
	}
}
