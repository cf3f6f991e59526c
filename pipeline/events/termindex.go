package events

// termIndex finds a term's id by its text: an open-addressing table of 8-byte
// slots, each an id and the low 32 bits of its text's hash, probed
// linearly from the slot the hash picks. It replaces a map[string]termID,
// which held a string header, the id and the map's own overhead per term
// — 19 to 40 bytes a term as the map filled and doubled, where this is 8
// bytes a slot at a load of ⅜ to ¾ (11 to 21 bytes a term). The texts are
// the dictionary's (dict.terms, by id): the slot's hash bits tell most
// other terms apart without reading their text, so a probe reads a text
// only on a match of 32 bits.
//
// Which id a text has is the dictionary's (dict.add numbers them), so
// decisions are as they were with the map: the index only finds ids.
type termIndex struct {
	slots []uint64 // hash<<32 | id+1; 0 when empty
	n     int      // slots in use
}

func (x *termIndex) init(size int) { x.slots, x.n = make([]uint64, size), 0 }

// find returns the id of text s, whose hash is h, when it has one; terms
// are the texts by id.
func (x *termIndex) find(h uint64, s string, terms []string) (termID, bool) {
	mask := uint32(len(x.slots) - 1)
	tag := uint32(h)
	for i := tag & mask; ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return 0, false
		}
		if uint32(v>>32) == tag {
			if id := termID(uint32(v) - 1); terms[id] == s {
				return id, true
			}
		}
	}
}

// insert adds id, whose text (not in the index) hashes to h.
func (x *termIndex) insert(h uint64, id termID) {
	if 4*(x.n+1) > 3*len(x.slots) {
		x.grow()
	}
	x.put(uint64(uint32(h))<<32 | (uint64(id) + 1))
	x.n++
}

func (x *termIndex) put(v uint64) {
	mask := uint32(len(x.slots) - 1)
	i := uint32(v>>32) & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = v
}

// grow doubles the table: a slot's hash bits give its new place, no
// text is hashed again.
func (x *termIndex) grow() {
	old := x.slots
	x.slots = make([]uint64, 2*len(old))
	for _, v := range old {
		if v != 0 {
			x.put(v)
		}
	}
}

// remove drops id, whose text hashes to h, and moves back the slots after
// it that would otherwise no longer be found from their own (backward-shift
// deletion: no tombstones, so a table of turning vocabulary stays as full
// as what it holds).
func (x *termIndex) remove(h uint64, id termID) {
	mask := uint32(len(x.slots) - 1)
	want := uint64(uint32(h))<<32 | (uint64(id) + 1)
	i := uint32(h) & mask
	for x.slots[i] != want {
		if x.slots[i] == 0 {
			return // not held
		}
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		v := x.slots[j]
		if v == 0 {
			break
		}
		// v may fill the hole at i when its home is not in (i, j]
		if home := uint32(v>>32) & mask; (j-home)&mask >= (j-i)&mask {
			x.slots[i] = v
			i = j
		}
	}
	x.slots[i] = 0
	x.n--
}
