package dedupe

// index is the in-memory MinHash LSH index of the stories within the
// window. Each signature is cut into bands of rows values; two stories
// sharing any band are candidates, and candidates are scored by the
// fraction of equal MinHash values. With 32 bands of 2 rows a pair at
// Jaccard 0.45 (the least similar republication measured) is a candidate
// with probability 0.9993, a pair at 0.01 with 0.003.
//
// Layout is flat to stay near 1 KiB per story at a million stories:
// signatures in one []uint32 arena, band buckets as singly linked lists
// threaded through next (one int32 per story and band) from a map of list
// heads. Removal is lazy (a dead flag); the arena is rebuilt when half of
// it is dead.
type index struct {
	k, bands, rows int

	heads map[uint64]int32
	next  []int32  // slot*bands + band → next slot in that bucket, -1 ends
	sigs  []uint32 // slot*k .. slot*k+k
	slots []slot
	byID  map[string]int32

	live int
	// mark de-duplicates candidates across bands within one query.
	mark  []uint32
	epoch uint32
}

type slot struct {
	id    string
	first int64 // unix ns of first seen
	dead  bool
}

func newIndex(k, bands int) *index {
	return &index{k: k, bands: bands, rows: k / bands, heads: map[uint64]int32{}, byID: map[string]int32{}}
}

func (x *index) bandKey(b int, sig []uint32) uint64 {
	h := uint64(b+1) * 0x9e3779b97f4a7c15
	for _, v := range sig[b*x.rows : (b+1)*x.rows] {
		h = mix64(h ^ uint64(v))
	}
	return h
}

func (x *index) Len() int { return x.live }

// add indexes sig under id, replacing an earlier signature of id.
func (x *index) add(id string, first int64, sig []uint32) {
	if len(sig) != x.k {
		return
	}
	x.remove(id)
	s := int32(len(x.slots))
	x.slots = append(x.slots, slot{id: id, first: first})
	x.sigs = append(x.sigs, sig...)
	x.mark = append(x.mark, 0)
	for b := 0; b < x.bands; b++ {
		key := x.bandKey(b, sig)
		head, ok := x.heads[key]
		if !ok {
			head = -1
		}
		x.next = append(x.next, head)
		x.heads[key] = s
	}
	x.byID[id] = s
	x.live++
}

func (x *index) remove(id string) {
	s, ok := x.byID[id]
	if !ok {
		return
	}
	x.slots[s].dead = true
	delete(x.byID, id)
	x.live--
	x.maybeCompact()
}

// expire drops every story first seen before notBefore.
func (x *index) expire(notBefore int64) int {
	n := 0
	for i := range x.slots {
		if !x.slots[i].dead && x.slots[i].first < notBefore {
			x.slots[i].dead = true
			delete(x.byID, x.slots[i].id)
			x.live--
			n++
		}
	}
	x.maybeCompact()
	return n
}

func (x *index) maybeCompact() {
	dead := len(x.slots) - x.live
	if dead < 1024 || dead < x.live {
		return
	}
	old := *x
	*x = *newIndex(x.k, x.bands)
	for i, sl := range old.slots {
		if !sl.dead {
			x.add(sl.id, sl.first, old.sigs[i*x.k:(i+1)*x.k])
		}
	}
}

// query returns the most similar live story first seen at or after
// notBefore, excluding exclude, with its estimated similarity.
func (x *index) query(sig []uint32, notBefore int64, exclude string) (string, float64, bool) {
	if len(sig) != x.k || x.live == 0 {
		return "", 0, false
	}
	x.epoch++
	if x.epoch == 0 { // wrapped: clear stale marks
		clear(x.mark)
		x.epoch = 1
	}
	best, bestSim := int32(-1), -1.0
	for b := 0; b < x.bands; b++ {
		s, ok := x.heads[x.bandKey(b, sig)]
		if !ok {
			continue
		}
		for ; s >= 0; s = x.next[int(s)*x.bands+b] {
			if x.mark[s] == x.epoch {
				continue
			}
			x.mark[s] = x.epoch
			sl := &x.slots[s]
			if sl.dead || sl.first < notBefore || sl.id == exclude {
				continue
			}
			if sim := Similarity(sig, x.sigs[int(s)*x.k:(int(s)+1)*x.k]); sim > bestSim ||
				sim == bestSim && sl.first < x.slots[best].first { // ties: the earliest is the original
				best, bestSim = s, sim
			}
		}
	}
	if best < 0 {
		return "", 0, false
	}
	return x.slots[best].id, bestSim, true
}
