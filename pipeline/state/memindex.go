package state

// hashIndex maps an entry hash (maphash of table and key, so its bits
// are already spread) to the newest live memory-log entry of that hash:
// an open-addressing table probed linearly from the hash's low bits. It
// replaces a map[uint64]int, whose probe, assign and growth were two
// thirds of the memory log's CPU over articles (≈ 250 kept entries an
// article, measured in `process` before it kept none): here a lookup
// finds the slot a later set or delete reuses, growing copies 12 bytes
// a slot without hashing again, and no hash is computed twice.
type hashIndex struct {
	hashes []uint64
	refs   []int32 // entry index + 1; 0: an empty slot
	n      int     // slots in use
}

// find returns the slot of h: where it is, or the empty slot where it
// would go.
func (x *hashIndex) find(h uint64) int {
	mask := len(x.refs) - 1
	i := int(h) & mask
	for x.refs[i] != 0 && x.hashes[i] != h {
		i = (i + 1) & mask
	}
	return i
}

// get returns the entry at slot i (from find), or -1 if it is empty.
func (x *hashIndex) get(i int) int { return int(x.refs[i]) - 1 }

// reserve makes room for one more hash, so that a slot from find stays
// valid through a set. Call it before find.
func (x *hashIndex) reserve() {
	if 4*(x.n+1) <= 3*len(x.refs) {
		return
	}
	hashes, refs := x.hashes, x.refs
	size := max(1024, 2*len(refs))
	x.hashes, x.refs = make([]uint64, size), make([]int32, size)
	for i, r := range refs {
		if r != 0 {
			j := x.find(hashes[i])
			x.hashes[j], x.refs[j] = hashes[i], r
		}
	}
}

// set points slot i (from find, after reserve) of hash h at entry e.
func (x *hashIndex) set(i int, h uint64, e int) {
	if x.refs[i] == 0 {
		x.n++
	}
	x.hashes[i], x.refs[i] = h, int32(e+1)
}

// remove empties slot i, moving back the hashes after it that probed past
// it, so that every hash stays reachable from its home slot.
func (x *hashIndex) remove(i int) {
	mask := len(x.refs) - 1
	for j := (i + 1) & mask; x.refs[j] != 0; j = (j + 1) & mask {
		// the hash at j may move to i when i lies on its probe path:
		// from its home slot to j, cyclically
		home := int(x.hashes[j]) & mask
		if (j-home)&mask >= (j-i)&mask {
			x.hashes[i], x.refs[i] = x.hashes[j], x.refs[j]
			i = j
		}
	}
	x.hashes[i], x.refs[i] = 0, 0
	x.n--
}

// reset empties the index, keeping its slots.
func (x *hashIndex) reset() {
	clear(x.hashes)
	clear(x.refs)
	x.n = 0
}

// len is the number of hashes held.
func (x *hashIndex) len() int { return x.n }
