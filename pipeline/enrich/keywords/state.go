package keywords

import (
	"maps"
	"slices"

	"github.com/wirestream/wirestream/internal/textorder"
)

// The corpus as the state log keeps it: each term's stored count (the
// effective count divided by the shared scale), and the scale, the
// document count and the documents since the last prune. The enrich
// package encodes them.

// CorpusGlobals are the corpus-wide numbers.
type CorpusGlobals struct {
	Scale, Docs float64
	SincePrune  int
}

// TrackChanges turns on (or off) the record of changed terms.
func (x *Extractor) TrackChanges(on bool) {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.track = on
	if c.dirty == nil {
		c.dirty = map[string]struct{}{}
	}
}

// Reset forgets the corpus — every term, the document count — as New
// left it; change tracking stays as it was.
func (x *Extractor) Reset() {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scale, c.docs, c.sincePrune = 1, 0, 0
	c.reset()
	clear(c.dirty) // nil until TrackChanges: clear does nothing then
	c.rescale = false
}

// Changes calls fn for every term whose stored count changed since the
// last call (ok=false: the term was dropped), in term order, and returns
// the globals.
func (x *Extractor) Changes(fn func(term string, stored float64, ok bool)) CorpusGlobals {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rescale {
		for t := range c.index {
			c.dirty[t] = struct{}{}
		}
		c.rescale = false
	}
	for _, t := range slices.Sorted(maps.Keys(c.dirty)) {
		v, ok := c.stored(t)
		fn(t, v, ok)
	}
	clear(c.dirty)
	return CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
}

// Each calls fn for every term with its stored count, in term order,
// for a snapshot, and returns the globals. It copies the terms and counts
// under the lock as pairs and sorts and calls fn after: a copy of the map
// then a lookup of each sorted term cost as much again as the sort.
func (x *Extractor) Each(fn func(term string, stored float64) error) (CorpusGlobals, error) {
	c := x.c
	c.mu.RLock()
	terms := make([]textorder.Keyed[float64], 0, len(c.index))
	for t, j := range c.index {
		terms = append(terms, textorder.Make(t, c.entries[j].stored))
	}
	g := CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
	c.mu.RUnlock()
	textorder.Sort(terms)
	for _, t := range terms {
		if err := fn(t.Key, t.Val); err != nil {
			return g, err
		}
	}
	return g, nil
}

// LoadTerm restores a term's stored count; ok=false deletes it.
func (x *Extractor) LoadTerm(term string, stored float64, ok bool) {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.set(term, stored)
	} else if j, held := c.index[term]; held {
		c.remove(j)
	}
}

// LoadGlobals restores the corpus-wide numbers.
func (x *Extractor) LoadGlobals(g CorpusGlobals) {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scale, c.docs, c.sincePrune = g.Scale, g.Docs, g.SincePrune
}
