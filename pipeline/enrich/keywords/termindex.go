package keywords

import "hash/maphash"

// termIndex finds a story's terms by their text: an open-addressing table
// of term numbers, in place of the map[string]int it replaced. Collect
// asks it of every content word and every pair of a story (add, addBuf),
// most of them new; a map hashed each key, probed a group and, for a new
// key, hashed it again to insert it. Here a key is hashed once, its hash
// kept: the slot holds the hash's high half beside the term's number, so a
// probe compares the text only when the halves agree, and a growth or a
// reset re-places terms by their kept hashes without reading their texts.
type termIndex struct {
	// slots: 0 is empty; else the key's hash >> 32 << 32 | term number + 1.
	// A power of two long, at most half full.
	slots []uint64
	// hashes holds each term's hash, by term number.
	hashes []uint64
}

var termSeed = maphash.MakeSeed()

// termHash is the hash the index files key under.
func termHash(key string) uint64 { return maphash.String(termSeed, key) }

// termHashBytes is termHash(string(b)), without the string.
func termHashBytes(b []byte) uint64 { return maphash.Bytes(termSeed, b) }

// find returns the number of the term whose text is key (h = termHash(key))
// among terms, the set's terms by number.
func (x *termIndex) find(terms []term, key string, h uint64) (int, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == tag {
			if n := int(uint32(s)) - 1; terms[n].text == key {
				return n, true
			}
		}
	}
}

// insert files term number n (the next: len of the terms filed so far)
// under hash h; its key is not filed.
func (x *termIndex) insert(h uint64, n int) {
	if 2*(n+1) > len(x.slots) {
		x.grow()
	}
	x.hashes = append(x.hashes, h)
	x.place(h, n)
}

func (x *termIndex) place(h uint64, n int) {
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = h>>32<<32 | uint64(n+1)
}

// minTermSlots holds a headline's terms without a growth.
const minTermSlots = 64

func (x *termIndex) grow() {
	x.slots = make([]uint64, max(minTermSlots, 2*len(x.slots)))
	for n, h := range x.hashes {
		x.place(h, n)
	}
}

// maxKeptTermSlots bounds the table a pooled set keeps (128 KB): a long
// article's terms, not an outlier's.
const maxKeptTermSlots = 16 << 10

// reset empties the index for another story. A table much larger than
// the story's terms is cleared slot by slot where its terms are, so a
// headline read after an article does not clear the article's table.
func (x *termIndex) reset() {
	switch {
	case len(x.slots) > maxKeptTermSlots:
		x.slots = nil
	case 8*len(x.hashes) >= len(x.slots):
		clear(x.slots)
	default:
		mask := uint64(len(x.slots) - 1)
		for n, h := range x.hashes {
			// the term's slot is at or after its hash's; the slots
			// before it on the way may be cleared already
			i := h & mask
			for x.slots[i] != h>>32<<32|uint64(n+1) {
				i = (i + 1) & mask
			}
			x.slots[i] = 0
		}
	}
	x.hashes = x.hashes[:0]
}
