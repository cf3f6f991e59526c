package keywords

import (
	"math"
	"math/bits"
	"sync"
	"unsafe"

	"github.com/cespare/xxhash/v2"

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
//
// The table is flat (round 39): a term's slot in slots holds its stored
// count and where its bytes lie in text, one array the corpus's own copy
// of every term is appended to, and index is an open-addressing table of
// slot numbers probed linearly by the term's hash — no map entry, string
// header or allocation a term. A map[string]int32 beside 24-byte entries
// and a string each was ≈ 80 B a term of news text (15 of them the
// term's bytes; BenchmarkCorpusBytesPerTerm), 27 MB of the 10k-feed run's
// peak at its 400k-term cap.
//
// Each cell also carries a tag, high bits of its term's hash, above the
// slot number (round 44): a probe passes a cell whose tag differs without
// reading its slot or its bytes. At a run's 150–400k terms the slots and
// the text are megabytes, so each cell a probe read there was a cache
// miss — corpus.find was the enrich stage's largest entry in the load
// harness's profile (7 % of it; BENCHMARKS.md, round 43, e2e44).
type corpus struct {
	mu     sync.RWMutex
	window float64
	decay  float64
	scale  float64 // stored count × scale = effective count
	docs   float64 // effective number of documents
	// The document frequencies. A story's terms are looked up once, when
	// they are scored (lookup), and the slots found serve learn after (one
	// lookup a term, not two). free are the slots of dropped terms; gen
	// changes whenever a term takes or leaves a slot, so slots of an older
	// lookup are not trusted (another story's learn may have come between).
	slots []corpusSlot
	// text holds the terms' bytes. It is appended to, never written over:
	// a term handed out (Changes, Each, the record of dropped terms) is a
	// string over it and stays valid; a dropped term's bytes are garbage
	// until compactText copies the held ones into a new array.
	text    []byte
	garbage int // bytes of text no held term uses
	// index's cells hold a slot's number + 1 in their low slotBits bits
	// and its term's tag above them (cell), 0 for an empty cell; index is
	// a power of two long.
	index    []uint32
	slotBits uint
	slotMask uint32 // 1<<slotBits - 1
	held     int    // terms held: slots less free
	free     []int32
	gen      uint64

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
func (c *corpus) markChanged(j int32) {
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
func (c *corpus) takeChanged(j int32) bool {
	w, bit := int(j>>6), uint64(1)<<(j&63)
	if w >= len(c.dirty) || c.dirty[w]&bit == 0 {
		return false
	}
	c.dirty[w] &^= bit
	return true
}

// corpusSlot is one term's slot: its stored count and its bytes in
// text (off is freeSlot in a free slot). The bytes are the corpus's own
// copy: a story's terms are slices of its lower-cased text or of a
// story's scratch (keywords' phrases), and a key kept from them would
// hold the whole text, or be overwritten.
type corpusSlot struct {
	stored float64
	off, n uint32
}

// freeSlot is a free slot's off.
const freeSlot = math.MaxUint32

const pruneBelow = 0.5

// maxLoad is the share of index's cells, in eighths, that may be taken
// before it doubles: 3/4, a few probes a lookup.
const maxLoad = 6

// maxCorpusText bounds text, which 32-bit offsets address: compactText
// runs before an append would pass it. Held terms are at most
// MaxKeywordBytes each, so only a cap of tens of millions of terms could
// fill it with held ones.
const maxCorpusText = math.MaxUint32 - 1

func newCorpus(window, maxTerms int) *corpus {
	c := &corpus{
		window:   float64(window),
		decay:    1 - 1/float64(window),
		scale:    1,
		index:    make([]uint32, 1024),
		maxTerms: maxTerms,
	}
	// room for twice maxTerms slots (a batch's terms come before the
	// prune that keeps the cap), and widened if a restore of a larger
	// corpus needs more (insert)
	c.setSlotBits(uint(bits.Len(uint(2 * max(maxTerms, 1)))))
	return c
}

// setSlotBits gives n bits of each cell to the slot number (16 to 32)
// and the rest to the tag. The index must be rebuilt after (reindex).
func (c *corpus) setSlotBits(n uint) {
	c.slotBits = min(max(n, 16), 32)
	c.slotMask = uint32(uint64(1)<<c.slotBits - 1)
}

// cell is index's cell for slot j, whose term's hash is h: j + 1, and
// above it the tag.
func (c *corpus) cell(j int32, h uint64) uint32 {
	return c.tag(h) | (uint32(j) + 1)
}

// tag is a cell's bits above the slot number for a term of hash h: as
// many of h's top bits as slotBits leaves room for (none at 32), bits
// home does not use, so terms that share a home cell still differ in
// their tags.
func (c *corpus) tag(h uint64) uint32 {
	if c.slotBits >= 32 {
		return 0
	}
	return uint32(h>>(32+c.slotBits)) << c.slotBits
}

// slotOf is the slot number an occupied cell holds.
func (c *corpus) slotOf(cell uint32) int32 { return int32(cell&c.slotMask) - 1 }

// noSlot is lookup's slot for a term the corpus does not hold.
const noSlot = -1

// term is slot j's term: a string over text, valid for good.
func (c *corpus) term(j int32) string {
	s := &c.slots[j]
	if s.n == 0 {
		return ""
	}
	return unsafe.String(&c.text[s.off], int(s.n))
}

// home is term t's first cell in index.
func (c *corpus) home(t string) int { return c.homeOf(xxhash.Sum64String(t)) }

// homeOf is the first cell of a term of hash h.
func (c *corpus) homeOf(h uint64) int { return int(h & uint64(len(c.index)-1)) }

// find returns the slot of term t, or noSlot. A cell whose tag is not
// t's holds another term: its slot and bytes are not read.
func (c *corpus) find(t string) int32 {
	h := xxhash.Sum64String(t)
	mask, tag := len(c.index)-1, c.tag(h)
	for i := c.homeOf(h); ; i = (i + 1) & mask {
		n := c.index[i]
		if n == 0 {
			return noSlot
		}
		if n&^c.slotMask != tag {
			continue
		}
		if j := c.slotOf(n); int(c.slots[j].n) == len(t) && c.term(j) == t {
			return j
		}
	}
}

// place puts slot j's cell in the first empty cell from its term's home.
func (c *corpus) place(j int32) {
	mask := len(c.index) - 1
	h := xxhash.Sum64String(c.term(j))
	i := c.homeOf(h)
	for c.index[i] != 0 {
		i = (i + 1) & mask
	}
	c.index[i] = c.cell(j, h)
}

// reindex places every held term in an index of n cells.
func (c *corpus) reindex(n int) {
	if n == len(c.index) {
		clear(c.index)
	} else {
		c.index = make([]uint32, n)
	}
	for j := range c.slots {
		if c.slots[j].off != freeSlot {
			c.place(int32(j))
		}
	}
}

// unindex takes slot j's cell out of index, moving back the cells after
// it that its cell would cut off from their homes (linear probing's
// deletion: no tombstones).
func (c *corpus) unindex(j int32) {
	mask := len(c.index) - 1
	i := c.home(c.term(j))
	for c.slotOf(c.index[i]) != j {
		i = (i + 1) & mask
	}
	for k := i; ; {
		c.index[i] = 0
		for {
			k = (k + 1) & mask
			n := c.index[k]
			if n == 0 {
				return
			}
			// the cell at k stays unless its home is not cyclically in (i, k]
			h := c.home(c.term(c.slotOf(n)))
			if (k-h)&mask >= (k-i)&mask {
				c.index[i] = n
				i = k
				break
			}
		}
	}
}

// stored returns term t's stored count and whether the corpus holds it.
func (c *corpus) stored(t string) (float64, bool) {
	if j := c.find(t); j != noSlot {
		return c.slots[j].stored, true
	}
	return 0, false
}

// idf returns log((N+1)/(df+0.5)) + 1 for each term, under one read lock.
func (c *corpus) idf(terms []string, out []float64) {
	c.lookup(terms, out, nil)
}

// lookup is idf that also gives each term's slot (noSlot when the corpus
// does not hold it) in slots, when slots is not nil (it is as long as
// terms), and returns the generation the slots are of, for learn.
func (c *corpus) lookup(terms []string, out []float64, slots []int32) uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := c.docs
	for i, t := range terms {
		var v float64
		slot := c.find(t)
		if slot != noSlot {
			v = c.slots[slot].stored
		}
		if slots != nil {
			slots[i] = slot
		}
		out[i] = math.Log((n+1)/(v*c.scale+0.5)) + 1
	}
	return c.gen
}

// add records one document's distinct terms.
func (c *corpus) add(terms []string) { c.learn(terms, nil, 0) }

// learn records one document's distinct terms (pick's are: the keys of
// a story's term set, and words it does not hold). slots, when of generation
// gen, are the slots lookup found for terms[:len(slots)]: a term with a
// slot is not looked up again. The counts are add's exactly.
func (c *corpus) learn(terms []string, slots []int32, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		slots = nil
	}
	c.scale *= c.decay
	c.docs = c.docs*c.decay + 1
	inc := 1 / c.scale
	for i, t := range terms {
		var j int32
		if i < len(slots) {
			j = slots[i] // noSlot: not held then, nor taken since (gen)
		} else {
			j = c.find(t)
		}
		if j == noSlot {
			j = c.insert(t)
		}
		c.slots[j].stored += inc
		if c.track {
			c.markChanged(j)
		}
	}
	if c.scale < minScale { // renormalise before the stored counts overflow
		for i := range c.slots {
			c.slots[i].stored *= c.scale // a free slot's count is never read
		}
		c.scale = 1
		c.rescale = c.track
	}
	c.sincePrune++
	if c.sincePrune >= max(1, int(c.window)/4) || c.held > c.maxTerms {
		c.prune()
	}
}

// insert gives term t (not held) a slot, with a stored count of 0, and
// returns it. It changes gen: a slot lookup found empty for t is not
// empty now.
func (c *corpus) insert(t string) int32 {
	c.gen++
	if len(c.text)+len(t) > maxCorpusText {
		if c.compactText(); len(c.text)+len(t) > maxCorpusText {
			panic("keywords: the corpus's terms past 4 GiB") // an offset would wrap
		}
	}
	s := corpusSlot{off: uint32(len(c.text)), n: uint32(len(t))}
	c.text = append(c.text, t...)
	var j int32
	if n := len(c.free); n > 0 {
		j = c.free[n-1]
		c.free = c.free[:n-1]
		c.slots[j] = s
	} else {
		j = int32(len(c.slots))
		c.slots = append(c.slots, s)
	}
	c.held++
	n := len(c.index)
	if 8*c.held > maxLoad*n {
		n *= 2
	}
	switch {
	case uint32(j) >= c.slotMask: // j + 1 does not fit a cell: a bit more for slots
		c.setSlotBits(c.slotBits + 1)
		c.reindex(n)
	case n != len(c.index):
		c.reindex(n)
	default:
		c.place(j)
	}
	return j
}

// drop frees slot j, its number already out of index (unindex, or an
// index about to be rebuilt). A changed term's change is now its
// tombstone (unless it is held again by the next Changes).
func (c *corpus) drop(j int32) {
	if c.takeChanged(j) {
		c.gone = append(c.gone, c.term(j))
	}
	c.garbage += int(c.slots[j].n)
	c.slots[j] = corpusSlot{off: freeSlot}
	c.free = append(c.free, j)
	c.held--
	c.gen++
}

// remove drops the term in slot j.
func (c *corpus) remove(j int32) {
	c.unindex(j)
	c.drop(j)
	c.tidyText()
}

// tidyText copies the held terms' bytes into a new array once the
// dropped ones' are more than half of text.
func (c *corpus) tidyText() {
	if c.garbage > 4096 && 2*c.garbage > len(c.text) {
		c.compactText()
	}
}

// compactText copies the held terms' bytes into a new array, sized for
// them and a quarter more. The old array stays with the strings handed
// out over it.
func (c *corpus) compactText() {
	text := make([]byte, 0, (len(c.text)-c.garbage)*5/4)
	for j := range c.slots {
		s := &c.slots[j]
		if s.off == freeSlot {
			continue
		}
		off := len(text)
		text = append(text, c.text[s.off:s.off+s.n]...)
		s.off = uint32(off)
	}
	c.text, c.garbage = text, 0
}

// set gives term t the stored count v, taking a slot if it has none.
func (c *corpus) set(t string, v float64) {
	j := c.find(t)
	if j == noSlot {
		j = c.insert(t)
	}
	c.slots[j].stored = v
}

// reset empties the corpus of every term.
func (c *corpus) reset() {
	c.index = make([]uint32, 1024)
	c.slots, c.free, c.text = nil, nil, nil
	c.held, c.garbage = 0, 0
	c.gen++
}

// prune drops the terms whose effective count is below pruneBelow, and
// raises the bar until a tenth of maxTerms is free. Which terms go does
// not depend on the order they are visited in: every term below the bar
// goes.
func (c *corpus) prune() {
	c.sincePrune = 0
	floor := pruneBelow
	dropped := false
	for {
		for j := range c.slots {
			if s := &c.slots[j]; s.off != freeSlot && s.stored*c.scale < floor {
				if c.track {
					// a tombstone, changed or not: the log may hold the
					// term. Taking the changed mark keeps drop from
					// recording it a second time.
					c.takeChanged(int32(j))
					c.gone = append(c.gone, c.term(int32(j)))
				}
				c.drop(int32(j))
				dropped = true
			}
		}
		if c.held <= c.maxTerms*9/10 {
			break
		}
		floor *= 2 // still too many: raise the bar until a tenth is free
	}
	if dropped {
		c.reindex(len(c.index))
		c.tidyText()
	}
}

// each calls fn for every held term and its slot, in slot order.
func (c *corpus) each(fn func(t string, j int32)) {
	for j := range c.slots {
		if c.slots[j].off != freeSlot {
			fn(c.term(int32(j)), int32(j))
		}
	}
}

func (c *corpus) size() (terms int, docs float64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.held, c.docs
}
