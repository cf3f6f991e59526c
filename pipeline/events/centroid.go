package events

import (
	"cmp"
	"math"
	"slices"
)

// centroid is the sum of an event's normalized member vectors, truncated
// to its strongest terms so memory per event is fixed. Its terms are kept
// in parallel slices sorted by term id, so a story's vector meets a
// centroid in one merge of two sorted lists and an update is a merge:
// maps keyed by id were a third of clustering a story among 10,000 live
// events (a hash probe, mostly a cache miss, per term of the story per
// event scored). Each term carries the sequence number of its entry in
// the inverted index, so the entry can be found (by bisection: a list is
// in entry order) and removed when the centroid lets go of the term, and
// the index can be rebuilt in its order after a restart. The centroid
// holds a reference to each of its terms (dict).
//
// Ids are numbered in no order that means anything (a freed id is
// reused), so id order finds shared terms and never orders a float sum:
// every sum is taken in the order the text-keyed maps gave, the vector's
// order or the terms' texts, so decisions repeat exactly.
type centroid struct {
	// norm, ids and w first: what cosineQ reads of every candidate, in
	// the event's first cache lines (event's comment)
	norm float64
	ids  []termID  // ascending
	w    []float64 // by index in ids
	seq  []uint64  // by index in ids: the postings entry (Clusterer.index) that lists the term; unindexed until then
	// by index in ids: the term's place in strongest-first order at the
	// last cut, noRank if its weight changed since or it came in after:
	// the terms that keep their weight keep their order, so a cut sorts
	// only the others (a full centroid took a sort of its hundred terms
	// per story, ~4 % of a headline's CPU); a byte, so places from 255 on
	// (centroid_terms over 255) are not kept and those terms are sorted
	rank []uint8
}

// noRank is the rank of a term whose place in strongest-first order is
// not known.
const noRank = math.MaxUint8

// unindexed is the entry number of a term add took and index has not
// listed yet.
const unindexed = math.MaxUint64

// dropped is a term a centroid let go of, with the entry that listed it.
type dropped struct {
	t   termID
	seq uint64
}

// posTerm is a vector's term with its place in the vector, in a copy of
// the vector sorted by id (byID): the merge finds a term by id and puts
// what it found at the term's place, where the sum in vector order reads it.
type posTerm struct {
	id  termID
	pos int32
	w   float64
}

// byID returns v's terms sorted by id, in dst's memory.
func byID(dst []posTerm, v vector) []posTerm {
	dst = dst[:0]
	for i, t := range v {
		dst = append(dst, posTerm{t.id, int32(i), t.w})
	}
	slices.SortFunc(dst, func(a, b posTerm) int { return cmp.Compare(a.id, b.id) })
	return dst
}

func (c *centroid) len() int { return len(c.ids) }

// find returns t's index in the centroid and whether it holds t.
func (c *centroid) find(t termID) (int, bool) { return slices.BinarySearch(c.ids, t) }

// weight is t's weight, 0 when the centroid does not hold t.
func (c *centroid) weight(t termID) float64 {
	if i, ok := c.find(t); ok {
		return c.w[i]
	}
	return 0
}

// resize gives the centroid n terms (its first ones kept) in arrays of
// capacity size or more, reallocating only when it must.
func (c *centroid) resize(n, size int) {
	if n <= cap(c.ids) && n <= cap(c.rank) {
		c.ids, c.w, c.seq, c.rank = c.ids[:n], c.w[:n], c.seq[:n], c.rank[:n]
		return
	}
	ids, w, seq, rank := make([]termID, n, size), make([]float64, n, size), make([]uint64, n, size), make([]uint8, n, size)
	copy(ids, c.ids)
	copy(w, c.w)
	copy(seq, c.seq)
	copy(rank, c.rank)
	c.ids, c.w, c.seq, c.rank = ids, w, seq, rank
}

// mergeNews merges the centroid's first m terms and news (both by id)
// into ids, w, seq and rank, from the back, so they may be the centroid's
// own arrays grown to hold both (then the terms before the first new one
// are in place already; a scratch gets them copied).
func (c *centroid) mergeNews(m int, news []posTerm, ids []termID, w []float64, seq []uint64, rank []uint8) {
	i, o := m-1, m+len(news)-1
	for x := len(news) - 1; x >= 0; o-- {
		if i >= 0 && c.ids[i] > news[x].id {
			ids[o], w[o], seq[o], rank[o] = c.ids[i], c.w[i], c.seq[i], c.rank[i]
			i--
			continue
		}
		ids[o], w[o], seq[o], rank[o] = news[x].id, news[x].w, unindexed, noRank
		x--
	}
	copy(ids[:i+1], c.ids[:i+1])
	copy(w[:i+1], c.w[:i+1])
	copy(seq[:i+1], c.seq[:i+1])
	copy(rank[:i+1], c.rank[:i+1])
}

// add adds v (q is v sorted by id: byID) and puts in fb.added the terms
// it did not have before and still has (in v's order), to be indexed, and
// in fb.dropped the indexed terms it let go of to stay within limit, to
// be unlisted. A term v brings in that is too weak to stay is in neither:
// the centroid never holds more than limit terms, nor one at weight 0.
// fb.sorted, fb.byRank and fb.keep are where a centroid over limit finds
// the terms it keeps.
func (c *centroid) add(v vector, q []posTerm, limit int, d *dict, fb *featureBuf) {
	fb.added, fb.dropped = fb.added[:0], fb.dropped[:0]
	// the weights before, by place in v (-1: new), and the new terms in id order
	fb.old = append(fb.old[:0], make([]float64, len(v))...)
	news := fb.news[:0]
	j := 0
	for _, t := range q {
		if t.w == 0 {
			continue // (a merged centroid restored from an old log) adds nothing
		}
		for j < len(c.ids) && c.ids[j] < t.id {
			j++
		}
		if j < len(c.ids) && c.ids[j] == t.id {
			fb.old[t.pos] = c.w[j]
			c.w[j] += t.w
			c.rank[j] = noRank
			continue
		}
		fb.old[t.pos] = -1
		news = append(news, t)
		d.acquire(t.id)
	}
	fb.news = news[:0]
	// Where the merged terms go: the centroid's own arrays while they stay
	// within limit (capacity a quarter over what is needed, at most limit;
	// a new centroid's exactly what it needs: most events keep one story,
	// and an article's second story brings more new terms than a quarter,
	// BENCHMARKS.md round 42: evmem42), else fb's, and the cut below writes
	// the kept ones back, so a centroid never holds arrays longer than limit.
	m, total := len(c.ids), len(c.ids)+len(news)
	ids, w, seq, rank := c.ids, c.w, c.seq, c.rank
	inScratch := false
	switch {
	case len(news) == 0:
	case total <= cap(c.ids) || total <= limit:
		size := min(total+total/4, limit)
		if m == 0 {
			size = total
		}
		c.resize(total, size)
		ids, w, seq, rank = c.ids, c.w, c.seq, c.rank
		c.mergeNews(m, news, ids, w, seq, rank)
	default:
		ids = append(fb.mids[:0], make([]termID, total)...)
		w = append(fb.mw[:0], make([]float64, total)...)
		seq = append(fb.mseq[:0], make([]uint64, total)...)
		rank = append(fb.mrank[:0], make([]uint8, total)...)
		fb.mids, fb.mw, fb.mseq, fb.mrank = ids, w, seq, rank
		c.mergeNews(m, news, ids, w, seq, rank)
		inScratch = true
	}
	// the norm's update in v's order, as the map version summed it
	ss := c.norm * c.norm
	for i, t := range v {
		if t.w == 0 {
			continue
		}
		old := fb.old[i]
		if old < 0 {
			old = 0
			fb.added = append(fb.added, t.id)
		}
		ss += (old+t.w)*(old+t.w) - old*old
	}
	if len(ids) > limit {
		// recomputed in strongest-first order: the order of the terms' ids
		// would make the float sum, and so a borderline decision, depend
		// on which ids happened to be free
		ss = strongestOrder(ids, w, rank, limit, d, fb)
		if inScratch && (cap(c.ids) < limit || cap(c.rank) < limit) {
			c.ids, c.w, c.seq, c.rank = make([]termID, limit), make([]float64, limit), make([]uint64, limit), make([]uint8, limit)
		}
		c.ids, c.w, c.seq, c.rank = c.ids[:limit], c.w[:limit], c.seq[:limit], c.rank[:limit]
		n := 0
		for j, id := range ids {
			if fb.keep[j] < 0 {
				if seq[j] != unindexed {
					fb.dropped = append(fb.dropped, dropped{id, seq[j]})
				}
				d.release(id)
				continue
			}
			c.ids[n], c.w[n], c.seq[n], c.rank[n] = id, w[j], seq[j], uint8(min(fb.keep[j], noRank))
			n++
		}
		kept := fb.added[:0]
		for _, t := range fb.added {
			if _, ok := c.find(t); ok {
				kept = append(kept, t)
			}
		}
		fb.added = kept
	}
	c.norm = math.Sqrt(max(ss, 0))
}

// strongestOrder puts in fb.keep, by index in ids, the place in
// strongest-first order (sortTerms') of each of the limit strongest
// terms, -1 for the others, and returns their sum of squares taken in
// that order. The terms that kept their rank (rank[j] < limit) are in that
// order already, so only the others are sorted, and the two lists merged:
// the order is total, so the result is that of sorting them all.
func strongestOrder(ids []termID, w []float64, rank []uint8, limit int, d *dict, fb *featureBuf) float64 {
	byRank := fb.byRank[:0]
	for range limit {
		byRank = append(byRank, -1)
	}
	moved := fb.sorted[:0]
	for j, id := range ids {
		if r := rank[j]; r != noRank && int(r) < limit {
			byRank[r] = int32(j)
			continue
		}
		moved = append(moved, term{id, w[j]})
	}
	sortTerms(moved, d)
	keep := fb.keep[:0]
	for range ids {
		keep = append(keep, -1)
	}
	texts := d.terms
	ss := 0.0
	a, b := 0, 0
	for r := range limit {
		for a < len(byRank) && byRank[a] < 0 {
			a++
		}
		var j int
		if a < len(byRank) && (b == len(moved) || before(w[byRank[a]], texts[ids[byRank[a]]], moved[b].w, texts[moved[b].id])) {
			j = int(byRank[a])
			a++
		} else {
			j, _ = slices.BinarySearch(ids, moved[b].id)
			b++
		}
		keep[j] = int32(r)
		ss += w[j] * w[j]
	}
	fb.byRank, fb.sorted, fb.keep = byRank[:0], moved[:0], keep
	return ss
}

// before reports whether a term of weight wa and text ta comes before one
// of weight wb and text tb in strongest-first order.
func before(wa float64, ta string, wb float64, tb string) bool {
	if wa != wb {
		return wa > wb
	}
	return ta < tb
}

// release lets go of the centroid's terms: its event is closed.
func (c *centroid) release(d *dict) {
	for _, t := range c.ids {
		d.release(t)
	}
	c.ids, c.w, c.seq, c.rank = nil, nil, nil, nil
}

// cosine of a normalized vector with the centroid, summed in v's order.
func (c *centroid) cosine(v vector) float64 {
	if c.norm == 0 {
		return 0
	}
	var dot float64
	for _, t := range v {
		dot += t.w * c.weight(t.id)
	}
	return dot / c.norm
}

// cosineByID is cosine of the vector that q sorts by id (byID), found by
// one merge; prod (one slot per term of the vector) is the scratch the
// products wait in, so they are summed in the vector's order, zeros
// included, exactly as cosine sums them.
func (c *centroid) cosineByID(q []posTerm, prod []float64) float64 {
	if c.norm == 0 {
		return 0
	}
	clear(prod)
	ids, j := c.ids, 0
	for _, t := range q {
		for j < len(ids) && ids[j] < t.id {
			j++
		}
		if j == len(ids) {
			break
		}
		if ids[j] == t.id {
			prod[t.pos] = t.w * c.w[j]
		}
	}
	var dot float64
	for _, p := range prod {
		dot += p
	}
	return dot / c.norm
}

// queryIndex is a story's vector by term id, for scoring it against
// many centroids: a bit per id says whether the vector has the term, and
// pos its place there. cosineQ walks a centroid's ids against the bits —
// a load and a test a term, the branch almost never taken, in a table of
// one bit per term id, which stays in the cache — where cosineByID's merge
// of two sorted lists took an unpredictable branch at every step and
// cleared and summed a product slot for every term of the vector. A story
// meets a hundred candidates on news text (BENCHMARKS.md, round 29).
type queryIndex struct {
	bits []uint64 // by term id: bit id&63 of word id>>6 set for the vector's terms
	pos  []int32  // by term id: the term's place in the vector, where its bit is set
	hits []hit    // cosineQ's scratch
}

// hit is a term a centroid shares with the vector: its place in the
// vector and its weight in the centroid.
type hit struct {
	pos int32
	w   float64
}

// set indexes v, whose term ids are below span. reset undoes it.
func (qi *queryIndex) set(v vector, span int) {
	if n := span>>6 + 1; len(qi.bits) < n {
		qi.bits = append(qi.bits, make([]uint64, n-len(qi.bits))...)
	}
	if len(qi.pos) < span {
		qi.pos = append(qi.pos, make([]int32, span-len(qi.pos))...)
	}
	for i, t := range v {
		qi.bits[t.id>>6] |= 1 << (t.id & 63)
		qi.pos[t.id] = int32(i)
	}
}

// reset clears the bits of v, which set indexed.
func (qi *queryIndex) reset(v vector) {
	for _, t := range v {
		qi.bits[t.id>>6] = 0
	}
}

// cosineQ is cosine of v, which qi indexes (set), with the centroid: the
// products of the shared terms summed in v's order, as cosine and
// cosineByID sum them — the terms v has and the centroid lacks add +0,
// which leaves a sum of positive products as it was, so the result is
// theirs to the bit (TestCosineQIsCosine).
func (c *centroid) cosineQ(v vector, qi *queryIndex) float64 {
	if c.norm == 0 {
		return 0
	}
	hits, bits, pos := qi.hits[:0], qi.bits, qi.pos
	for j, id := range c.ids {
		if x := int(id >> 6); x < len(bits) && bits[x]&(1<<(id&63)) != 0 {
			hits = append(hits, hit{pos[id], c.w[j]})
		}
	}
	// in v's order: a few terms, by insertion
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].pos < hits[j-1].pos; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var dot float64
	for _, h := range hits {
		dot += v[h.pos].w * h.w
	}
	qi.hits = hits[:0]
	return dot / c.norm
}

// top returns the centroid's n strongest terms.
func (c *centroid) top(n int, d *dict) vector {
	all := make(vector, 0, len(c.ids))
	for j, id := range c.ids {
		all = append(all, term{id, c.w[j]})
	}
	strongest(all, n, d)
	return all[:min(n, len(all))]
}

// centry is one term of a centroid as a restore reads it.
type centry struct {
	id  termID
	w   float64
	seq uint64
}

// restoreTerms makes the centroid hold es, in the log's order: sorted by
// id, a term written twice keeping its last entry, each term acquired once.
func (c *centroid) restoreTerms(es []centry, d *dict) {
	slices.SortStableFunc(es, func(a, b centry) int { return cmp.Compare(a.id, b.id) })
	c.ids, c.w, c.seq = make([]termID, 0, len(es)), make([]float64, 0, len(es)), make([]uint64, 0, len(es))
	c.rank = make([]uint8, 0, len(es))
	for i, e := range es {
		if i+1 < len(es) && es[i+1].id == e.id {
			continue // a later entry for the same term replaces this one
		}
		c.ids, c.w, c.seq = append(c.ids, e.id), append(c.w, e.w), append(c.seq, e.seq)
		c.rank = append(c.rank, noRank) // the log keeps no order
		d.acquire(e.id)
	}
}
