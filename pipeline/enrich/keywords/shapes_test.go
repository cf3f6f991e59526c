package keywords

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// factsOf answers as the word table does: for every word it holds and
// for the words of news-like text as collect normalizes them.
func TestFactsOfIsTheWordTable(t *testing.T) {
	facts, known := wordTable(), wordShapes()
	for w, f := range facts {
		if factsOf(facts, known, w) != f {
			t.Fatalf("factsOf(%q) is not the table's", w)
		}
	}
	m, r := newstext.New(5), rand.New(rand.NewPCG(5, 6))
	spared, n := 0, 0
	for range 100 {
		s := m.Story(r, 120)
		for _, tok := range tokens.Split(s.Title + " " + s.Body()) {
			w := normalize(tok.Lower)
			if factsOf(facts, known, w) != facts[w] {
				t.Fatalf("factsOf(%q) = %+v, table %+v", w, factsOf(facts, known, w), facts[w])
			}
			n++
			if !known.MayHold(w) {
				spared++
			}
		}
	}
	t.Logf("%d of %d words of news-like text answered without the table", spared, n)
}
