package entities

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// TestRunLongestAnswersAsLongest: chunk's memory of its last longest()
// answer (runLongest) answers every run as x.longest does: the runs of one
// to five words from every word of real articles, each right after the same
// run (as chunk asks again) or another from the same word, some as a copy of
// their words (dropMiddleInitials' kind), the words noted in the shared word
// table (enrichment's path) and not.
func TestRunLongestAnswersAsLongest(t *testing.T) {
	x := newX(t)
	docs := shareddata.WikiRef(t)
	rng := rand.New(rand.NewSource(38))
	asked, known := 0, 0
	for i, d := range docs[:40] {
		f := tokens.NewField(d.Text)
		if i%2 == 0 {
			wordtable.Note(f.Tokens)
		}
		var sports footballStory
		w, _ := x.readWords(f, &sports, nil) // recognition's copy, with its facts
		ts := w.ts
		var r runLongest
		for a := range ts {
			// the runs from one word, longest first and then in random
			// order, each right after another from the same word
			lens := rng.Perm(min(5, len(ts)-a))
			for _, l := range append([]int{len(lens) - 1}, lens...) {
				c := ts[a : a+l+1]
				if rng.Intn(8) == 0 {
					c = slices.Clone(c)
				}
				e, n := r.of(x, c, false)
				we, wn := x.longest(c, false)
				if e != we || n != wn {
					t.Fatalf("run %q: remembered (%v, %d), longest (%v, %d)", joinText(c), e, n, we, wn)
				}
				asked++
				if n > 0 {
					known++
				}
			}
		}
	}
	if known == 0 || asked < 10000 {
		t.Fatalf("asked %d runs, %d known: the data did not reach the gazetteer", asked, known)
	}
}
