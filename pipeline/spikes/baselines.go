package spikes

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// baselines is the detector's baselines by term key, as countTable keeps
// a bucket's counts: no object, map entry or string per term. The
// baselines lie in one array of 32-byte rows, their keys' and names'
// bytes in another (text), and index is an open-addressing table of the
// rows' numbers, probed linearly by the key's hash. Round 37 measured
// 135 B a baseline (an 80-byte termState, its map entry and its key's
// own string); at max_terms 200,000 that was 27 MB.
//
// A row holds what every baseline has; the last firing and the quiet
// buckets of a term that fired (few do) are in fired, by key. Callers
// read a row into a termState (get), change it, and put it back (put).
type baselines struct {
	rows []baselineRow
	// text is each row's key, then its name when it has one of its own
	// (rowOwnName), each after its length as a uvarint. Appended only: a
	// key handed out as a string stays valid (compact and drop write a
	// new array).
	text []byte
	// index's cells hold a row's number + 1 in their low rowBits bits, 0
	// for an empty cell, and above it as many bits of the key's hash as
	// are left (its tag: see cell); a power of two long, filled to 7/8.
	index   []uint32
	rowBits uint
	dead    int // bytes of text no row names any more
	fired   map[string]firedState
}

// baselineRow is one term's baseline: 32 bytes.
type baselineRow struct {
	mean, variance float64
	updated        int64  // last bucket folded into the baseline
	off            uint32 // the low 32 bits of the offset of the row's text
	offHigh        uint16 // its high 16: text never wraps at 4 GiB
	kind           termKind
	flags          rowFlags
}

type rowFlags uint8

const (
	rowWatched rowFlags = 1 << iota
	rowFiring
	rowHasFired
	rowOwnName // the name follows the key in text; else the name is the key
	rowInFired // fired holds its last firing
)

// firedState is what a baseline of a term that fired keeps besides its
// row: its last firing and, while firing, its quiet buckets.
type firedState struct {
	at    int64
	quiet int32
}

func newBaselines() baselines { return baselines{fired: map[string]firedState{}} }

func (t *baselines) len() int { return len(t.rows) }

// textOff is the offset of the row's text (its key first) in the table's text.
func (r *baselineRow) textOff() int { return int(r.off) | int(r.offHigh)<<32 }

// textAt reads the string at off in text, and where the next one starts.
func (t *baselines) textAt(off int) (string, int) {
	n, w := binary.Uvarint(t.text[off:])
	off += w
	if n == 0 {
		return "", off
	}
	return unsafe.String(&t.text[off], int(n)), off + int(n)
}

// key is row n's key: a string over text, valid while the table lives
// (what outlives the detector's memory must copy it: an alert).
func (t *baselines) key(n int) string {
	k, _ := t.textAt(t.rows[n].textOff())
	return k
}

// keyName is row n's key and name.
func (t *baselines) keyName(n int) (key, name string) {
	r := &t.rows[n]
	key, next := t.textAt(r.textOff())
	name = key
	if r.flags&rowOwnName != 0 {
		name, _ = t.textAt(next)
	}
	return key, name
}

// textSize is the bytes of row n's text.
func (t *baselines) textSize(n int) int {
	r := &t.rows[n]
	at := r.textOff()
	_, next := t.textAt(at)
	if r.flags&rowOwnName != 0 {
		_, next = t.textAt(next)
	}
	return next - at
}

// find is the row of key, and whether the table has it.
func (t *baselines) find(key string) (int, bool) {
	if i, ok := t.cell(key); ok {
		return t.cellRow(t.index[i]), true
	}
	return -1, false
}

// has says whether key has a baseline.
func (t *baselines) has(key string) bool {
	_, ok := t.cell(key)
	return ok
}

// baselinesMaxLoad is the share of the index's cells, in eighths, that
// may be taken: fuller than a bucket's counts (maxLoad), as a cell's tag
// settles most probes past another key without reading its text, so the
// longer runs of a 7/8 table cost little (round 38's ≈ 10.5 B of index a
// term at 3/4, just past a doubling, is ≈ 5.2 B at 7/8).
const baselinesMaxLoad = 7

// tagOf is the bits of hash h a cell keeps above its row's number: bits
// the cell's place does not say (the place is h's low bits). A cell whose
// tag differs holds another key; only an equal tag reads the row's key.
func (t *baselines) tagOf(h uint64) uint32 {
	if t.rowBits >= 32 {
		return 0
	}
	return uint32(h>>32) << t.rowBits
}

// cellRow is the row a non-empty cell holds.
func (t *baselines) cellRow(c uint32) int {
	return int(c&(1<<t.rowBits-1)) - 1
}

// cell is the cell of key, or the empty cell where it would go, and
// whether the key is there.
func (t *baselines) cell(key string) (int, bool) {
	if len(t.index) == 0 {
		return 0, false
	}
	h := xxhash.Sum64String(key)
	tag, tagMask := t.tagOf(h), ^uint32(1<<t.rowBits-1)
	mask := len(t.index) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		c := t.index[i]
		if c == 0 {
			return i, false
		}
		if c&tagMask == tag && t.key(t.cellRow(c)) == key {
			return i, true
		}
	}
}

// setCell makes cell i hold row n of key.
func (t *baselines) setCell(i, n int, key string) {
	t.index[i] = uint32(n+1) | t.tagOf(xxhash.Sum64String(key))
}

// get is row n as a termState, its key and name strings over text.
func (t *baselines) get(n int) termState {
	r := &t.rows[n]
	ts := termState{mean: r.mean, variance: r.variance, updated: r.updated, kind: r.kind,
		watched: r.flags&rowWatched != 0, firing: r.flags&rowFiring != 0, hasFired: r.flags&rowHasFired != 0}
	ts.key, ts.name = t.keyName(n)
	if r.flags&rowInFired != 0 {
		f := t.fired[ts.key]
		ts.firedAt, ts.quiet = f.at, f.quiet
	}
	return ts
}

// lookup is key's baseline, false when it has none.
func (t *baselines) lookup(key string) (termState, bool) {
	if n, ok := t.find(key); ok {
		return t.get(n), true
	}
	return termState{}, false
}

// put stores ts as key ts.key's baseline, a new row when it has none,
// and returns the key as the table holds it (its text copied in).
func (t *baselines) put(ts *termState) string {
	i, ok := t.cell(ts.key)
	var n int
	if ok {
		n = t.cellRow(t.index[i])
		if _, name := t.keyName(n); name != ts.name { // a restore's newer entry
			t.dead += t.textSize(n)
			t.setText(n, ts.key, ts.name)
		}
	} else {
		if 8*(len(t.rows)+1) > baselinesMaxLoad*len(t.index) {
			t.grow()
			i, _ = t.cell(ts.key)
		}
		t.rows = append(t.rows, baselineRow{})
		n = len(t.rows) - 1
		t.setText(n, ts.key, ts.name)
		t.setCell(i, n, ts.key)
	}
	r := &t.rows[n]
	r.mean, r.variance, r.updated, r.kind = ts.mean, ts.variance, ts.updated, ts.kind
	had := r.flags&rowInFired != 0
	r.flags &= rowOwnName
	if ts.watched {
		r.flags |= rowWatched
	}
	if ts.firing {
		r.flags |= rowFiring
	}
	if ts.hasFired {
		r.flags |= rowHasFired
	}
	key := t.key(n)
	if f := (firedState{ts.firedAt, ts.quiet}); ts.hasFired || f != (firedState{}) {
		r.flags |= rowInFired
		if old, ok := t.fired[key]; !ok || old != f {
			// a copy of the key: a map keeps the key it is last given,
			// which over text would keep an array compact let go of
			t.fired[strings.Clone(key)] = f
		}
	} else if had {
		delete(t.fired, key)
	}
	return key
}

// setText appends key and, when it differs, name to text as row n's.
func (t *baselines) setText(n int, key, name string) {
	at := len(t.text)
	t.text = append(binary.AppendUvarint(t.text, uint64(len(key))), key...)
	r := &t.rows[n]
	r.off, r.offHigh = uint32(at), uint16(at>>32)
	r.flags &^= rowOwnName
	if name != key {
		r.flags |= rowOwnName
		t.text = append(binary.AppendUvarint(t.text, uint64(len(name))), name...)
	}
}

// remove forgets key's baseline: the last row takes its place, and its
// cell is emptied by shifting back the cells probed past it, so that no
// lookup stops early.
func (t *baselines) remove(key string) {
	i, ok := t.cell(key)
	if !ok {
		return
	}
	n := t.cellRow(t.index[i])
	t.dead += t.textSize(n)
	delete(t.fired, key)
	t.emptyCell(i)
	if last := len(t.rows) - 1; n != last {
		k := t.key(last)
		j, _ := t.cell(k)
		t.setCell(j, n, k)
		t.rows[n] = t.rows[last]
	}
	t.rows = t.rows[:len(t.rows)-1]
	if t.dead > len(t.text)/2 && t.dead > 4096 {
		t.compact()
	}
}

// emptyCell empties cell i of a linear-probing index: each following
// cell of the run whose key's home is not between i and it moves into
// the hole.
func (t *baselines) emptyCell(i int) {
	mask := len(t.index) - 1
	for j := (i + 1) & mask; t.index[j] != 0; j = (j + 1) & mask {
		home := int(xxhash.Sum64String(t.key(t.cellRow(t.index[j])))) & mask
		// the entry at j may stay when its home lies cyclically in (i, j]
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		t.index[i] = t.index[j]
		i = j
	}
	t.index[i] = 0
}

// dropWhere forgets the rows drop says to (eviction: many at once), the
// rows kept moved together, their text copied into a new array (the old
// one stays with the strings handed out of it), and the index rebuilt.
func (t *baselines) dropWhere(drop func(n int) bool) {
	kept := t.rows[:0]
	var text []byte
	for n := range t.rows {
		if drop(n) {
			delete(t.fired, t.key(n))
			continue
		}
		r := t.rows[n]
		at, size := r.textOff(), t.textSize(n)
		r.off, r.offHigh = uint32(len(text)), uint16(len(text)>>32)
		text = append(text, t.text[at:at+size]...)
		kept = append(kept, r)
	}
	clear(t.rows[len(kept):])
	t.rows, t.text, t.dead = kept, text, 0
	t.reindex()
}

// compact copies the rows' text into a new array, without the dead.
func (t *baselines) compact() { t.dropWhere(func(int) bool { return false }) }

// grow doubles index and places every row again.
func (t *baselines) grow() {
	t.index = make([]uint32, max(256, 2*len(t.index)))
	t.reindex()
}

// reindex places every row in index again. A row's number + 1 is at most
// the index's length (it is never full), which sets rowBits.
func (t *baselines) reindex() {
	clear(t.index)
	if len(t.index) == 0 {
		return
	}
	t.rowBits = uint(bits.Len(uint(len(t.index))))
	mask := len(t.index) - 1
	for n := range t.rows {
		k := t.key(n)
		i := int(xxhash.Sum64String(k)) & mask
		for t.index[i] != 0 {
			i = (i + 1) & mask
		}
		t.setCell(i, n, k)
	}
}
