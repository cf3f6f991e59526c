package dedupe

import "math/rand/v2"

// Two open-addressing hash tables with linear probing and backward-shift
// deletion (no tombstones), sized by Lemire's multiply-shift range
// reduction so a table can be any length: a slotMap grows by half, not
// double, and stays 53–80 % full; a pairMap (the alias table, three cells
// a story of 12 bytes each) grows by a quarter and stays 64–80 % full.
// Keys are 64-bit hkeys; 0 marks an empty cell.
//
// Each table mixes a seed, new at every resize, into where a key lands.
// Without it, keys inserted in the order another table of the same kind
// held them (a snapshot walks the alias table cell by cell; a restore
// inserts them in that order into a table still growing) would all land
// at its start and probing would turn quadratic. A slotMap draws its seed
// at random; a pairMap (the aliases) takes its seed from its size and a
// secret of the process (sizeSeed), so the same aliases put in the same
// order lie in the same cells in every table of a process and a snapshot
// can write them in cell order, no sort, and still be a function of the
// stories read.

const (
	maxLoadNum, maxLoadDen = 4, 5 // grow past 80 % full
	minCells               = 16
	// A table that ends a restore less than 70 % full is remade 77 % full:
	// room for a few new entries before it grows by half again. (Growth
	// by half at 80 % leaves a table 53–80 % full, 66 % on average.)
	sparseNum, sparseDen   = 7, 10
	restoreNum, restoreDen = 77, 100
)

// fitSize is the size a table holding used entries is remade to when it
// ends a restore, or n (its size) when it is full enough.
func fitSize(n, used int) int {
	if n <= minCells || used*sparseDen >= n*sparseNum {
		return n
	}
	return max(minCells, used*restoreDen/restoreNum+1)
}

// home is key's first cell in a table of n cells seeded with seed: the
// high 32 bits of the seeded key after a Fibonacci multiply (so keys that
// differ only in low bits spread too), scaled to n.
func home(key, seed uint64, n int) int {
	return int(((key ^ seed) * 0x9e3779b97f4a7c15 >> 32) * uint64(n) >> 32)
}

// grownSize is the size a table of n cells holding used entries grows to
// before adding one: by half.
func grownSize(n, used int) int { return grownBy(n, used, 2) }

// grownBy is the size a table of n cells holding used entries grows to
// before adding one, growing by n/div at a time.
func grownBy(n, used, div int) int {
	for n < minCells || (used+1)*maxLoadDen > n*maxLoadNum {
		n = max(minCells, n+n/div)
	}
	return n
}

// pairGrowth is the part of its size a pairMap grows by: a quarter. At a
// million stories the alias table is 3M aliases, 36 MB of them at 100 %;
// growth by half left it 53–80 % full (≈ 55 B a story on average), growth
// by a quarter 64–80 % (≈ 50 B), and the old and new arrays of a resize
// are 2.25, not 2.5, times the old. The price is more resizes: every entry
// moved ≈ 5 times over the table's growth, not ≈ 3 (a restore reserves its
// size and moves none).
const pairGrowth = 4

// slotMap maps keys to slots of an array that holds the keys itself, so a
// cell is 4 bytes: slot+1, or 0 when empty.
type slotMap struct {
	cells []uint32
	n     int
	seed  uint64
	keyOf func(slot uint32) uint64
}

func (m *slotMap) len() int { return m.n }

// get returns key's slot.
func (m *slotMap) get(key uint64) (uint32, bool) {
	if m.n == 0 {
		return 0, false
	}
	n := len(m.cells)
	for i := home(key, m.seed, n); ; {
		c := m.cells[i]
		if c == 0 {
			return 0, false
		}
		if m.keyOf(c-1) == key {
			return c - 1, true
		}
		if i++; i == n {
			i = 0
		}
	}
}

// put maps key to slot, replacing its old slot if it had one.
func (m *slotMap) put(key uint64, slot uint32) {
	if len(m.cells) == 0 || (m.n+1)*maxLoadDen > len(m.cells)*maxLoadNum {
		m.resize(grownSize(len(m.cells), m.n))
	}
	n := len(m.cells)
	for i := home(key, m.seed, n); ; {
		c := m.cells[i]
		if c == 0 {
			m.cells[i] = slot + 1
			m.n++
			return
		}
		if m.keyOf(c-1) == key {
			m.cells[i] = slot + 1
			return
		}
		if i++; i == n {
			i = 0
		}
	}
}

// putNew maps a key known to be absent (get has just said so) to slot:
// put without comparing keys, which for the story table spells each
// compared key from its record.
func (m *slotMap) putNew(key uint64, slot uint32) {
	if len(m.cells) == 0 || (m.n+1)*maxLoadDen > len(m.cells)*maxLoadNum {
		m.resize(grownSize(len(m.cells), m.n))
	}
	m.insertNew(key, slot)
}

// del removes key and shifts back the entries after it that may move, so
// every entry stays reachable from its home without tombstones. keyOf must
// still answer for the other entries.
func (m *slotMap) del(key uint64) bool {
	if m.n == 0 {
		return false
	}
	n := len(m.cells)
	i := home(key, m.seed, n)
	for {
		c := m.cells[i]
		if c == 0 {
			return false
		}
		if m.keyOf(c-1) == key {
			break
		}
		if i++; i == n {
			i = 0
		}
	}
	m.cells[i] = 0
	m.n--
	for j := i; ; {
		if j++; j == n {
			j = 0
		}
		c := m.cells[j]
		if c == 0 {
			return true
		}
		if h := home(m.keyOf(c-1), m.seed, n); movable(h, i, j) {
			m.cells[i], m.cells[j] = c, 0
			i = j
		}
	}
}

// movable reports whether an entry at j with home h may move to the hole
// at i: h is not cyclically within (i, j].
func movable(h, i, j int) bool {
	if i <= j {
		return h <= i || h > j
	}
	return h <= i && h > j
}

// resize rebuilds the table with n cells from the entries it holds.
func (m *slotMap) resize(n int) {
	old := m.cells
	m.cells, m.n, m.seed = make([]uint32, n), 0, rand.Uint64()
	for _, c := range old {
		if c != 0 {
			m.insertNew(m.keyOf(c-1), c-1)
		}
	}
}

// insertNew adds a key known to be absent, without growing.
func (m *slotMap) insertNew(key uint64, slot uint32) {
	n := len(m.cells)
	for i := home(key, m.seed, n); ; {
		if m.cells[i] == 0 {
			m.cells[i] = slot + 1
			m.n++
			return
		}
		if i++; i == n {
			i = 0
		}
	}
}

// rebuild empties the table and sizes it for entries, for a caller about
// to insertNew them all.
func (m *slotMap) rebuild(entries int) {
	n := max(minCells, entries*10/7+1) // 70 % full
	if l := len(m.cells); l <= 2*n && entries*maxLoadDen <= l*maxLoadNum {
		// It holds them under its growth point: keep its size. A restore
		// compacts the index's slots (compactSlots) into a table its size
		// hint reserved for the most it will hold; remade for the entries
		// of the moment, it would grow again as the replay goes on.
		n = l
	}
	if cap(m.cells) >= n && cap(m.cells) <= 2*n {
		m.cells = m.cells[:n]
		clear(m.cells)
	} else {
		m.cells = make([]uint32, n)
	}
	m.n, m.seed = 0, rand.Uint64()
}

// reservedSize is the size of an empty table that a restore will end
// with entries in: 72 % full then, which fit leaves as it is (over 70 %),
// with room for the restore to hold up to 11 % more on the way (aliases
// replayed before the tombstones that prune them) before the table would
// grow by half at 80 %.
func reservedSize(entries int) int {
	return max(minCells, entries*100/72+1)
}

// reserve sizes an empty table for a restore of entries; it never shrinks
// one (a second, smaller hint), nor moves one that holds entries already
// (a hint that came late).
func (m *slotMap) reserve(entries int) {
	if n := reservedSize(entries); m.n == 0 && n > len(m.cells) {
		m.resize(n)
	}
}

// fit remakes a table that ends a restore sparse (fitSize).
func (m *slotMap) fit() {
	if n := fitSize(len(m.cells), m.n); n != len(m.cells) {
		m.resize(n)
	}
}

// pairMap maps keys to 32-bit values held in the table: 12 bytes a cell.
type pairMap struct {
	keys    []uint64
	vals    []uint32
	n       int
	seed    uint64
	resizes int // a snapshot walking the cells starts over when it changes
}

func (m *pairMap) len() int { return m.n }

func (m *pairMap) get(key uint64) (uint32, bool) {
	i, ok := m.cell(key)
	if !ok {
		return 0, false
	}
	return m.vals[i], true
}

func (m *pairMap) put(key uint64, val uint32) {
	if len(m.keys) == 0 || (m.n+1)*maxLoadDen > len(m.keys)*maxLoadNum {
		m.resize(grownBy(len(m.keys), m.n, pairGrowth))
	}
	n := len(m.keys)
	for i := home(key, m.seed, n); ; {
		switch m.keys[i] {
		case 0:
			m.keys[i], m.vals[i] = key, val
			m.n++
			return
		case key:
			m.vals[i] = val
			return
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (m *pairMap) del(key uint64) bool {
	if m.n == 0 {
		return false
	}
	n := len(m.keys)
	i := home(key, m.seed, n)
	for m.keys[i] != key {
		if m.keys[i] == 0 {
			return false
		}
		if i++; i == n {
			i = 0
		}
	}
	m.keys[i], m.vals[i] = 0, 0
	m.n--
	for j := i; ; {
		if j++; j == n {
			j = 0
		}
		k := m.keys[j]
		if k == 0 {
			return true
		}
		if movable(home(k, m.seed, n), i, j) {
			m.keys[i], m.vals[i] = k, m.vals[j]
			m.keys[j], m.vals[j] = 0, 0
			i = j
		}
	}
}

func (m *pairMap) resize(n int) {
	ok, ov := m.keys, m.vals
	m.keys, m.vals, m.n, m.seed = make([]uint64, n), make([]uint32, n), 0, sizeSeed(n)
	m.resizes++
	for i, k := range ok {
		if k != 0 {
			m.put(k, ov[i])
		}
	}
}

// reserve is slotMap.reserve.
func (m *pairMap) reserve(entries int) {
	if n := reservedSize(entries); m.n == 0 && n > len(m.keys) {
		m.resize(n)
	}
}

// fit remakes a table that ends a restore sparse (fitSize).
func (m *pairMap) fit() {
	if n := fitSize(len(m.keys), m.n); n != len(m.keys) {
		m.resize(n)
	}
}

// aliasSecret is drawn once per process; see sizeSeed.
var aliasSecret = rand.Uint64()

// sizeSeed is the seed of a pairMap of n cells in this process: SplitMix64's
// finaliser of n mixed with aliasSecret, so tables of two sizes share
// nothing a key's place could follow (a table growing towards the size of
// the one whose cell order it is fed in meets that table's seed only at
// that size, where the keys it holds lie as densely as they lay there),
// and the same aliases put in the same order lie in the same cells in
// every table of the process. The secret is why a feed cannot aim: alias
// keys are seedless hashes of what feeds publish, and with a seed known
// in advance crafted GUIDs could all be given one home and make probing
// quadratic. Another process draws another secret, so its snapshot of
// the same stories lists the aliases in another order; a restore reads
// them by key, so nothing depends on that order.
func sizeSeed(n int) uint64 {
	z := (uint64(n) ^ aliasSecret) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// cell returns the cell key lies in.
func (m *pairMap) cell(key uint64) (int, bool) {
	if m.n == 0 {
		return 0, false
	}
	n := len(m.keys)
	for i := home(key, m.seed, n); ; {
		switch m.keys[i] {
		case 0:
			return 0, false
		case key:
			return i, true
		}
		if i++; i == n {
			i = 0
		}
	}
}

// each calls fn for every entry; fn must not change the map.
func (m *pairMap) each(fn func(key uint64, val uint32) bool) {
	for i, k := range m.keys {
		if k != 0 && !fn(k, m.vals[i]) {
			return
		}
	}
}
