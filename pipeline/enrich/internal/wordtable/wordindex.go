package wordtable

// wordIndex is the table's keys by number, as Note probes them: an
// open-addressing array whose slot holds a key's first 8 bytes and its
// length beside its number. Note asks it of every word a story's shapes
// do not rule out (≈ half an article's words: its stopwords and listed
// words); most of them are 8 bytes or shorter, told by one slot's
// comparison, with a multiply for a hash, where the map hashed the string
// with the runtime's hash, probed a group and compared the key's bytes
// behind a pointer.
type wordIndex struct {
	slots []wordSlot // a power of two long, at most a quarter full
	shift uint       // 64 − log2(len(slots)): a hash's top bits pick the slot
	// long holds each key longer than 8 bytes by number: its bytes after
	// the 8 of its slot's head are compared there
	long []string
	// empty is the number of the key "", if the lists hold it
	empty      uint16
	emptyFound bool
}

type wordSlot struct {
	head uint64 // the key's first 8 bytes, little-endian, 0-padded
	n    uint32 // the key's length; 0 for an empty slot
	id   uint16
}

// head is w's first 8 bytes, little-endian, 0-padded.
func head(w string) uint64 {
	var k uint64
	for i := range min(len(w), 8) {
		k |= uint64(w[i]) << (8 * i)
	}
	return k
}

const mix = 0x9E3779B97F4A7C15 // 2^64 / φ: a multiplicative hash's factor

// wordHash hashes w, whose head is hd: one multiply for a word of 8 bytes
// or less, one more for each 8 after.
func wordHash(w string, hd uint64) uint64 {
	h := (hd ^ uint64(len(w))<<56) * mix
	for i := 8; i < len(w); i += 8 {
		h = (h ^ h>>29 ^ head(w[i:])) * mix
	}
	return h
}

func newWordIndex(ids map[string]uint16) wordIndex {
	size, shift := 1, uint(64)
	for size < 4*len(ids) {
		size, shift = 2*size, shift-1
	}
	x := wordIndex{slots: make([]wordSlot, size), shift: shift}
	for w, id := range ids {
		if w == "" {
			x.empty, x.emptyFound = id, true
			continue
		}
		if len(w) > 8 {
			for int(id) >= len(x.long) {
				x.long = append(x.long, "")
			}
			x.long[id] = w
		}
		hd := head(w)
		mask := uint64(size - 1)
		i := wordHash(w, hd) >> shift // 0 when shift is 64
		for x.slots[i].n != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = wordSlot{head: hd, n: uint32(len(w)), id: id}
	}
	return x
}

// find is ids[w], ok for the ids the index was made of.
func (x *wordIndex) find(w string) (uint16, bool) {
	if w == "" {
		return x.empty, x.emptyFound
	}
	hd := head(w)
	mask := uint64(len(x.slots) - 1)
	i := wordHash(w, hd) >> x.shift
	for {
		s := &x.slots[i]
		if s.n == 0 {
			return 0, false
		}
		if s.head == hd && int(s.n) == len(w) && (len(w) <= 8 || x.long[s.id][8:] == w[8:]) {
			return s.id, true
		}
		i = (i + 1) & mask
	}
}
