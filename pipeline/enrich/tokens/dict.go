package tokens

import (
	"hash/maphash"
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
	seed  maphash.Seed
	slots []uint64 // tag<<32 | number; 0 = empty
	mask  uint64
	words []string // by number; words[0] and words[1] are unused
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
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	size := 64
	for size < 2*n { // at most half full: probe sequences stay short
		size <<= 1
	}
	d := &Dict{seed: maphash.MakeSeed(), slots: make([]uint64, size), mask: uint64(size - 1), words: []string{"", ""}}
	for _, l := range lists {
		for _, w := range l {
			d.add(w)
		}
	}
	return d
}

func (d *Dict) add(w string) {
	h := maphash.String(d.seed, w)
	tag := h >> 32
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			d.words = append(d.words, w)
			d.slots[i] = tag<<32 | uint64(len(d.words)-1)
			return
		}
		if s>>32 == tag && d.words[uint32(s)] == w {
			return // already numbered
		}
	}
}

// ID is w's number, or Miss.
func (d *Dict) ID(w string) uint32 {
	h := maphash.String(d.seed, w)
	tag := h >> 32
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			return Miss
		}
		if s>>32 == tag && d.words[uint32(s)] == w {
			return uint32(s)
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
func (d *Dict) AppendMarked(out []Token, s string) []Token {
	base := len(out)
	out = AppendSplit(out, s)
	if d == nil {
		return out
	}
	for i := base; i < len(out); i++ {
		out[i].Word = d.ID(out[i].Key())
	}
	return out
}
