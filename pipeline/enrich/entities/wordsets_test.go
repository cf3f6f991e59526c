package entities

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// baseSetsOf answers as baseSets does: for every word of the sets and for
// the words of news-like text.
func TestBaseSetsOfIsTheMap(t *testing.T) {
	for w, f := range baseSets {
		if baseSetsOf(w) != f {
			t.Fatalf("baseSetsOf(%q) = %b, map %b", w, baseSetsOf(w), f)
		}
	}
	m, r := newstext.New(6), rand.New(rand.NewPCG(6, 7))
	spared, n := 0, 0
	for range 100 {
		s := m.Story(r, 120)
		for _, tok := range tokens.Split(s.Title + " " + s.Body()) {
			if baseSetsOf(tok.Lower) != baseSets[tok.Lower] {
				t.Fatalf("baseSetsOf(%q) = %b, map %b", tok.Lower, baseSetsOf(tok.Lower), baseSets[tok.Lower])
			}
			n++
			if !baseSetShapes.MayHold(tok.Lower) {
				spared++
			}
		}
	}
	t.Logf("%d of %d words of news-like text answered without the map", spared, n)
}
