package keywords

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The flat corpus (round 39: one array of counts, one of the terms'
// bytes, an open-addressing index of slot numbers) decides as the map it
// replaced did: driven through the same random stream of documents —
// learned by term and through the slots of lookups, some stale —, terms
// loaded and deleted as a restore and a live load do, change records
// drained, with windows small enough to prune every few documents, a
// term cap that makes a prune raise its floor, and one window that
// renormalises the stored counts, every idf, change record, snapshot and
// count is the reference's (refCorpus, the corpus before round 39).
func TestTheFlatCorpusDecidesAsTheMapDid(t *testing.T) {
	for _, tc := range []struct {
		window, maxTerms, docs int
	}{
		{100, 3000, 3000},     // prunes every 25 documents
		{40, 400, 3000},       // the cap binds: a prune raises its floor
		{10, 50000, 4000},     // scale falls below 1e-150: renormalised
		{5000, 1 << 20, 1500}, // no prune: the table and text grow
	} {
		t.Run(fmt.Sprintf("window%d-cap%d", tc.window, tc.maxTerms), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.window), uint64(tc.maxTerms)))
			vocab := newsTerms(6000)
			vocab = append(vocab, "", strings.Repeat("x", MaxKeywordBytes))
			flat, ref := newCorpus(tc.window, tc.maxTerms), newRefCorpus(tc.window, tc.maxTerms)
			x := &Extractor{c: flat}
			flat.track, ref.track = true, true
			type looked struct {
				terms []string
				slots []int32
				gen   uint64
			}
			var pending []looked
			changes := 0
			for i := range tc.docs {
				// a document of distinct terms, common ones more often
				n := 1 + r.IntN(60)
				var doc []string
				seen := map[string]bool{}
				for range n {
					w := vocab[min(len(vocab)-1, int(r.ExpFloat64()*float64(len(vocab))/6))]
					if !seen[w] {
						seen[w] = true
						doc = append(doc, w)
					}
				}
				idfFlat, idfRef := make([]float64, len(doc)), make([]float64, len(doc))
				slots := make([]int32, len(doc))
				gen := flat.lookup(doc, idfFlat, slots)
				ref.lookup(doc, idfRef, nil)
				for k := range doc {
					if idfFlat[k] != idfRef[k] {
						t.Fatalf("document %d: idf of %q %v, the map's %v", i, doc[k], idfFlat[k], idfRef[k])
					}
				}
				switch r.IntN(10) {
				case 0: // learned later, after another document: its slots may be stale
					pending = append(pending, looked{doc, slots, gen})
					continue
				case 1: // a restore's or a live load's entries
					for range 1 + r.IntN(5) {
						w := vocab[r.IntN(len(vocab))]
						v, ok := r.Float64()*50, r.IntN(3) > 0
						x.LoadTerm(w, v, ok)
						ref.LoadTerm(w, v, ok)
					}
				}
				flat.learn(doc, slots, gen)
				ref.add(doc)
				for _, p := range pending {
					flat.learn(p.terms, p.slots, p.gen)
					ref.add(p.terms)
				}
				pending = pending[:0]
				if r.IntN(8) == 0 {
					a, b := listChanges(x.Changes), listChanges(ref.Changes)
					if a != b {
						t.Fatalf("document %d: change records differ:\n flat %.400s\n map  %.400s", i, a, b)
					}
					changes++
				}
				if i%500 == 499 {
					if a, b := listEach(x.Each), listEach(ref.Each); a != b {
						t.Fatalf("document %d: snapshots differ:\n flat %.400s\n map  %.400s", i, a, b)
					}
				}
				nf, df := flat.size()
				nr, dr := ref.size()
				if nf != nr || df != dr {
					t.Fatalf("document %d: %d terms, %v documents; the map %d, %v", i, nf, df, nr, dr)
				}
			}
			if n, _ := ref.size(); n < 150 || changes < 100 {
				t.Fatalf("%d terms held at the end, %d change records: the test tests too little", n, changes)
			}
		})
	}
}

func listChanges(changes func(func(string, float64, bool)) CorpusGlobals) string {
	var b strings.Builder
	g := changes(func(term string, stored float64, ok bool) {
		fmt.Fprintf(&b, "%q=%v/%t ", term, stored, ok)
	})
	fmt.Fprintf(&b, "%+v", g)
	return b.String()
}

func listEach(each func(func(string, float64) error) (CorpusGlobals, error)) string {
	var b strings.Builder
	g, _ := each(func(term string, stored float64) error {
		fmt.Fprintf(&b, "%q=%v ", term, stored)
		return nil
	})
	fmt.Fprintf(&b, "%+v", g)
	return b.String()
}
