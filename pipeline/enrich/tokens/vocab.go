package tokens

// Vocab numbers a fixed set of lower-case words, so that a story's
// words are looked up once, when its fields are split, and every step
// that built its tables over the same vocabulary reads a word's facts by
// its number (an array index) instead of hashing the word again in a
// table of its own. A Vocab is not changed after NewVocab and may be read
// concurrently.
type Vocab struct {
	// slots is an open-addressed table by hash(word), a power of two at
	// least twice the words: each slot the word's ID (0: empty) in the
	// low half and its hash in the high half, so that a word not held —
	// most of a story's — mostly meets an empty slot or another hash
	// at once, without reading the other word. A Go map probe per word
	// cost as much as the lookups it was to spare.
	slots  []uint64
	mask   uint32
	maxLen int      // the longest word's bytes: a longer word is none of them
	words  []string // by ID; the first two unused
}

// hash is FNV-1a over w's bytes: a story's words are short, and a
// multiply per byte inlined is cheaper than a call to the runtime's hash.
func hash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h
}

// Token.ID values that are no word of the vocabulary.
const (
	// NotMarked: no vocabulary numbered the token (a step looks the word
	// up in its own table).
	NotMarked uint32 = 0
	// OutOfVocab: the vocabulary that numbered the token does not hold
	// the word, so no table built over it does either.
	OutOfVocab uint32 = 1
)

// NewVocab numbers every word of words, each once.
func NewVocab(words ...[]string) *Vocab {
	n := 0
	for _, ws := range words {
		n += len(ws)
	}
	size := 64
	for size < 2*n {
		size *= 2
	}
	v := &Vocab{slots: make([]uint64, size), mask: uint32(size - 1), words: make([]string, 2, n+2)}
	for _, ws := range words {
		for _, w := range ws {
			if v.ID(w) != OutOfVocab {
				continue // listed twice
			}
			h := hash(w)
			i := h & v.mask
			for v.slots[i] != 0 {
				i = (i + 1) & v.mask
			}
			v.slots[i] = uint64(h)<<32 | uint64(len(v.words))
			v.words = append(v.words, w)
			v.maxLen = max(v.maxLen, len(w))
		}
	}
	return v
}

// Len is one more than the largest ID: the length of a table indexed by
// the vocabulary's IDs.
func (v *Vocab) Len() int { return len(v.words) }

// ID is w's number, or OutOfVocab.
func (v *Vocab) ID(w string) uint32 {
	if len(w) > v.maxLen {
		return OutOfVocab
	}
	h := hash(w)
	for i := h & v.mask; v.slots[i] != 0; i = (i + 1) & v.mask {
		if s := v.slots[i]; uint32(s>>32) == h && v.words[uint32(s)] == w {
			return uint32(s)
		}
	}
	return OutOfVocab
}

// Word is the word numbered id ("" for NotMarked and OutOfVocab).
func (v *Vocab) Word(id uint32) string { return v.words[id] }

// Mark numbers f's tokens by their Lower and returns f marked as numbered
// by v.
func (v *Vocab) Mark(f Field) Field {
	for i := range f.Tokens {
		f.Tokens[i].ID = v.ID(f.Tokens[i].Lower)
	}
	f.Vocab = v
	return f
}
