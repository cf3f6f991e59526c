package keywords

// refCorpus is the corpus as it was before round 39 (a map from each
// term, its own string, to a slot of 24 bytes), kept as the reference the
// flat corpus is driven against (corpusref_test.go's test): the same
// stream must give the same idf, counts, prunes, change records and
// snapshots.

import (
	"math"
	"strings"
	"sync"

	"github.com/wirestream/wirestream/internal/textorder"
)

// corpus holds document frequencies over a rolling window: each new
// document multiplies every count by decay = 1 - 1/window, so a term's
// frequency is an exponentially weighted count whose effective memory is
// window documents, and the total weight of all documents tends to window.
// Decay is applied lazily through one shared scale factor, so adding a
// document costs only its own terms.
//
// Terms whose weight falls below pruneBelow are dropped every window/4
// documents, and the table never exceeds maxTerms: memory stays bounded
// however long the service runs.
type refCorpus struct {
	mu     sync.RWMutex
	window float64
	decay  float64
	scale  float64 // stored count × scale = effective count
	docs   float64 // effective number of documents
	// The document frequencies: a term's slot in entries, which holds its
	// stored count and the corpus's own copy of the term. A story's terms
	// are looked up once, when they are scored (lookup), and the slots
	// found serve learn after (one map lookup a term, not two). free are
	// the slots of dropped terms; gen changes whenever a term takes or
	// leaves a slot, so slots of an older lookup are not trusted (another
	// story's learn may have come between).
	index      map[string]int32
	entries    []refEntry
	free       []int32
	gen        uint64
	maxTerms   int
	sincePrune int

	// What changed since the state log was last told (state.go), kept only
	// while tracking: the slots whose stored count changed (a bit each in
	// dirty, listed once in changed) and the terms dropped (gone, which
	// may be held again by then). By slot, not by term: a story's terms
	// were a string-keyed map assignment each in learn, and Changes looked
	// each up again in index — most of Changes' cost (BENCHMARKS.md,
	// round 33, e2e33).
	track   bool
	dirty   []uint64
	changed []int32
	gone    []string
	listed  []textorder.Keyed[int32] // Changes' scratch
	rescale bool                     // every stored count changed
}

// markChanged records that slot j's stored count changed.
func (c *refCorpus) markChanged(j int32) {
	w, bit := int(j>>6), uint64(1)<<(j&63)
	if w >= len(c.dirty) {
		c.dirty = append(c.dirty, make([]uint64, w+1-len(c.dirty))...)
	}
	if c.dirty[w]&bit == 0 {
		c.dirty[w] |= bit
		c.changed = append(c.changed, j)
	}
}

// takeChanged reports whether slot j changed since the last take, and
// forgets that it did.
func (c *refCorpus) takeChanged(j int32) bool {
	w, bit := int(j>>6), uint64(1)<<(j&63)
	if w >= len(c.dirty) || c.dirty[w]&bit == 0 {
		return false
	}
	c.dirty[w] &^= bit
	return true
}

// refEntry is one term's slot. key is the corpus's own copy of the
// term: a story's terms are slices of its lower-cased text or of a
// story's scratch (keywords' phrases), and a key kept from them would hold
// the whole text, or be overwritten.
type refEntry struct {
	stored float64
	key    string // "" in a free slot
}

func newRefCorpus(window, maxTerms int) *refCorpus {
	return &refCorpus{
		window:   float64(window),
		decay:    1 - 1/float64(window),
		scale:    1,
		index:    make(map[string]int32, 1024),
		maxTerms: maxTerms,
	}
}

// stored returns term t's stored count and whether the corpus holds it.
func (c *refCorpus) stored(t string) (float64, bool) {
	if i, ok := c.index[t]; ok {
		return c.entries[i].stored, true
	}
	return 0, false
}

// idf returns log((N+1)/(df+0.5)) + 1 for each term, under one read lock.
func (c *refCorpus) idf(terms []string, out []float64) {
	c.lookup(terms, out, nil)
}

// lookup is idf that also gives each term's slot (noSlot when the corpus
// does not hold it) in slots, when slots is not nil (it is as long as
// terms), and returns the generation the slots are of, for learn.
func (c *refCorpus) lookup(terms []string, out []float64, slots []int32) uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := c.docs
	for i, t := range terms {
		var v float64
		slot := int32(noSlot)
		if j, ok := c.index[t]; ok {
			v, slot = c.entries[j].stored, j
		}
		if slots != nil {
			slots[i] = slot
		}
		out[i] = math.Log((n+1)/(v*c.scale+0.5)) + 1
	}
	return c.gen
}

// add records one document's distinct terms.
func (c *refCorpus) add(terms []string) { c.learn(terms, nil, 0) }

// learn records one document's distinct terms (pick's are: the keys of
// a story's term set, and words it does not hold). slots, when of generation
// gen, are the slots lookup found for terms[:len(slots)]: a term with a
// slot is not looked up again. The counts are add's exactly.
func (c *refCorpus) learn(terms []string, slots []int32, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		slots = nil
	}
	c.scale *= c.decay
	c.docs = c.docs*c.decay + 1
	inc := 1 / c.scale
	for i, t := range terms {
		j := int32(noSlot)
		if i < len(slots) {
			j = slots[i] // noSlot: not held then, nor taken since (gen)
		} else if k, ok := c.index[t]; ok {
			j = k
		}
		if j == noSlot {
			j = c.insert(t)
		}
		e := &c.entries[j]
		e.stored += inc
		if c.track {
			c.markChanged(j)
		}
	}
	if c.scale < 1e-150 { // renormalise before the stored counts overflow
		for i := range c.entries {
			c.entries[i].stored *= c.scale // a free slot's count is never read
		}
		c.scale = 1
		c.rescale = c.track
	}
	c.sincePrune++
	if c.sincePrune >= max(1, int(c.window)/4) || len(c.index) > c.maxTerms {
		c.prune()
	}
}

// insert gives term t a slot, with a stored count of 0, and returns it.
// It changes gen: a slot lookup found empty for t is not empty now.
func (c *refCorpus) insert(t string) int32 {
	c.gen++
	key := strings.Clone(t)
	var j int32
	if n := len(c.free); n > 0 {
		j = c.free[n-1]
		c.free = c.free[:n-1]
		c.entries[j] = refEntry{key: key}
	} else {
		j = int32(len(c.entries))
		c.entries = append(c.entries, refEntry{key: key})
	}
	c.index[key] = j
	return j
}

// remove drops the term in slot j. A changed term's change is now its
// tombstone (unless it is held again by the next Changes).
func (c *refCorpus) remove(j int32) {
	if c.takeChanged(j) {
		c.gone = append(c.gone, c.entries[j].key)
	}
	delete(c.index, c.entries[j].key)
	c.entries[j] = refEntry{}
	c.free = append(c.free, j)
	c.gen++
}

// set gives term t the stored count v, taking a slot if it has none.
func (c *refCorpus) set(t string, v float64) {
	j, ok := c.index[t]
	if !ok {
		j = c.insert(t)
	}
	c.entries[j].stored = v
}

// reset empties the corpus of every term.
func (c *refCorpus) reset() {
	c.index = make(map[string]int32, 1024)
	c.entries, c.free = nil, nil
	c.gen++
}

func (c *refCorpus) prune() {
	c.sincePrune = 0
	floor := pruneBelow
	for {
		for _, j := range c.index {
			if e := &c.entries[j]; e.stored*c.scale < floor {
				if c.track {
					c.gone = append(c.gone, e.key) // a tombstone
				}
				c.remove(j)
			}
		}
		if len(c.index) <= c.maxTerms*9/10 {
			return
		}
		floor *= 2 // still too many: raise the bar until a tenth is free
	}
}

func (c *refCorpus) size() (terms int, docs float64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.index), c.docs
}

// Changes calls fn for every term whose stored count changed since the
// last call (ok=false: the term was dropped), in term order, and returns
// the globals.
func (c *refCorpus) Changes(fn func(term string, stored float64, ok bool)) CorpusGlobals {

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rescale {
		for _, j := range c.index {
			c.markChanged(j)
		}
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
			listed = append(listed, textorder.Make(c.entries[j].key, j))
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
			fn(t, c.entries[j].stored, true)
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

// Each calls fn for every term with its stored count, in term order,
// for a snapshot, and returns the globals. It copies the terms and counts
// under the lock as pairs and sorts and calls fn after: a copy of the map
// then a lookup of each sorted term cost as much again as the sort.
func (c *refCorpus) Each(fn func(term string, stored float64) error) (CorpusGlobals, error) {

	c.mu.RLock()
	terms := make([]textorder.Keyed[float64], 0, len(c.index))
	for t, j := range c.index {
		terms = append(terms, textorder.Make(t, c.entries[j].stored))
	}
	g := CorpusGlobals{Scale: c.scale, Docs: c.docs, SincePrune: c.sincePrune}
	c.mu.RUnlock()
	return g, eachSorted(terms, fn)
}

// LoadTerm restores a term's stored count; ok=false deletes it.
func (c *refCorpus) LoadTerm(term string, stored float64, ok bool) {

	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.set(term, stored)
	} else if j, held := c.index[term]; held {
		c.remove(j)
	}
}
