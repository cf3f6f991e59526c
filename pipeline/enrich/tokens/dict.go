package tokens

import (
	"math/bits"
	"strings"
)

// Dict numbers the words the enrichment stages keep tables about, once, at
// start-up, so that a story's words are looked up once when it is split
// (AppendMarked) and each stage then reads its facts about a word from an
// array indexed by the word's number (Token.Word) instead of probing its
// own string-keyed map again.
//
// Why a table of its own and not a map[string]uint32: most of a story's
// words are in no stage's table (names, content words), so most lookups
// miss. Here a miss costs one load from a flat array of 8-byte slots (the
// word's 32-bit hash tag and its number): a slot whose tag differs ends
// the probe without reading any string. A Go map reads its control word
// and then the slot's key header and bytes for every tag that matches.
// Hits compare the word once, as a map does.
//
// A key is a token's Key (its Lower without a trailing "'s"): the form
// keywords and topics look a plain word up by. A stage whose own form of a
// word differs from the Key (edge punctuation trimmed, an elided article
// dropped) looks that form up itself, as it did before.
//
// A Dict is read-only after NewDict and safe for concurrent use.
type Dict struct {
	slots  []uint32 // tag<<idBits | number; 0 = empty
	mask   uint64
	idBits uint     // bits of a slot holding the number; the rest is the tag
	words  []string // by number; words[0] and words[1] are unused
	// short holds a word of up to 7 bytes packed (packShort) by number,
	// 0 for a longer one: most hits (stopwords) compare one integer
	// instead of reading the word's bytes wherever the heap put them.
	short []uint64
}

// Token.Word values: Unmarked for a token no Dict has read (a stage looks
// its word up by string), Miss for one whose Key no word of the Dict is.
// Every other value is the number of the token's Key in the Dict that
// marked it.
const (
	Unmarked uint32 = 0
	Miss     uint32 = 1
)

// NewDict numbers every distinct word of the lists, in the order given,
// from 2.
func NewDict(lists ...[]string) *Dict {
	n := 2
	for _, l := range lists {
		n += len(l)
	}
	size := 64
	for size < n+n/2 { // at most two thirds full
		size <<= 1
	}
	idBits := uint(bits.Len(uint(n)))
	if idBits > 24 {
		panic("tokens: a Dict numbers at most 2^24 words")
	}
	d := &Dict{slots: make([]uint32, size), mask: uint64(size - 1), idBits: idBits, words: []string{"", ""}, short: []uint64{0, 0}}
	for _, l := range lists {
		for _, w := range l {
			d.add(w)
		}
	}
	return d
}

// probe hashes w: its first slot, its tag (the hash's top bits) and w
// packed when it is short (packShort), in one pass over its bytes. The
// hash is FNV-1a, inlined. No seed is needed: nothing is added after
// NewDict, so no input can lengthen a probe beyond the table's longest
// run of full slots.
func (d *Dict) probe(w string) (slot uint64, tag uint32, packed uint64) {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(w[i])) * 1099511628211
		packed = packed<<8 | uint64(w[i])
	}
	if len(w) > 7 {
		packed = 0
	} else {
		packed |= uint64(len(w)+1) << 56
	}
	h ^= h >> 29 // FNV's low bits mix poorly: the slot is taken from them
	return h & d.mask, uint32(h>>(64-(32-d.idBits))) << d.idBits, packed
}

// is reports whether the word numbered id is w, packed as probe packs it.
func (d *Dict) is(id uint32, w string, packed uint64) bool {
	if packed != 0 {
		return d.short[id] == packed
	}
	return d.words[id] == w
}

func (d *Dict) add(w string) {
	i, tag, packed := d.probe(w)
	idMask := uint32(1)<<d.idBits - 1
	for ; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			d.words = append(d.words, w)
			d.short = append(d.short, packed)
			d.slots[i] = tag | uint32(len(d.words)-1)
			return
		}
		if s&^idMask == tag && d.is(s&idMask, w, packed) {
			return // already numbered
		}
	}
}

// ID is w's number, or Miss.
func (d *Dict) ID(w string) uint32 {
	i, tag, packed := d.probe(w)
	idMask := uint32(1)<<d.idBits - 1
	for ; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			return Miss
		}
		if s&^idMask == tag && d.is(s&idMask, w, packed) {
			return s & idMask
		}
	}
}

// Len is one more than the largest number: the length of a table indexed
// by Token.Word.
func (d *Dict) Len() int { return len(d.words) }

// Word is the word numbered id (id ≥ 2).
func (d *Dict) Word(id uint32) string { return d.words[id] }

// Key is the form a Dict numbers a token by: its Lower without a
// trailing possessive "'s".
func (t Token) Key() string { return strings.TrimSuffix(t.Lower, "'s") }

// AppendMarked is AppendSplit with each new token's Word set to its Key's
// number in d; a nil Dict marks nothing.
func (d *Dict) AppendMarked(out []Token, s string) []Token { return appendSplit(out, s, d) }
