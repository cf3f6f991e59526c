package events

import (
	"cmp"
	"math"
	"slices"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
)

// posting is one entry of the inverted index: ev listed under a term
// while ev's centroid holds it with this seq.
type posting struct {
	ev  *event
	seq uint64
}

// addToCentroid adds v to ev's centroid, lists ev under the terms the
// centroid took and unlists it under those it let go of: an entry for a
// term the centroid no longer holds would be dropped by the next story
// that queried the term, but a term no story queries would keep its list,
// and its id, forever.
// q is v sorted by id (byID); the centroid keeps its limit strongest terms.
func (c *Clusterer) addToCentroid(ev *event, v vector, q []posTerm, limit int) {
	ev.ownTitle(c.terms) // the centroid stands for the title's vector no more
	ev.cent.add(v, q, limit, c.terms, &c.fb)
	for _, x := range c.fb.dropped {
		c.unindex(x.t, ev, x.seq)
	}
	for _, t := range c.fb.added {
		c.index(t, ev)
	}
}

// headlineCentroid is how many terms, in percent of CentroidTerms, an
// event's centroid keeps when a story without a text joins it. A
// headline brings a dozen terms, an article the StoryTerms most: a
// hundred terms hold the words of a few articles but, once an event is
// big, only its most repeated headline words, and the rare words that tie
// a headline on a facet of the story to the rest (a name, the slug's
// words) are the ones the cut drops first, leaving it nothing to share
// with the event. Articles keep CentroidTerms: a wider centroid of
// articles meets other events' common words (round 12: every event at
// 200 terms cost wikiref220 precision). 150 % gains what 200 % does on
// uci-dev; 200 % cost a tenth more CPU per headline (scoring longer
// centroids), 150 % nothing measurable (BENCHMARKS, round 13).
const headlineCentroid = 150

// centroidTerms is how many terms an event's centroid keeps when s
// joins it: CentroidTerms, or headlineCentroid percent of it for a story
// with neither body nor summary. It depends on the story alone, so a
// restored clusterer cuts as the one that wrote the state did.
func (c *Clusterer) centroidTerms(s *record.Story) int {
	if s.Body == "" && s.Summary == "" {
		return c.maxCentroidTerms()
	}
	return c.cfg.CentroidTerms
}

// maxCentroidTerms is the most terms a centroid keeps.
func (c *Clusterer) maxCentroidTerms() int {
	return c.cfg.CentroidTerms * headlineCentroid / 100
}

// unindex removes ev's entry seq from t's list, if the list still has it
// (MaxPostings may have cut it). A list is in entry order (index appends
// the next number, cuts keep the order, Restored sorts), so the entry is
// found by bisection: at most 8 steps in a list of MaxPostings 256.
func (c *Clusterer) unindex(t termID, ev *event, seq uint64) {
	list := c.postingsOf(t)
	i, ok := slices.BinarySearchFunc(list, seq, func(p posting, seq uint64) int { return cmp.Compare(p.seq, seq) })
	if !ok || list[i].ev != ev {
		return
	}
	n := copy(list[i:], list[i+1:])
	list[i+n] = posting{}
	c.setPostings(t, list[:i+n])
}

// index lists ev under term t, dropping the oldest entry past MaxPostings:
// a term shared by that many events no longer tells them apart, and the
// newest events are the likeliest to take the next story.
func (c *Clusterer) index(t termID, ev *event) {
	list := c.postingsOf(t)
	if len(list) == 0 {
		c.terms.acquire(t) // the list holds t while it is not empty
		list = c.one[:0]   // its one entry goes into the slot: no array
	}
	if len(list) >= c.cfg.MaxPostings {
		n := copy(list, list[len(list)-c.cfg.MaxPostings+1:])
		clear(list[n:])
		list = list[:n]
	}
	seq := c.postSeq
	c.postSeq++
	j, _ := ev.cent.find(t) // centroid.add keeps what it reports added
	ev.cent.seq[j] = seq
	if int(t) >= len(c.postings) {
		c.postings = append(c.postings, make([]postingSlot, c.terms.span()-len(c.postings))...)
	}
	if len(list) == 1 && !c.postings[t].spilled() {
		// the second entry: the list leaves the slot for an array of its own
		list = append(c.newList(), list[0])
	}
	c.setPostings(t, append(list, posting{ev, seq}))
}

// maxSpare bounds the emptied lists kept for reuse (Clusterer.spare).
const maxSpare = 4096

// postingSlot is a term's place in the inverted index: 16 bytes, where a
// slice header was 24 and a list of one entry an array of 16 more. Most
// terms a live event's centroid holds are held by one or two events (a
// name, a rare word; at 20,000 unrelated events 37 % of the lists held one
// entry, 29 % two), so a list of one entry lies in the slot itself; from
// two on it has an array of its own, which the slot points to until the
// list is empty (BENCHMARKS.md,
// round 41: evmem41). The two are told apart by the pointer's low bit: an
// event is 8-byte aligned, and a list's pointer is its array's first byte
// plus one, which still points into the array (so the collector keeps it)
// and is never read through. Any seq a log restores fits, as before.
type postingSlot struct {
	p    unsafe.Pointer // the one entry's *event; or listTag + the list's array; nil: empty
	word uint64         // the one entry's seq; or the list's capacity << 32 | its length
}

const listTag = 1

// spilled reports whether the slot points to a list's array.
func (s postingSlot) spilled() bool { return uintptr(s.p)&listTag != 0 }

// list is a spilled slot's list.
func (s postingSlot) list() []posting {
	arr := (*posting)(unsafe.Add(s.p, -listTag))
	return unsafe.Slice(arr, int(s.word>>32))[:uint32(s.word)]
}

// slotOf is the slot holding list: in the slot itself if it has one
// entry and inSlot, in its array otherwise.
func slotOf(list []posting, inSlot bool) postingSlot {
	switch {
	case len(list) == 0:
		return postingSlot{}
	case len(list) == 1 && inSlot:
		return postingSlot{unsafe.Pointer(list[0].ev), list[0].seq}
	}
	if cap(list) > math.MaxUint32 {
		panic("events: a postings list past 2^32 entries")
	}
	return postingSlot{unsafe.Add(unsafe.Pointer(unsafe.SliceData(list)), listTag), uint64(cap(list))<<32 | uint64(len(list))}
}

// newList is an empty array for a list that leaves its slot: an emptied
// list's, or a new one.
func (c *Clusterer) newList() []posting {
	if n := len(c.spare); n > 0 {
		list := c.spare[n-1]
		c.spare[n-1] = nil
		c.spare = c.spare[:n-1]
		return list
	}
	return make([]posting, 0, 2)
}

// postingsOf is t's list in the inverted index. A list held in its slot
// is given as a copy in c.one: the caller may cut or compact what it is
// given, in place, and hand the result to setPostings, as with a list of
// its own; c.one is good until the next call.
func (c *Clusterer) postingsOf(t termID) []posting {
	if int(t) >= len(c.postings) {
		return nil
	}
	s := c.postings[t]
	switch {
	case s.spilled():
		return s.list()
	case s.p != nil:
		c.one[0] = posting{(*event)(s.p), s.word}
		return c.one[:1:1]
	}
	return nil
}

// setPostings replaces t's list with list, which is what postingsOf gave
// cut down, compacted or appended to (an emptied list lets go of t). A
// list that has an array keeps it down to one entry, as a slice did: a
// list that falls to one and grows again would otherwise take an array
// from c.spare, often one too small, and grow it (5 more allocations a
// story on the news stream, measured); an emptied list's array goes to
// c.spare.
func (c *Clusterer) setPostings(t termID, list []posting) {
	if int(t) >= len(c.postings) {
		return // t had no list, and list is empty
	}
	s := &c.postings[t]
	old := *s
	*s = slotOf(list, !old.spilled())
	if old.spilled() && len(list) == 0 {
		// a term's list is made anew when events take it again, so its
		// array goes to the next list that leaves its slot: lists come
		// and go with the events, and each was one to four allocations
		// as it grew
		arr := old.list()
		clear(arr)
		if len(c.spare) < maxSpare {
			c.spare = append(c.spare, arr[:0])
		}
	}
	if len(list) == 0 && old.p != nil {
		c.terms.release(t)
	}
	// the copy postingsOf gave is scratch: holding its event past here
	// would keep one the index let go of alive
	c.one[0] = posting{}
}
