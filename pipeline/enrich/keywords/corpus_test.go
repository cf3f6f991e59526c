package keywords

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/textorder"
)

// Each calls fn for every term with its stored count, in term order —
// two corpora that hold the same compare alike — and returns the
// globals: the tests' EachHeld, sorted (a snapshot needs no order). It copies the terms and counts
// under the lock as pairs and sorts and calls fn after: a copy of the map
// then a lookup of each sorted term cost as much again as the sort.
func (x *Extractor) Each(fn func(term string, stored float64) error) (CorpusGlobals, error) {
	c := x.c
	c.mu.RLock()
	terms := make([]textorder.Keyed[float64], 0, c.held)
	c.each(func(t string, j int32) { terms = append(terms, textorder.Make(t, c.slots[j].stored)) })
	g := CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
	c.mu.RUnlock()
	return g, eachSorted(terms, fn)
}

// eachSorted sorts terms by text and calls fn for each with its count:
// the tail both corpora's Each share.
func eachSorted(terms []textorder.Keyed[float64], fn func(term string, stored float64) error) error {
	textorder.Sort(terms)
	for _, t := range terms {
		if err := fn(t.Key, t.Val); err != nil {
			return err
		}
	}
	return nil
}

// corpusTerms is every term of c with its stored count, and the globals.
func corpusTerms(c *corpus) string {
	var b strings.Builder
	x := &Extractor{c: c}
	g, _ := x.Each(func(term string, stored float64) error {
		fmt.Fprintf(&b, "%s=%v\n", term, stored)
		return nil
	})
	fmt.Fprintf(&b, "%+v %d", g, c.held)
	return b.String()
}

// The slots a story's lookup found serve its learn only while no other
// document took or left a slot in between: a corpus that learns each
// document through the slots of a lookup made before the previous
// document's learn (as two stories picked at once may) holds exactly what
// one that looks every term up holds — counts, pruned terms, the globals
// and its change record — over news-like documents with a window small
// enough to prune every 25 documents.
func TestLearnThroughSlotsIsAddByTerm(t *testing.T) {
	m, r := newstext.New(30), rand.New(rand.NewPCG(30, 1))
	var docs [][]string
	for range 600 {
		s := m.Story(r, 40)
		var terms []string
		for _, w := range strings.Fields(strings.ToLower(s.Title + " " + s.Body())) {
			w = strings.Trim(w, ".,;:\"'")
			if w != "" && !slices.Contains(terms, w) {
				terms = append(terms, w)
			}
		}
		docs = append(docs, terms)
	}
	byTerm, bySlot := newCorpus(100, 3000), newCorpus(100, 3000)
	byTerm.track, bySlot.track = true, true
	stale, trusted := 0, 0
	type looked struct {
		slots []int32
		gen   uint64
	}
	var pending *looked
	for i, d := range docs {
		byTerm.add(d)
		// every third document is looked up before the one before it
		// learns: its slots are stale
		l := &looked{slots: make([]int32, len(d))}
		l.gen = bySlot.lookup(d, make([]float64, len(d)), l.slots)
		if i%3 == 1 {
			pending = l
			continue
		}
		if pending != nil {
			bySlot.learn(docs[i-1], pending.slots, pending.gen)
			pending = nil
		}
		if l.gen == bySlot.gen {
			trusted++
		} else {
			stale++ // looked up before the document before it learned
		}
		bySlot.learn(d, l.slots, l.gen)
		if i%50 == 0 {
			changes := func(c *corpus) string {
				var b strings.Builder
				(&Extractor{c: c}).Changes(func(term string, stored float64, ok bool) {
					fmt.Fprintf(&b, "%s=%v/%t ", term, stored, ok)
				})
				return b.String()
			}
			if a, b := changes(byTerm), changes(bySlot); a != b {
				t.Fatalf("document %d: the change records differ:\n by term %.300s\n by slot %.300s", i, a, b)
			}
		}
	}
	if a, b := corpusTerms(byTerm), corpusTerms(bySlot); a != b {
		t.Fatalf("the corpora differ:\n by term %.500s\n by slot %.500s", a, b)
	}
	if trusted < 150 || stale < 100 {
		t.Fatalf("%d documents learned through trusted slots, %d after a stale lookup: the test tests too little", trusted, stale)
	}

	// Stale slots are not trusted: a lookup, then another document's
	// learn that takes and (by pruning) leaves slots, then the first
	// learn.
	a, b := newCorpus(10, 50000), newCorpus(10, 50000)
	first, second := []string{"alpha", "beta", "gamma"}, []string{"delta", "beta", "epsilon"}
	slots := make([]int32, len(first))
	gen := b.lookup(first, make([]float64, len(first)), slots)
	b.add(second)
	b.learn(first, slots, gen)
	a.add(second)
	a.add(first)
	if x, y := corpusTerms(a), corpusTerms(b); x != y {
		t.Fatalf("stale slots were used:\n%s\n%s", x, y)
	}
}

// The corpus keeps its own copy of every term: a story's terms are
// slices of its lower-cased text (or of a story's scratch), and a key
// kept from one would hold the whole text in memory for as long as the
// term lives — and Go's map sets a string key again at every assignment,
// so each story that uses a term would hold its own text in the next.
func TestTheCorpusKeepsNoSliceOfAStorysText(t *testing.T) {
	x := New(1000, 8)
	m, r := newstext.New(30), rand.New(rand.NewPCG(30, 2))
	var texts []string
	for range 20 {
		s := m.Story(r, 200)
		// lower case already: the tokens' Lower are slices of these strings
		title, body := strings.ToLower(s.Title), strings.ToLower(s.Body())
		texts = append(texts, title, body)
		x.Extract(title, "", body, "en", nil)
	}
	x.c.mu.RLock()
	defer x.c.mu.RUnlock()
	n := 0
	x.c.each(func(key string, _ int32) {
		p := uintptr(unsafe.Pointer(unsafe.StringData(key)))
		for _, text := range texts {
			start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
			if p >= start && p < start+uintptr(len(text)) {
				t.Fatalf("the corpus's term %q is a slice of a story's text of %d bytes", key, len(text))
			}
		}
		n++
	})
	if n < 500 {
		t.Fatalf("the corpus holds %d terms: the test tests too little", n)
	}
}
