package dedupe

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// index is the in-memory MinHash LSH index of the window's stories. Each
// signature is cut into bands of rows values; two stories sharing any band
// are candidates, and candidates are scored by the fraction of equal
// MinHash values. With the default 32 bands of 2 rows a pair at Jaccard
// 0.45 (the least similar republication measured) is a candidate with
// probability 0.9993 (24 bands: 0.996), a pair at 0.01 with 0.003.
//
// It keeps about 229 bytes per story at the defaults, the items below
// (48 in 24 bands: ~52 fewer; BENCHMARKS.md round 40 "dedmem40"), flat
// arrays without pointers:
//   - b-bit MinHash (Li & König): only the low 8 bits of each value (64
//     bytes). Two different values agree on them with probability 1/256,
//     which the similarity estimate corrects for; the full values are
//     never compared again after indexing.
//   - per band, 8 more bits of the hash of its full values (32 bytes), so
//     a band's key (its rows' low bytes and these) has 24 bits: unrelated
//     stories share a band key with probability 2^-24, not 2^-16.
//   - per band one open-addressing table of 3-byte cells (slot, and a tag
//     of spare bits that rejects most probes without reading the slot),
//     80–90 % full: ~110 bytes (~83 at 24 bands). Cells are 4 bytes
//     once the slots need more than maxSlotBits3 bits (over ~1.6 million
//     stories), so the tag keeps at least 3 bits: at a million stories
//     3-byte cells save ~40 bytes a story (30 at 24 bands) for ~1.5
//     probes a band that the tag no longer rejects, which the band's
//     check byte then rejects (one cache miss each).
//   - the story's key and story time (16 bytes), and the key's cell
//     in byKey (~6 bytes).
//
// Removal marks a slot dead; the arrays are compacted and the tables rebuilt
// when a fifth is dead, or when the tables are full. The arrays grow only
// to the slots that rebuild comes at (makeRoom), so a window held at its
// bound keeps them within 9/8 of its stories. Restoring adds every slot
// first and builds the tables once.
//
// A band value that more than hotBucket live stories carry is hot (see
// hotBucket): its stories are kept in a list beside the table, and queries
// skip it.
type index struct {
	k, bands, rows int
	checks         int // check bytes per band

	// The slot arrays, in chunks (chunked: growth copies no array); all
	// four have len slots and the room keys has.
	keys    chunked[uint64] // story key; 0: dead
	first   chunked[int64]  // story time (Txn.index), unix ns
	vals    chunked[uint8]  // k low bytes per slot
	chk     chunked[uint8]  // bands*checks bytes per slot
	pending []uint64        // bit per slot: added by a batch not yet acknowledged
	byKey   slotMap
	live    int

	tab      [][]byte               // per band, a table of cells cells of cellBytes each (one array each, so a rebuild's allocations fit in memory freed on the way)
	hot      []map[uint64]*hotValue // per band, by band key: the values that went past hotBucket stories since the last rebuild
	cells    int
	cellB    int // bytes a cell: 3, or 4 for more than 1<<maxSlotBits3 cells
	slotBits uint
	visits   int  // the most eligible stories a query meets first in one bucket; 0: all (Config.BucketVisits)
	bulk     bool // restoring: no tables until build
	frozen   int  // snapshots being written: slots must not move

	// scratch for one query
	qv, qc []uint8
	cand   []uint32
	marked []uint64 // bit per slot: in cand already; all clear between queries

	// What the last query found in each band's table (see bandWalk), for
	// the insert of the same signature that follows it when the story is
	// new. walked is cleared by anything that changes the tables or which
	// slots are live (insertBand, remove, expire, rebuild, compactSlots).
	walk   []bandWalk
	walked bool
}

// bandWalk is one band's walk by a query: the empty cell that ended its
// probe run and the live stories of the query's band value met on the
// way. They are what insertBand walks the same run for, reading the same
// cells and the same slots' check bytes and values again: an insert right
// after its query (a new story) takes them from here instead.
type bandWalk struct {
	free int32 // the empty cell the run ends on; -1: the query did not walk to it
	same int32 // live slots of the band value in the run
}

const (
	tableLoadNum, tableLoadDen = 9, 10 // band tables rebuilt past 90 % full, to 80 %: the tags keep long probe runs cheap
	b8                         = 1.0 / 256
)

// hotBucket is the most live stories one band value is evidence for. A
// value carried by more is hot: template text, boilerplate, a hostile
// feed, not a sign that two stories are one. Queries skip a hot value, and
// its stories past the first hotBucket go to a list beside the band's
// table instead of the table: all of one value's cells lie in one probe
// run, which every insert of that value walks to its end, so without the
// bound a value shared by n stories costs n cells an insert (a quadratic
// build) and n candidates a query. Only stories that are not copies are
// indexed, so a wire story republished a thousand times adds one story to
// its buckets, not a thousand. The largest bucket measured on real text is
// TestRealTextHasNoHotBand's: 4 for WikiRef220's 220 articles, each with
// a republication indexed too; 79 for UCI's 3,277 headlines, were they
// indexed (they are shorter than min_near_words), most of them headlines
// of one story. The load harness's template sentences make buckets of 12 %
// of its stories (1,028 of 8,767). Whether a value is hot depends only on
// the live stories, so a restored index answers as the live one did. (A
// variable so tests can make small buckets hot.)
var hotBucket = 512

// hotValue is a band value that went past hotBucket live stories: live
// counts them, slots holds those added after the table's first hotBucket
// (all of them once a rebuild has run), dead ones included until the
// value cools or the next rebuild.
type hotValue struct {
	live  int
	slots []uint32
}

// maxSlotBits3 is the most slot bits a 3-byte cell holds: 3 bits are left
// for the tag, which then rejects 7 of 8 cells of other keys. (A variable
// so tests can make small indexes use 4-byte cells.)
var maxSlotBits3 uint = 21

// cellAt reads cell i of a band table of cellB-byte cells. It is small
// enough to inline: queries and inserts call it for every cell they probe.
func cellAt(t []byte, cellB, i int) uint32 {
	j := i * cellB
	_ = t[j+cellB-1]
	e := uint32(t[j]) | uint32(t[j+1])<<8 | uint32(t[j+2])<<16
	if cellB == 4 {
		e |= uint32(t[j+3]) << 24
	}
	return e
}

// setCell writes cell i of a band table of cellB-byte cells.
func setCell(t []byte, cellB, i int, e uint32) {
	j := i * cellB
	_ = t[j+cellB-1]
	t[j], t[j+1], t[j+2] = byte(e), byte(e>>8), byte(e>>16)
	if cellB == 4 {
		t[j+3] = byte(e >> 24)
	}
}

func newIndex(k, bands int) *index {
	rows := k / bands
	checks := 1
	if rows == 1 {
		checks = 2 // a band key of at least 24 bits
	}
	x := &index{k: k, bands: bands, rows: rows, checks: checks}
	x.keys, x.first = newChunked[uint64](1), newChunked[int64](1)
	x.vals, x.chk = newChunked[uint8](k), newChunked[uint8](bands*checks)
	x.byKey.keyOf = func(s uint32) uint64 { return *x.keys.at(int(s)) }
	return x
}

func (x *index) Len() int { return x.live }

// readsPrefixOf says whether a stored form made with k values in bands
// bands of checks check bytes each holds this index's stored form as its
// prefix: the same setting, or a longer signature with the same rows per
// band (64/32 read as 48/24). MinHash value i is hash function i's
// minimum whatever k is, and band b's check bytes depend only on its own
// rows and b, so the first x.k values and x.bands bands are exactly what
// this index would have encoded from the same text.
func (x *index) readsPrefixOf(k, bands, checks int) bool {
	return checks == x.checks && bands > 0 && k%bands == 0 && k/bands == x.rows &&
		k >= x.k && bands >= x.bands
}

func (x *index) has(key uint64) bool {
	_, ok := x.byKey.get(key)
	return ok
}

// encode writes the stored form of a full signature: its values' low bytes
// and each band's check bytes.
func (x *index) encode(sig []uint32, vals, chk []uint8) {
	for i, v := range sig {
		vals[i] = uint8(v)
	}
	for b := 0; b < x.bands; b++ {
		h := uint64(b+1) * 0x9e3779b97f4a7c15
		for _, v := range sig[b*x.rows : (b+1)*x.rows] {
			h = mix64(h ^ uint64(v))
		}
		for c := 0; c < x.checks; c++ {
			chk[b*x.checks+c] = uint8(h >> (56 - 8*c))
		}
	}
}

// bandKey is band b's table key from the stored form.
func (x *index) bandKey(b int, vals, chk []uint8) uint64 {
	h := uint64(b+1) * 0xc2b2ae3d27d4eb4f
	for _, v := range vals[b*x.rows : (b+1)*x.rows] {
		h = h<<8 | uint64(v)
	}
	for _, c := range chk[b*x.checks : (b+1)*x.checks] {
		h = h<<8 | uint64(c)
	}
	return mix64(h)
}

func (x *index) slotVals(s uint32) []uint8 { return x.vals.row(int(s)) }
func (x *index) slotChk(s uint32) []uint8  { return x.chk.row(int(s)) }

// key is slot s's story key (0: dead) and first its story time.
func (x *index) key(s uint32) uint64    { return *x.keys.at(int(s)) }
func (x *index) firstOf(s uint32) int64 { return *x.first.at(int(s)) }

// slots is the slots in the arrays, live and dead.
func (x *index) slots() int { return x.keys.len() }

// add indexes a full signature under key, replacing an earlier one.
func (x *index) add(key uint64, first int64, sig []uint32, pending bool) {
	if len(sig) != x.k {
		return
	}
	vals, chk := make([]uint8, x.k), make([]uint8, x.bands*x.checks)
	x.encode(sig, vals, chk)
	x.addStored(key, first, vals, chk, pending)
}

// addStored indexes a stored form (the log's) under key.
func (x *index) addStored(key uint64, first int64, vals, chk []uint8, pending bool) {
	x.remove(key)
	if x.full() {
		x.makeRoom()
	}
	s := uint32(x.slots())
	x.keys.push(key)
	x.first.push(first)
	x.vals.push(vals...)
	x.chk.push(chk...)
	if int(s)/64 >= len(x.pending) {
		x.pending = append(x.pending, 0)
	}
	x.setPending(s, pending)
	x.byKey.put(key, s)
	x.live++
	if x.bulk {
		return
	}
	if x.slots()*tableLoadDen > x.cells*tableLoadNum {
		x.rebuild()
		return
	}
	x.insert(s)
}

// full reports whether one more slot would go past the arrays' room.
func (x *index) full() bool { return x.slots() >= x.keys.cap() }

// makeRoom is called when one more slot would grow an array. Slots are
// never reused in place: a slot's cells stay in the band tables until a
// rebuild, and the tables' order of a bucket's cells is the order its
// stories were indexed in (slot order), which bounded queries read. So
// dead slots go only by compaction, and an array grows only by as much as
// the next compaction needs, never by append's quarter: that quarter, at
// a million stories held by a prune every 20,000, was 27 MB of arrays a
// quarter empty (round 27, mem27).
func (x *index) makeRoom() {
	n := x.slots()
	if x.bulk {
		if (n-x.live)*256 >= n {
			// A restore replays signatures that later entries replace or
			// delete (the window expiring as the log goes on), so it
			// needs more slots than the live ones its size hint counts:
			// it reuses the dead ones before it grows the arrays, which
			// would copy them all. (No band tables yet: moving slots
			// costs only the copy. At least 1/256 dead, so a hint far too
			// small does not compact at every slot.)
			x.compactSlots()
			return
		}
		// A size hint too small (a crash left it up to 30 s stale):
		// grow by a sixteenth, which fit copies back, not by a quarter.
		x.growSlots(grownSlots(n))
		return
	}
	// Live, the band tables are rebuilt, and the dead slots compacted,
	// when the slots fill 90 % of their cells (addStored): the arrays
	// never hold more slots than that, dead or alive. While a snapshot is
	// being written a rebuild keeps the dead slots and makes the tables
	// larger, so the bound moves with it.
	x.growSlots(max(x.cells*tableLoadNum/tableLoadDen+1, n+64))
}

// grownSlots is the capacity an array of n records, full, grows to when
// none of its slots is dead: a sixteenth more, where append adds a
// quarter. The story array (memory.put) and a restore's signature arrays
// grow so: a window held at its bound frees slots as fast as it fills
// them, so the arrays need only a prune interval's stories beyond it.
func grownSlots(n int) int { return n + n/16 + 64 }

// growSlots gives the slot arrays room for n slots: chunks come as
// slots are added, and no array is copied.
func (x *index) growSlots(n int) {
	x.keys.setRoom(n)
	x.first.setRoom(n)
	x.vals.setRoom(n)
	x.chk.setRoom(n)
}

// growTo returns s in an array of capacity c, or s when it has that room.
func growTo[T any](s []T, c int) []T {
	if cap(s) >= c {
		return s
	}
	g := make([]T, len(s), c) // not append: it rounds the capacity up by a quarter
	copy(g, s)
	return g
}

func (x *index) setPending(s uint32, on bool) {
	if on {
		x.pending[s/64] |= 1 << (s % 64)
	} else {
		x.pending[s/64] &^= 1 << (s % 64)
	}
}

func (x *index) isPending(s uint32) bool { return x.pending[s/64]&(1<<(s%64)) != 0 }

// commit marks key's signature acknowledged.
func (x *index) commit(key uint64) {
	if s, ok := x.byKey.get(key); ok {
		x.setPending(s, false)
	}
}

// insert puts slot s in every band table.
func (x *index) insert(s uint32) {
	// The last query's walks serve when it was of this signature and
	// nothing has changed since: a new story's check queries the index and
	// then adds its signature under its own key, which is not in the index
	// (so addStored's remove found nothing) and whose slot is in no table.
	var walk []bandWalk
	if x.walked && string(x.slotVals(s)) == string(x.qv) && string(x.slotChk(s)) == string(x.qc) {
		walk = x.walk
	}
	for b := 0; b < x.bands; b++ {
		bw := bandWalk{free: -1}
		if walk != nil {
			bw = walk[b]
		}
		x.insertBand(b, s, bw)
	}
}

// insertBand puts slot s in band b's table, or in its value's list when
// the value has gone past hotBucket stories. The walk to a free cell counts
// the value's live stories in the table: the run holds at most hotBucket
// of them, so the walk is bounded however many stories share the value.
// walk is that walk when a query of the same band value made it on the
// tables as they are (free ≥ 0).
func (x *index) insertBand(b int, s uint32, walk bandWalk) {
	x.walked = false
	vals, chk := x.slotVals(s), x.slotChk(s)
	bk := x.bandKey(b, vals, chk)
	if h := x.hot[b][bk]; h != nil {
		h.live++
		h.slots = append(h.slots, s)
		return
	}
	t, w := x.tab[b], x.cellB
	tag, mask := x.tag(bk), x.slotMask()
	same, i := int(walk.same), int(walk.free)
	if walk.free < 0 {
		same, i = 0, home(bk, 0, x.cells)
		for {
			e := cellAt(t, w, i)
			if e == 0 {
				break
			}
			if o := e&mask - 1; e&^mask == tag && x.key(o) != 0 && x.sameBandAs(b, o, vals, chk) {
				same++
			}
			if i++; i == x.cells {
				i = 0
			}
		}
	}
	if same >= hotBucket {
		x.hot[b][bk] = &hotValue{live: same + 1, slots: []uint32{s}}
		return
	}
	setCell(t, w, i, (s+1)|tag)
}

// slotMask has the bits of a cell that hold the slot.
func (x *index) slotMask() uint32 {
	if x.slotBits >= 32 {
		return ^uint32(0)
	}
	return uint32(1)<<x.slotBits - 1
}

// uncount takes dead slot s out of the counts of the hot values it
// carries. A value that falls back to hotBucket stories is evidence again:
// queries read its list, cut then to its live stories (those that die
// later stay until the next rebuild, as dead cells do); one with none left
// is forgotten (its dead cells go at the next rebuild).
func (x *index) uncount(s uint32) {
	vals, chk := x.slotVals(s), x.slotChk(s)
	for b, m := range x.hot {
		if len(m) == 0 {
			continue
		}
		bk := x.bandKey(b, vals, chk)
		h := m[bk]
		if h == nil {
			continue
		}
		switch h.live--; h.live {
		case 0:
			delete(m, bk)
		case hotBucket:
			h.slots = slices.DeleteFunc(h.slots, func(o uint32) bool { return x.key(o) == 0 })
		}
	}
}

// tag is the part of a cell above the slot: spare low bits of the key.
func (x *index) tag(bk uint64) uint32 {
	if x.slotBits >= uint(8*x.cellB) {
		return 0
	}
	return uint32(bk) << x.slotBits & x.cellMask()
}

// cellMask has the bits a cell holds.
func (x *index) cellMask() uint32 {
	if x.cellB >= 4 {
		return ^uint32(0)
	}
	return 1<<(8*x.cellB) - 1
}

func (x *index) remove(key uint64) {
	s, ok := x.byKey.get(key)
	if !ok {
		return
	}
	x.byKey.del(key)
	*x.keys.at(int(s)) = 0
	x.walked = false
	x.setPending(s, false)
	x.live--
	x.uncount(s)
	x.maybeCompact()
}

// expire drops every story whose story time is before notBefore and returns their
// keys.
func (x *index) expire(notBefore int64) []uint64 {
	var out []uint64
	for s := range x.slots() {
		if k := x.key(uint32(s)); k != 0 && x.firstOf(uint32(s)) < notBefore {
			out = append(out, k)
			x.byKey.del(k)
			*x.keys.at(s) = 0
			x.walked = false
			x.setPending(uint32(s), false)
			x.live--
			x.uncount(uint32(s))
		}
	}
	x.maybeCompact()
	return out
}

func (x *index) maybeCompact() {
	dead := x.slots() - x.live
	if x.bulk || x.frozen > 0 || dead < 1024 || dead*4 < x.live {
		return
	}
	x.rebuild()
}

// rebuild drops dead slots (unless a snapshot is being written) and builds
// the band tables for the slots left, about 70 % full.
func (x *index) rebuild() {
	x.walked = false
	if x.frozen == 0 {
		x.compactSlots()
	}
	n := max(64, x.slots()*5/4+1)
	x.cells = n
	x.slotBits = uint(bits.Len32(uint32(n)))
	x.cellB = 3
	if x.slotBits > maxSlotBits3 {
		x.cellB = 4
	}
	if len(x.tab) != x.bands {
		x.tab = make([][]byte, x.bands)
	}
	x.hot = make([]map[uint64]*hotValue, x.bands) // buildBand finds them again
	// Each band's table is its own array, replaced one at a time (in
	// buildBand): no single allocation of every band's cells at once,
	// which at a million stories (160 MB) would need fresh address space
	// while the restore's freed arrays wait to be reused.
	x.insertAll()
}

// parallelBuildMin is the least slots worth building on several cores.
var parallelBuildMin = 4096

// insertAll puts every live slot in the (empty) band tables: one band per
// goroutine at a time, on every core (each band has its own table), so a
// restore of a million stories builds its 32 tables in parallel.
func (x *index) insertAll() {
	workers := min(runtime.GOMAXPROCS(0), x.bands)
	if x.slots() < parallelBuildMin {
		workers = 1
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var items, tmp []uint64
			for b := int(next.Add(1) - 1); b < x.bands; b = int(next.Add(1) - 1) {
				items, tmp = x.buildBand(b, items, tmp)
			}
		})
	}
	wg.Wait()
}

// buildBand fills band b's empty table with every live slot. Inserting a
// million slots at random cells of a table of several megabytes is a
// cache miss each; instead the entries are sorted by home cell (a radix
// sort of 11-bit digits: 2,048 streams, which the cache holds) and laid
// down front to back. The table is the one inserting them in that order
// would make, which linear probing accepts in any order. items and tmp are
// reused buffers.
func (x *index) buildBand(b int, items, tmp []uint64) ([]uint64, []uint64) {
	items = slices.Grow(items[:0], x.live) // sized once, not grown by append at every build
	for s := range x.slots() {
		if x.key(uint32(s)) == 0 {
			continue
		}
		bk := x.bandKey(b, x.slotVals(uint32(s)), x.slotChk(uint32(s)))
		items = append(items, uint64(home(bk, 0, x.cells))<<32|uint64((uint32(s)+1)|x.tag(bk)))
	}
	if cap(tmp) < len(items) {
		tmp = make([]uint64, len(items))
	}
	tmp = tmp[:len(items)]
	const digit = 11
	var count [1 << digit]int
	for shift := uint(32); shift < 32+uint(bits.Len(uint(x.cells))); shift += digit {
		clear(count[:])
		for _, it := range items {
			count[it>>shift&(1<<digit-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i], sum = sum, sum+c
		}
		for _, it := range items {
			d := it >> shift & (1<<digit - 1)
			tmp[count[d]] = it
			count[d]++
		}
		items, tmp = tmp, items
	}
	x.hot[b] = x.findHot(b, items)
	t, w := x.tab[b], x.cellB
	if size := x.cells * w; cap(t) >= size && cap(t) <= size*3/2 {
		t = t[:size]
		clear(t)
	} else {
		x.tab[b] = nil // let the old table go before the new one is made
		t = make([]byte, size)
	}
	x.tab[b] = t
	next := 0
	var wrapped []uint32
	for _, it := range items {
		if it == 0 { // a hot value's (findHot)
			continue
		}
		p := max(int(it>>32), next)
		if p >= x.cells {
			wrapped = append(wrapped, uint32(it))
			continue
		}
		setCell(t, w, p, uint32(it))
		next = p + 1
	}
	// Those that ran off the end probe on from the first cell, as an insert would.
	for _, e := range wrapped {
		for i := 0; ; i++ {
			if cellAt(t, w, i) == 0 {
				setCell(t, w, i, e)
				break
			}
		}
	}
	return items, tmp
}

// findHot returns band b's hot values from its entries sorted by home
// cell (buildBand's items), and zeroes their entries so they stay out of
// the table: a value's entries share a home, so only a home of more than
// hotBucket entries can hold one. Their lists are in slot order.
func (x *index) findHot(b int, items []uint64) map[uint64]*hotValue {
	hot := map[uint64]*hotValue{}
	mask := x.slotMask()
	for lo := 0; lo < len(items); {
		hi := lo + 1
		for hi < len(items) && items[hi]>>32 == items[lo]>>32 {
			hi++
		}
		if hi-lo > hotBucket {
			group := items[lo:hi]
			keys := make([]uint64, len(group))
			count := map[uint64]int{}
			for j, it := range group {
				s := uint32(it)&mask - 1
				keys[j] = x.bandKey(b, x.slotVals(s), x.slotChk(s))
				count[keys[j]]++
			}
			for j, it := range group {
				if count[keys[j]] <= hotBucket {
					continue
				}
				h := hot[keys[j]]
				if h == nil {
					h = &hotValue{}
					hot[keys[j]] = h
				}
				h.live++
				h.slots = append(h.slots, uint32(it)&mask-1)
				group[j] = 0
			}
		}
		lo = hi
	}
	return hot
}

// compactSlots moves the live slots down over the dead ones, in order.
func (x *index) compactSlots() {
	x.walked = false
	if x.live == x.slots() {
		return
	}
	w := 0
	for r := range x.slots() {
		if x.key(uint32(r)) == 0 {
			continue
		}
		if w != r {
			x.keys.move(w, r)
			x.first.move(w, r)
			x.vals.move(w, r)
			x.chk.move(w, r)
			x.setPending(uint32(w), x.isPending(uint32(r)))
		}
		w++
	}
	x.keys.truncate(w)
	x.first.truncate(w)
	x.vals.truncate(w)
	x.chk.truncate(w)
	x.pending = shrink(x.pending[:(w+63)/64])
	if w%64 != 0 {
		x.pending[w/64] &= 1<<(w%64) - 1
	}
	x.byKey.rebuild(w)
	for s := range w {
		x.byKey.insertNew(x.key(uint32(s)), uint32(s))
	}
}

// shrink returns s in a right-sized array when it uses less than half of
// its capacity, so a window that shrank gives its memory back.
func shrink[T any](s []T) []T {
	if cap(s) > 1024 && len(s) < cap(s)/2 {
		return slices.Clone(s)
	}
	return s
}

// reserve makes room for n slots, so a restore that knows how many it
// will load does not grow the arrays (and keep the old ones as garbage)
// on the way.
func (x *index) reserve(n int) {
	// The hint may come late or be stale: never shrink, never panic.
	n = withDeadRoom(n)
	x.growSlots(n)
	x.pending = slices.Grow(x.pending, max(0, (n+63)/64-len(x.pending)))
	x.byKey.reserve(n)
}

// withDeadRoom is the slots to reserve for a restore that holds at most n
// live records at once: n and 1/128 more for the dead ones, so that when
// the arrays are full at least 1/256 of them are dead and addStored (or
// memory.put) compacts them instead of growing by append. A 1M-story
// restore of a snapshot and a tail filled the index's arrays reserved for
// exactly its hint with 2,001 dead slots (0.19 %) and grew them by a
// quarter (round 26: restore28).
func withDeadRoom(n int) int { return n + n/128 }

// fit drops the spare capacity a restore left (memory.fit).
func (x *index) fit() {
	x.keys.fit()
	x.first.fit()
	x.vals.fit()
	x.chk.fit()
	x.pending = fitCap(x.pending)
	x.byKey.fit()
}

// build ends a restore: the band tables are made once for every slot.
func (x *index) build() {
	x.bulk = false
	x.rebuild()
}

// similarityTo estimates the similarity of sig to the live signature
// under key whose story time is at or after notBefore; ok=false when
// there is none.
func (x *index) similarityTo(key uint64, sig []uint32, notBefore int64) (float64, bool) {
	s, ok := x.byKey.get(key)
	if !ok || len(sig) != x.k || x.key(s) == 0 || x.firstOf(s) < notBefore {
		return 0, false
	}
	if x.qv == nil {
		x.qv, x.qc = make([]uint8, x.k), make([]uint8, x.bands*x.checks)
	}
	x.encode(sig, x.qv, x.qc)
	return x.similarity(x.qv, x.slotVals(s)), true
}

// query returns the key and story time of the most similar live story
// whose story time is at or after notBefore, excluding exclude, with its estimated
// similarity. Ties go to the earliest story time (the original), then the
// smaller key, so the answer does not depend on slot order.
func (x *index) query(sig []uint32, notBefore int64, exclude uint64) (uint64, float64, bool) {
	x.walked = false
	if len(sig) != x.k || x.live == 0 || x.bulk {
		return 0, 0, false
	}
	if x.qv == nil {
		x.qv, x.qc = make([]uint8, x.k), make([]uint8, x.bands*x.checks)
	}
	x.encode(sig, x.qv, x.qc)
	if len(x.walk) != x.bands {
		x.walk = make([]bandWalk, x.bands)
	}
	x.cand = x.cand[:0]
	slotMask := x.slotMask()
	// Sized for the slots the arrays hold room for, not the slots used:
	// grown to the used ones, it was remade every 64 new stories, 128 KB
	// each at a million (194 MB over 100k new stories, about two garbage
	// collections under the live-heap soft limit).
	if len(x.marked)*64 < x.slots() {
		x.marked = make([]uint64, (x.keys.cap()+63)/64)
	}
	// A slot met in an earlier band is scored once: alike bodies share
	// many bands, and a mark per slot beats sorting the repeats away. It is
	// scored when first met, while its values are in cache from sameBand.
	// The winner does not depend on the order slots are met in: ties go by
	// story time, then key (earlier).
	q := candidates{best: -1, bestSim: -1, notBefore: notBefore, exclude: exclude, visits: x.visits}
	w := x.cellB
	for b := 0; b < x.bands; b++ {
		bk := x.bandKey(b, x.qv, x.qc)
		h := x.hot[b][bk]
		x.walk[b] = bandWalk{free: -1}
		if h != nil && h.live > hotBucket {
			continue
		}
		// The table's cells of a value are in slot order (an insert takes
		// the run's first free cell, cells are freed only by a rebuild,
		// which lays them down in slot order), and a cooled value's list
		// holds the later ones: a bounded query meets the bucket's oldest
		// eligible stories, which depend on the live stories and the order
		// they were indexed in, not on the table's history. (A restore
		// indexes them in commit order, which differs from check order only
		// between batches open at once.)
		q.met = 0
		tag := x.tag(bk)
		t := x.tab[b]
		same := int32(0)
		for i := home(bk, 0, x.cells); !q.full(); {
			e := cellAt(t, w, i)
			if e == 0 {
				if h == nil { // the insert would walk this run
					x.walk[b] = bandWalk{free: int32(i), same: same}
				}
				break
			}
			// The band first (its check bytes reject nearly every slot the
			// short tag let through), then whether the slot is live; a
			// slot met in an earlier band still counts for the insert.
			if s := e&slotMask - 1; e&^slotMask == tag && x.sameBand(b, s) && x.key(s) != 0 {
				same++
				x.meet(&q, s)
			}
			if i++; i == x.cells {
				i = 0
			}
		}
		if h != nil { // a value that cooled: its stories past the table's
			for _, s := range h.slots {
				if q.full() {
					break
				}
				if x.sameBand(b, s) && x.key(s) != 0 {
					x.meet(&q, s)
				}
			}
		}
	}
	x.walked = true
	best, bestSim := q.best, q.bestSim
	for _, s := range x.cand {
		x.marked[s/64] &^= 1 << (s % 64)
	}
	if best < 0 {
		return 0, 0, false
	}
	return x.key(uint32(best)), bestSim, true
}

// candidates is one query's best slot so far and what it may return.
type candidates struct {
	best      int
	bestSim   float64
	notBefore int64
	exclude   uint64
	visits    int // index.visits
	met       int // eligible slots first met in the band being read
}

// full reports whether the band being read has given its visits.
func (q *candidates) full() bool { return q.visits > 0 && q.met >= q.visits }

// meet scores live slot s, whose band equals the query's, unless a band
// met it before.
func (x *index) meet(q *candidates, s uint32) {
	if x.marked[s/64]&(1<<(s%64)) != 0 {
		return
	}
	x.marked[s/64] |= 1 << (s % 64)
	x.cand = append(x.cand, s)
	if x.firstOf(s) >= q.notBefore && x.key(s) != q.exclude {
		q.met++
		sim := x.similarity(x.qv, x.slotVals(s))
		if q.best < 0 || sim > q.bestSim || sim == q.bestSim && x.earlier(int(s), q.best) {
			q.best, q.bestSim = int(s), sim
		}
	}
}

func (x *index) earlier(a, b int) bool {
	if fa, fb := x.firstOf(uint32(a)), x.firstOf(uint32(b)); fa != fb {
		return fa < fb
	}
	return x.key(uint32(a)) < x.key(uint32(b))
}

// sameBand reports whether slot s's band b equals the query's.
func (x *index) sameBand(b int, s uint32) bool { return x.sameBandAs(b, s, x.qv, x.qc) }

// sameBandAs reports whether slot s's band b equals that of the stored
// form vals, chk.
func (x *index) sameBandAs(b int, s uint32, vals, chk []uint8) bool {
	c := x.slotChk(s)[b*x.checks : (b+1)*x.checks]
	if string(c) != string(chk[b*x.checks:(b+1)*x.checks]) {
		return false
	}
	v := x.slotVals(s)[b*x.rows : (b+1)*x.rows]
	return string(v) == string(vals[b*x.rows:(b+1)*x.rows])
}

// similarity estimates Jaccard similarity from b-bit (8-bit) values: a
// fraction p of equal values means J = (p - 1/256) / (1 - 1/256).
func (x *index) similarity(a, b []uint8) float64 {
	return bbitEstimate(a, b)
}

func bbitEstimate(a, b []uint8) float64 {
	return estimateOfCount(equalBytes(a, b), len(a))
}

// estimateOfCount is the estimate of eq equal stored values of k. Every
// estimate is computed here, so that two equal counts give the same
// float64 bit for bit and nearAt's comparison is one of counts.
func estimateOfCount(eq, k int) float64 {
	p := float64(eq) / float64(k)
	return max(0, (p-b8)/(1-b8))
}

// nearCount is the fewest equal stored values of k at which a pair is a
// near-duplicate at threshold: what full values decide, read through the
// 8-bit store.
//
// Full values agree at c of k positions and read c/k: they merge from
// the grid point c* = the least c with c/k >= threshold (computed as they
// computed it, so 16 of 64 at 0.25 is exact). Stored as 8 bits, m equal
// values estimate c as (m - k/256) / (1 - 1/256); comparing that estimate
// itself with c* put exactly 16 of 64 with no chance collision at 15.8,
// below 16, and every copy at the grid point was missed (BENCHMARKS.md,
// round 39 "dedcfg39"). The estimate is rounded to the nearest count full
// values can read instead: m merges when it estimates at least c* - 1/2,
// i.e. 512m >= 510c* - 255 + 2k (integers only). At k <= 128 the chance
// matches expected, (k - c*)/256, stay under one half, so m >= c*.
func nearCount(k int, threshold float64) int {
	c := 1
	for c < k && float64(c)/float64(k) < threshold {
		c++
	}
	return (510*c - 255 + 2*k + 511) / 512
}

// nearAt is the least estimate the near decision accepts at threshold:
// that of nearCount equal values. An estimate is compared with it, not
// with the threshold, so that the decision is the count's.
func nearAt(k int, threshold float64) float64 {
	return estimateOfCount(nearCount(k, threshold), k)
}

// equalBytes counts the positions where a and b (of one length) hold the
// same byte, eight at a time: a query scores every candidate this way, and
// alike bodies (a wire's stories on one subject) bring many.
func equalBytes(a, b []uint8) int {
	const lo7 = 0x7f7f7f7f7f7f7f7f
	eq, i := 0, 0
	for ; i+8 <= len(a); i += 8 {
		d := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:])
		// A byte of d is zero exactly when its high bit ends up clear in
		// (low 7 bits + 0x7f) | d | 0x7f; no carry crosses bytes.
		eq += bits.OnesCount64(^((d&lo7 + lo7) | d | lo7))
	}
	for ; i < len(a); i++ {
		if a[i] == b[i] {
			eq++
		}
	}
	return eq
}
