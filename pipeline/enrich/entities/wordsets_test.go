package entities

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// wordSetsOf answers as wordSets does: for every word of the sets and for
// the words of news-like text.
func TestWordSetsOfIsTheMap(t *testing.T) {
	for w, f := range wordSets {
		if wordSetsOf(w) != f {
			t.Fatalf("wordSetsOf(%q) = %b, map %b", w, wordSetsOf(w), f)
		}
	}
	m, r := newstext.New(6), rand.New(rand.NewPCG(6, 7))
	spared, n := 0, 0
	for range 100 {
		s := m.Story(r, 120)
		for _, tok := range tokens.Split(s.Title + " " + s.Body()) {
			if wordSetsOf(tok.Lower) != wordSets[tok.Lower] {
				t.Fatalf("wordSetsOf(%q) = %b, map %b", tok.Lower, wordSetsOf(tok.Lower), wordSets[tok.Lower])
			}
			n++
			if !wordSetShapes.MayHold(tok.Lower) {
				spared++
			}
		}
	}
	t.Logf("%d of %d words of news-like text answered without the map", spared, n)
}
