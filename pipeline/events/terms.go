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
	terms []string // by id; "" when free
	refs  []int32  // by id; -1 when free
	free  []termID // freed ids, reused first
	zero  []termID // ids whose count reached zero since the last sweep (repeats allowed)

	// table finds a text's id: open addressing with linear probing over
	// one hash of the text (maphash, seed), each slot holding the text's
	// first 8 bytes, its length and more bits of its hash beside the id.
	// A word of 8 bytes or fewer — most of a story's — is matched in its
	// slot without reading its text, and a word is hashed once: a
	// map[string]termID hashed it again behind a cache of recent texts,
	// and its probe was 11 % of the events stage (BENCHMARKS.md, round 36).
	table []termSlot // a power of two long, at most half full
	used  int        // slots in use
	seed  maphash.Seed

	// recent is a direct-mapped cache of the table's slots by the same
	// hash, in front of it for internBytes: a story's words are mostly
	// the stream's common ones, which stay here, and this small array
	// stays in the cache where the table's slots do not (BENCHMARKS.md,
	// rounds 29 and 36). remove clears an entry before its id is freed.
	recent []termSlot

	// cmp is compareTerms over this dictionary's texts, made once so a
	// sort does not build a closure per call.
	cmp func(a, b term) int
}

// termSlot is an entry of dict.table.
type termSlot struct {
	pre uint64 // the text's first 8 bytes, little-endian, zero past its end
	tag uint32 // the hash's bits 40–63, and the text's length (255: 255 or more) in the low byte
	id  uint32 // 1 + the term's id; 0: an empty slot
}

// minTable is the length of a new dictionary's table.
const minTable = 1 << 10

func newDict() *dict {
	d := &dict{table: make([]termSlot, minTable), recent: make([]termSlot, recentSize), seed: maphash.MakeSeed()}
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
	if id, ok := find(d, s, h); ok {
		return id
	}
	return d.add(strings.Clone(s), h)
}

// internBytes is intern of a key built in a scratch buffer: the lookup
// converts nothing, a new key is copied.
func (d *dict) internBytes(b []byte) termID {
	h := maphash.Bytes(d.seed, b)
	r := &d.recent[h&(recentSize-1)]
	if r.id != 0 && r.tag == slotTag(h, len(b)) && r.pre == prefix(b) && (len(b) <= 8 || d.terms[r.id-1] == string(b)) {
		return termID(r.id - 1)
	}
	id, ok := find(d, b, h)
	if !ok {
		id = d.add(string(b), h)
	}
	*r = termSlot{pre: prefix(b), tag: slotTag(h, len(b)), id: uint32(id) + 1}
	return id
}

// recentSize is the number of entries of dict.recent, a power of two.
const recentSize = 1 << 13

// find returns the id of the text s, whose hash is h.
func find[S ~string | ~[]byte](d *dict, s S, h uint64) (termID, bool) {
	pre, tag := prefix(s), slotTag(h, len(s))
	mask := uint64(len(d.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := &d.table[i]
		if e.id == 0 {
			return 0, false
		}
		if e.tag == tag && e.pre == pre && (len(s) <= 8 || d.terms[e.id-1] == string(s)) {
			return termID(e.id - 1), true
		}
	}
}

// prefix is s's first 8 bytes, little-endian, zero past its end.
func prefix[S ~string | ~[]byte](s S) uint64 {
	if len(s) >= 8 {
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	var p uint64
	for i := len(s) - 1; i >= 0; i-- {
		p = p<<8 | uint64(s[i])
	}
	return p
}

// slotTag is a slot's tag for a text of n bytes whose hash is h. With the
// length in it, equal prefixes and tags are equal texts up to 8 bytes.
func slotTag(h uint64, n int) uint32 {
	return uint32(h>>32)&^0xff | uint32(min(n, 0xff))
}

func (d *dict) add(s string, h uint64) termID {
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
	if 2*(d.used+1) > len(d.table) {
		d.grow()
	}
	d.place(s, h, id)
	d.used++
	d.zero = append(d.zero, id)
	return id
}

// place puts id, the id of s whose hash is h, in the first empty slot from
// its home.
func (d *dict) place(s string, h uint64, id termID) {
	mask := uint64(len(d.table) - 1)
	i := h & mask
	for d.table[i].id != 0 {
		i = (i + 1) & mask
	}
	d.table[i] = termSlot{pre: prefix(s), tag: slotTag(h, len(s)), id: uint32(id) + 1}
}

// grow doubles the table, placing every term anew.
func (d *dict) grow() {
	old := d.table
	d.table = make([]termSlot, 2*len(old))
	for _, e := range old {
		if e.id != 0 {
			s := d.terms[e.id-1]
			d.place(s, maphash.String(d.seed, s), termID(e.id-1))
		}
	}
}

// remove takes id's slot out of the table, moving back the slots after it
// that could not be placed at their home while it was taken, so a probe
// still ends at the first empty slot (backward-shift deletion).
func (d *dict) remove(id termID) {
	s := d.terms[id]
	h := maphash.String(d.seed, s)
	if r := &d.recent[h&(recentSize-1)]; r.id == uint32(id)+1 {
		*r = termSlot{}
	}
	mask := uint64(len(d.table) - 1)
	i := h & mask
	for d.table[i].id != uint32(id)+1 {
		i = (i + 1) & mask
	}
	for j := i; ; {
		j = (j + 1) & mask
		e := d.table[j]
		if e.id == 0 {
			break
		}
		home := maphash.String(d.seed, d.terms[e.id-1]) & mask
		// e may move to the hole at i when its home is not in (i, j]
		if (j-home)&mask >= (j-i)&mask {
			d.table[i] = e
			i = j
		}
	}
	d.table[i] = termSlot{}
	d.used--
}

// lookup returns s's id when s has one.
func (d *dict) lookup(s string) (termID, bool) {
	return find(d, s, maphash.String(d.seed, s))
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
		d.remove(id)
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
