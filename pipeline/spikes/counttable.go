package spikes

import (
	"iter"
	"math"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// countTable is an open bucket's counts by term key, with no object, map
// entry or string per term: the counts lie in one array, their keys' and
// names' bytes in another (text, each a textRef), and index is an
// open-addressing table of their numbers, probed linearly by the key's
// hash. A cold start's bucket holds a count for every term of 100k
// stories: round 36 measured 141 B a term of one story in a
// map[string]*count (the map's entry, the key's own allocation, an 80-byte
// count with a story's three strings), the largest part of the spikes
// stage's 55–75 MB of live heap in the 10k-feed run.
type countTable struct {
	counts []count
	text   []byte   // appended only: a key handed out as a string stays valid
	index  []uint32 // a count's number + 1, 0 for an empty cell; a power of two long
}

// textRef is a key's or name's bytes in countTable.text.
type textRef struct{ off, n uint32 }

// maxLoad is the share of index's cells, in eighths, that may be taken
// before it doubles: 3/4, a few probes a lookup.
const maxLoad = 6

func (t *countTable) len() int { return len(t.counts) }

// maxCountText bounds a table's text, which textRef's 32-bit offsets
// address: past it an offset would wrap and a count would read another's
// key. A variable so that a test reaches it without 4 GiB of keys.
var maxCountText uint64 = math.MaxUint32

// room says whether n more bytes fit in the table's text: a bucket whose
// text is full counts no new term, as one at max_bucket_terms (apply).
func (t *countTable) room(n int) bool {
	return uint64(len(t.text))+uint64(n) <= maxCountText
}

// countTextSize is the bytes of text add takes for a count of key named name.
func countTextSize(key, name string) int {
	if name != key {
		return len(key) + len(name)
	}
	return len(key)
}

// str is ref's text: a string over text's bytes, which are never written
// again, so it stays valid while the table grows (keeping the array it
// lies in alive: what outlives the bucket must be copied).
func (t *countTable) str(ref textRef) string {
	if ref.n == 0 {
		return ""
	}
	return unsafe.String(&t.text[ref.off], int(ref.n))
}

func (t *countTable) key(c *count) string  { return t.str(c.key) }
func (t *countTable) name(c *count) string { return t.str(c.name) }

// get is the count of key, nil when the table has none. The pointer is
// valid until the next add or dropWhere.
func (t *countTable) get(key string) *count {
	if i, ok := t.cell(key); ok {
		return &t.counts[t.index[i]-1]
	}
	return nil
}

// cell is the cell of key, or the empty cell where it would go, and
// whether the key is there.
func (t *countTable) cell(key string) (int, bool) {
	if len(t.index) == 0 {
		return 0, false
	}
	mask := len(t.index) - 1
	for i := int(xxhash.Sum64String(key)) & mask; ; i = (i + 1) & mask {
		n := t.index[i]
		if n == 0 {
			return i, false
		}
		if t.key(&t.counts[n-1]) == key {
			return i, true
		}
	}
}

// add makes an empty count for key (not in the table), its text copied
// in (a story's keywords are slices of its whole text), and returns it,
// valid until the next add or dropWhere.
func (t *countTable) add(key, name string) *count {
	if 8*(len(t.counts)+1) > maxLoad*len(t.index) {
		t.grow()
	}
	i, _ := t.cell(key)
	c := count{key: t.appendText(key)}
	t.rename(&c, name)
	t.counts = append(t.counts, c)
	t.index[i] = uint32(len(t.counts))
	return &t.counts[len(t.counts)-1]
}

// rename gives c its name, which shares its key's text when equal (add),
// or another one (a restore reading a count's entry again).
func (t *countTable) rename(c *count, name string) {
	c.name = c.key
	if name != t.key(c) {
		c.name = t.appendText(name)
	}
}

func (t *countTable) appendText(s string) textRef {
	if !t.room(len(s)) {
		panic("spikes: a bucket's count table past its text limit") // room was not asked: never wrap
	}
	ref := textRef{uint32(len(t.text)), uint32(len(s))}
	t.text = append(t.text, s...)
	return ref
}

// grow doubles index and places every count again. A bucket starts at
// room for 192 counts (a live bucket holds a few hundred terms; a cold
// start's, 100k), so that most grow a few times, not eight.
func (t *countTable) grow() {
	if len(t.index) == 0 {
		t.index = make([]uint32, 256)
		t.counts = make([]count, 0, 192)
		t.text = make([]byte, 0, 192*16)
		return
	}
	t.index = make([]uint32, 2*len(t.index))
	t.reindex()
}

func (t *countTable) reindex() {
	clear(t.index)
	for n := range t.counts {
		placeInIndex(t.index, t.key(&t.counts[n]), n)
	}
}

// placeInIndex puts number n (as n + 1) in the first empty cell from
// key's home in index, a linear-probing table a power of two long that
// does not hold key: both tables' reindex, after a growth or a drop.
func placeInIndex(index []uint32, key string, n int) {
	mask := len(index) - 1
	i := int(xxhash.Sum64String(key)) & mask
	for index[i] != 0 {
		i = (i + 1) & mask
	}
	index[i] = uint32(n + 1)
}

// dropWhere removes the counts drop says to, and returns how many: the
// counts kept are moved together, their text copied into a new array
// (the old one stays with the strings handed out of it), and the index
// rebuilt.
func (t *countTable) dropWhere(drop func(*count) bool) int {
	kept := t.counts[:0]
	var text []byte
	move := func(ref textRef) textRef {
		at := textRef{uint32(len(text)), ref.n}
		text = append(text, t.text[ref.off:ref.off+ref.n]...)
		return at
	}
	for _, c := range t.counts {
		if drop(&c) {
			continue
		}
		key, name := c.key, c.name
		c.key = move(key)
		c.name = c.key
		if name != key {
			c.name = move(name)
		}
		kept = append(kept, c)
	}
	dropped := len(t.counts) - len(kept)
	clear(t.counts[len(kept):]) // the lists of the counts dropped
	t.counts, t.text = kept, text
	t.reindex()
	return dropped
}

// all yields every key and its count, in the order they were added.
func (t *countTable) all() iter.Seq2[string, *count] {
	return func(yield func(string, *count) bool) {
		for n := range t.counts {
			c := &t.counts[n]
			if !yield(t.key(c), c) {
				return
			}
		}
	}
}
