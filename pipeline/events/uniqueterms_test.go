package events

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUniqueTermsIsEachRecordedTextOnce feeds uniqueTerms batches of
// records as Changes gets them — a text under an id, under an id freed
// and given to another text within the batch, under noTerm (forgotten),
// ids past the slots kept so far — and holds each batch's result to the
// texts recorded, sorted, each once, with an id one of its records had:
// the slots by id are reset between batches, so no batch sees the last.
func TestUniqueTermsIsEachRecordedTextOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(34, 5))
	var l changes
	for batch := range 300 {
		span := 1 + rng.IntN(2000) // ids grow and shrink between batches
		ids := map[string][]termID{}
		l.dfTerms = l.dfTerms[:0]
		for range rng.IntN(400) {
			text := fmt.Sprintf("w%d", rng.IntN(300))
			id := termID(rng.IntN(span))
			switch rng.IntN(10) {
			case 0:
				id = noTerm
			case 1, 2, 3, 4:
				// the text's id so far, if it has one: repeats by id
				if prev := ids[text]; len(prev) > 0 {
					id = prev[len(prev)-1]
				}
			}
			ids[text] = append(ids[text], id)
			l.dfTerms = append(l.dfTerms, dfTerm{text, id})
		}
		got := l.uniqueTerms()
		want := make([]string, 0, len(ids))
		for text := range ids {
			want = append(want, text)
		}
		slices.Sort(want)
		texts := make([]string, len(got))
		for i, g := range got {
			texts[i] = g.Key
			if !slices.Contains(ids[g.Key], g.Val) {
				t.Fatalf("batch %d: %q under id %d, recorded under %v", batch, g.Key, g.Val, ids[g.Key])
			}
		}
		if !slices.Equal(texts, want) {
			t.Fatalf("batch %d: %d texts %v, want %d %v", batch, len(texts), texts, len(want), want)
		}
		if i := slices.IndexFunc(l.seen, func(s int32) bool { return s != 0 }); i >= 0 {
			t.Fatalf("batch %d: slot of id %d left at %d", batch, i, l.seen[i])
		}
		l.uniq = reuse(got)
	}
}
