package events

import (
	"hash/maphash"
	"strings"
)

// termID numbers a term — a word, an entity key, a keyword — while
// anything holds it, so the hot path hashes a term's text once per story
// (to find its id) and every later step (document frequencies, vectors,
// centroids, the inverted index) works on small integers: string-keyed
// map operations were most of the cost of assigning a story.
type termID uint32

// dict numbers terms and counts who holds each id: the document-frequency
// table while it has the term, every centroid entry and title-vector
// entry naming it, and its inverted-index list while that is not empty.
// An id is freed when the count falls to zero, so the table stays as
// small as what is held, and a term forgotten by the document
// frequencies keeps its id as long as a centroid still has it (the
// frequencies are halved and pruned while events live on).
//
// An id whose count falls to zero is only freed by sweep, which the
// clusterer calls where no story's terms are in flight: a story's new
// terms have no holder until its counts are added, and a halving may drop
// one of them from the frequencies before its centroid takes it.
//
// Ids never reach the state log or any output: those name terms by their
// text, so the format is the same as before ids and a log restores across
// versions. Everything ordered by term — ties between equal weights,
// float sums taken in key order — compares the texts, so decisions are
// those the text-keyed maps made.
type dict struct {
	ids   termIndex // text → id
	terms []string  // by id; "" when free
	refs  []int32   // by id; -1 when free
	free  []termID  // freed ids, reused first
	zero  []termID  // ids whose count reached zero since the last sweep (repeats allowed)

	// recent is a direct-mapped cache of ids by their text's hash, in
	// front of ids for internBytes: a story's words are mostly the
	// stream's common ones, which stay here, and one probe of this small
	// table costs less than one of the large map, whose groups are not in
	// the cache (BENCHMARKS.md, round 29). An entry names an id that has
	// that text; sweep clears an entry before its id is freed.
	recent []recentTerm
	seed   maphash.Seed

	// cmp is compareTerms over this dictionary's texts, made once so a
	// sort does not build a closure per call.
	cmp func(a, b term) int
}

func newDict() *dict {
	d := &dict{recent: make([]recentTerm, recentSize), seed: maphash.MakeSeed()}
	d.ids.init(1024)
	d.cmp = func(a, b term) int {
		if a.w != b.w {
			if a.w > b.w {
				return -1
			}
			return 1
		}
		return strings.Compare(d.terms[a.id], d.terms[b.id])
	}
	return d
}

// intern returns s's id, numbering it if it has none. A new id has no
// holder yet: its count is zero until acquired, and sweep frees it if
// nothing did by then. s is copied when stored: a story's words are
// slices of its whole text, which a term must not keep alive.
func (d *dict) intern(s string) termID {
	h := maphash.String(d.seed, s)
	if id, ok := d.ids.find(h, s, d.terms); ok {
		return id
	}
	return d.add(h, strings.Clone(s))
}

// internBytes is intern of a key built in a scratch buffer: the lookup
// converts without allocating, a new key is copied.
func (d *dict) internBytes(b []byte) termID {
	h := maphash.Bytes(d.seed, b)
	r := &d.recent[h&(recentSize-1)]
	if r.text == string(b) && len(b) > 0 {
		return r.id
	}
	id, ok := d.ids.find(h, string(b), d.terms)
	if !ok {
		id = d.add(h, string(b))
	}
	r.text, r.id = d.terms[id], id
	return id
}

// recentSize is the number of entries of dict.recent, a power of two.
const recentSize = 1 << 13

// recentTerm is an entry of dict.recent: "" when empty.
type recentTerm struct {
	text string
	id   termID
}

// add numbers s, whose hash is h (maphash with d.seed).
func (d *dict) add(h uint64, s string) termID {
	var id termID
	if n := len(d.free); n > 0 {
		id = d.free[n-1]
		d.free = d.free[:n-1]
		d.terms[id], d.refs[id] = s, 0
	} else {
		id = termID(len(d.terms))
		d.terms = append(d.terms, s)
		d.refs = append(d.refs, 0)
	}
	d.ids.insert(h, id)
	d.zero = append(d.zero, id)
	return id
}

// lookup returns s's id when s has one.
func (d *dict) lookup(s string) (termID, bool) {
	return d.ids.find(maphash.String(d.seed, s), s, d.terms)
}

func (d *dict) term(id termID) string { return d.terms[id] }

func (d *dict) acquire(id termID) { d.refs[id]++ }

func (d *dict) release(id termID) {
	if d.refs[id]--; d.refs[id] == 0 {
		d.zero = append(d.zero, id)
	}
}

// sweep frees the ids whose count is still zero.
func (d *dict) sweep() {
	for _, id := range d.zero {
		if d.refs[id] != 0 {
			continue // held again, or freed already (-1)
		}
		h := maphash.String(d.seed, d.terms[id])
		if r := &d.recent[h&(recentSize-1)]; r.id == id && r.text != "" {
			*r = recentTerm{}
		}
		d.ids.remove(h, id)
		d.terms[id], d.refs[id] = "", -1
		d.free = append(d.free, id)
	}
	d.zero = d.zero[:0]
}

// len is the number of ids in use.
func (d *dict) len() int { return len(d.terms) - len(d.free) }

// span is one past the highest id ever handed out: the length a table
// indexed by id needs.
func (d *dict) span() int { return len(d.terms) }
