package keywords

import (
	"fmt"
	"math"

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

// minScale is the least scale a corpus holds after a document: below it
// the stored counts are rescaled before they could overflow.
const minScale = 1e-150

// Check refuses globals no live corpus holds (a damaged or foreign state
// log's; round 40). The scale starts at 1, is multiplied by the decay
// (below 1) a document and set back to 1 once below minScale: a NaN scale
// made every weight NaN and a prune of a full corpus endless (no NaN
// count is below its bar), a 0 or a denormal made the next document's
// counts infinite, then NaN or infinite for good at the rescale. The
// document count is documents × decay + 1, never negative nor infinite;
// the documents since the last prune never negative.
func (g CorpusGlobals) Check() error {
	switch {
	case !(g.Scale >= minScale && g.Scale <= 1):
		return fmt.Errorf("scale %v, want from %v to 1", g.Scale, minScale)
	case !countable(g.Docs):
		return fmt.Errorf("documents %v, want a finite count of 0 or more", g.Docs)
	case g.SincePrune < 0:
		return fmt.Errorf("documents since the last prune %d, want 0 or more", g.SincePrune)
	}
	return nil
}

// CheckStored refuses a term's stored count no live corpus holds: counts
// start at 0 and grow by 1/scale, finite and positive, and are rescaled
// before they could overflow. A NaN or infinite count would weigh the
// term NaN or nothing for good and never be pruned; a negative one makes
// its weight's logarithm NaN.
func CheckStored(stored float64) error {
	if !countable(stored) {
		return fmt.Errorf("stored count %v, want a finite count of 0 or more", stored)
	}
	return nil
}

// countable reports whether v is a count a live corpus can hold: finite
// and 0 or more (false for NaN, which compares false to everything).
func countable(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

// TrackChanges turns on (or off) the record of changed terms.
func (x *Extractor) TrackChanges(on bool) {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.track = on
}

// Reset forgets the corpus — every term, the document count — as New
// left it; change tracking stays as it was.
func (x *Extractor) Reset() {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scale, c.docs, c.sincePrune = 1, 0, 0
	c.reset()
	c.dirty, c.changed, c.gone, c.listed = nil, nil, nil, nil
	c.rescale = false
}

// ChangesBound is at most how many terms the next Changes gives, so its
// caller can size what it gathers them in once.
func (x *Extractor) ChangesBound() int {
	c := x.c
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.rescale {
		return c.held + len(c.gone)
	}
	return len(c.changed) + len(c.gone)
}

// Changes calls fn for every term whose stored count changed since the
// last call (ok=false: the term was dropped), in term order, and returns
// the globals.
func (x *Extractor) Changes(fn func(term string, stored float64, ok bool)) CorpusGlobals {
	c := x.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rescale {
		c.each(func(_ string, j int32) { c.markChanged(j) })
		c.rescale = false
	}
	// Each changed slot's term with its slot, and each dropped term with
	// noSlot, sorted by term. A term can be listed more than once: dropped
	// and learned again (a slot and noSlot), dropped twice, or its slot
	// listed again after a drop freed it for another term (the second
	// take finds it taken).
	listed := c.listed[:0]
	for _, j := range c.changed {
		if c.takeChanged(j) {
			listed = append(listed, textorder.Make(c.term(j), j))
		}
	}
	for _, t := range c.gone {
		listed = append(listed, textorder.Make(t, int32(noSlot)))
	}
	textorder.Sort(listed)
	for i := 0; i < len(listed); {
		t, j := listed[i].Key, listed[i].Val
		for i++; i < len(listed) && listed[i].Key == t; i++ {
			j = max(j, listed[i].Val) // the slot over noSlot
		}
		if j != noSlot {
			fn(t, c.slots[j].stored, true)
		} else {
			v, ok := c.stored(t) // dropped: held again only if loaded since (set)
			fn(t, v, ok)
		}
	}
	c.changed = scratch(c.changed)
	c.gone = scratch(c.gone)
	c.listed = scratch(listed)
	return CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
}

// scratch returns s emptied for the next batch, or nil after a batch far
// larger than a story's terms (a rescale lists every term), so the
// scratch does not keep that capacity.
func scratch[T any](s []T) []T {
	if cap(s) > maxScratch {
		return nil
	}
	clear(s) // keeps no term alive
	return s[:0]
}

// maxScratch is the capacity Changes' scratch keeps: a batch of a few
// hundred stories' terms.
const maxScratch = 1 << 14

// EachHeld calls fn for every term with its stored count, for a
// snapshot, and returns the globals, in the order of the corpus's slots,
// not sorted by term (the tests' Each sorts): a restore needs no order,
// and the sort was ≈ 18 % of the snapshots' sorting (round 43, snap43).
// The slots are taken in the order the stories bring the terms (freed
// ones again, the last freed first; the index hashes with a fixed
// function), so the file is still a function of the stories read, and a
// restore fills the slots in the file's order.
func (x *Extractor) EachHeld(fn func(term string, stored float64) error) (CorpusGlobals, error) {
	type held struct {
		term   string
		stored float64
	}
	c := x.c
	c.mu.RLock()
	terms := make([]held, 0, c.held)
	c.each(func(t string, j int32) { terms = append(terms, held{t, c.slots[j].stored}) })
	g := CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
	c.mu.RUnlock()
	for _, t := range terms {
		if err := fn(t.term, t.stored); err != nil {
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
	} else if j := c.find(term); j != noSlot {
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
