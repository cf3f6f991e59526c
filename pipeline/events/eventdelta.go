package events

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cespare/xxhash/v2"
)

// An event's delta entry ('E' event id) holds what changed since the
// last whole image of it the log was given ('e' event id), so a story
// that joins a large event writes the items it changed, not the event's
// up to 256 entities, 256 keywords, members, publishers and centroid
// again (BENCHMARKS.md round 42, cpu42: 18.9 KB of log a story, of which
// 0.63 KB changed).
//
// Each delta is written against the last whole image, never against the
// previous delta, so the last entry of each key is enough (a compacted
// changelog): the 'e' key keeps the base, the 'E' key the latest delta.
// A delta names its base by the hash of the base's bytes, and a restore
// applies it only to a base of that hash: a stale delta — left by a base
// written anew since, whose tombstone for the delta a compaction has not
// reached — comes before that newer base in the log, and loading a base
// drops the delta loaded before it. A closed event's tombstones delete
// both keys.
//
// The image is cut into items (encodeEvent's marks: the fixed fields, a
// list's length, one centroid term, member, publisher, entity or
// keyword, the title, the small lists); a delta copies runs of the
// base's items and writes the others whole. Applying it gives the bytes
// of the whole image the writer would have written — a hash of them is
// in the delta and checked —, which decodeEvent reads as always, so a
// restore from deltas holds exactly what one from whole images holds.
//
// Value: version (1), the base's hash (8 bytes), the image's hash (8
// bytes), the image's length (uvarint), then ops to the end, each
// uvarint skip (base items passed over), uvarint copy (base items
// copied), uvarint n, and n items written whole (each uvarint length,
// bytes).

// logBase is the last whole image of an event given to the log, cut into
// items: what its delta entries are written against.
type logBase struct {
	img   []byte
	marks []int32 // where each item ends
	hash  uint64
	delta bool // a delta entry was written against it: its key is tombstoned when the base moves on
}

// maxBaseBytes bounds the images the writer keeps to write deltas
// against. An event without one writes its whole image and keeps it; the
// bases are the recently touched events', and dropped at random past the
// bound (only the next entry of a dropped one is whole again).
const maxBaseBytes = 16 << 20

// foldRatio: a delta larger than this share of the whole image is not
// worth its base; the whole image is written instead and becomes the
// base, so a delta never grows past it.
const foldRatio = 2

// resync is how many items ahead the diff looks for the base item (or the
// image's item) it has lost, before it writes the image's item whole.
const resync = 8

const deltaVersion = 1

// addEvent writes ev's entry: a delta against its base when it has one
// and the delta is small, else the whole image, which becomes its base.
func (l *changes) addEvent(ev *event, d *dict) {
	l.marks = l.marks[:0]
	l.img = encodeEvent(l.img[:0], ev, &l.ids, d, &l.marks)
	base := l.bases[ev]
	if base != nil {
		l.delta = appendDelta(l.delta[:0], base, l.img, l.marks)
		if len(l.delta)*foldRatio <= len(l.img) {
			base.delta = true
			l.add('E', ev.id, func(b []byte) []byte { return append(b, l.delta...) })
			return
		}
	}
	l.add('e', ev.id, func(b []byte) []byte { return append(b, l.img...) })
	if base != nil && base.delta {
		l.add('E', ev.id, nil)
	}
	l.keepBase(ev, base)
}

// keepBase makes the image just written (l.img, l.marks) ev's base.
func (l *changes) keepBase(ev *event, base *logBase) {
	if base == nil {
		if l.bases == nil {
			l.bases = map[*event]*logBase{}
		}
		base = &logBase{}
		l.bases[ev] = base
	}
	l.baseBytes -= cap(base.img) + 4*cap(base.marks)
	base.img = append(base.img[:0], l.img...)
	base.marks = append(base.marks[:0], l.marks...)
	base.hash, base.delta = xxhash.Sum64(l.img), false
	l.baseBytes += cap(base.img) + 4*cap(base.marks)
	if l.baseBytes > maxBaseBytes {
		for e, b := range l.bases { // in the map's order: at random
			if e == ev {
				continue
			}
			delete(l.bases, e)
			l.baseBytes -= cap(b.img) + 4*cap(b.marks)
			if l.baseBytes <= maxBaseBytes*3/4 {
				break
			}
		}
	}
}

// dropBase forgets ev's base (it closed or merged away).
func (l *changes) dropBase(ev *event) {
	if b := l.bases[ev]; b != nil {
		delete(l.bases, ev)
		l.baseBytes -= cap(b.img) + 4*cap(b.marks)
	}
}

// dropBases forgets every base: after a snapshot each event's next entry
// is whole, so no delta is written against an image older than the
// snapshot (which the file log no longer holds; a Kafka changelog's
// snapshot cache is a local file the topic does not hold either).
func (l *changes) dropBases() {
	l.bases, l.baseBytes = nil, 0
}

// item is the i-th item of an image cut at marks.
func item(img []byte, marks []int32, i int) []byte {
	from := int32(0)
	if i > 0 {
		from = marks[i-1]
	}
	return img[from:marks[i]]
}

// appendDelta appends the delta that turns base into img (cut at marks).
func appendDelta(b []byte, base *logBase, img []byte, marks []int32) []byte {
	b = append(b, deltaVersion)
	b = binary.LittleEndian.AppendUint64(b, base.hash)
	b = binary.LittleEndian.AppendUint64(b, xxhash.Sum64(img))
	b = binary.AppendUvarint(b, uint64(len(img)))
	nb, nc := len(base.marks), len(marks)
	same := func(i, j int) bool {
		return i < nb && bytes.Equal(item(base.img, base.marks, i), item(img, marks, j))
	}
	// ahead is how many base items on from i the image's item j is, 0 if
	// not within resync
	ahead := func(i, j int) int {
		for k := i + 1; k < min(i+resync, nb); k++ {
			if same(k, j) {
				return k - i
			}
		}
		return 0
	}
	i, j := 0, 0
	for j < nc {
		skip := 0
		if !same(i, j) {
			skip = ahead(i, j)
		}
		i += skip
		n := 0
		for j < nc && same(i, j) {
			i, j, n = i+1, j+1, n+1
		}
		from := j
		for j < nc && !same(i, j) && ahead(i, j) == 0 {
			j++
		}
		b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(skip)), uint64(n))
		b = binary.AppendUvarint(b, uint64(j-from))
		for k := from; k < j; k++ {
			it := item(img, marks, k)
			b = append(binary.AppendUvarint(b, uint64(len(it))), it...)
		}
	}
	return b
}

// delta is a delta entry read, its ops not yet applied.
type delta struct {
	base, img uint64 // hashes
	size      int
	ops       []byte
}

// readDelta checks a delta entry's value whole — each op and each item
// within the value — before it is kept for Restored.
func readDelta(v []byte) (delta, error) {
	if len(v) < 17 || v[0] != deltaVersion {
		return delta{}, errors.New("not a delta of a known version")
	}
	d := delta{base: binary.LittleEndian.Uint64(v[1:]), img: binary.LittleEndian.Uint64(v[9:])}
	size, n := binary.Uvarint(v[17:])
	if n <= 0 || size > 1<<31 {
		return delta{}, errors.New("image length unreadable")
	}
	d.size, d.ops = int(size), v[17+n:]
	err := walkOps(d.ops, func(skip, copies int) bool { return true }, func([]byte) {})
	return d, err
}

// walkOps reads ops: each skip and copy handed to span (false stops the
// walk with an error), each item written whole to lit.
func walkOps(ops []byte, span func(skip, copies int) bool, lit func([]byte)) error {
	next := func() (int, bool) {
		x, n := binary.Uvarint(ops)
		if n <= 0 || x > uint64(len(ops))+1<<24 {
			return 0, false
		}
		ops = ops[n:]
		return int(x), true
	}
	for len(ops) > 0 {
		skip, ok1 := next()
		copies, ok2 := next()
		lits, ok3 := next()
		if !ok1 || !ok2 || !ok3 || lits > len(ops) {
			return errors.New("op unreadable")
		}
		if !span(skip, copies) {
			return errors.New("op past the base's items")
		}
		for range lits {
			size, ok := next()
			if !ok || size > len(ops) {
				return errors.New("item past the value's end")
			}
			lit(ops[:size])
			ops = ops[size:]
		}
	}
	return nil
}

// apply returns the image the delta turns base (cut at marks) into,
// checked against the hash it was written with.
func (d delta) apply(base []byte, marks []int32) ([]byte, error) {
	if xxhash.Sum64(base) != d.base {
		return nil, errors.New("written against another image than the one restored")
	}
	if d.size > len(base)+len(d.ops) {
		return nil, fmt.Errorf("image of %d bytes from a base of %d and a delta of %d", d.size, len(base), len(d.ops))
	}
	img := make([]byte, 0, d.size)
	i := 0
	err := walkOps(d.ops, func(skip, copies int) bool {
		if skip > len(marks)-i || copies > len(marks)-i-skip {
			return false
		}
		i += skip
		if copies > 0 {
			from := int32(0)
			if i > 0 {
				from = marks[i-1]
			}
			img = append(img, base[from:marks[i+copies-1]]...)
		}
		i += copies
		return true
	}, func(it []byte) { img = append(img, it...) })
	if err != nil {
		return nil, err
	}
	if len(img) != d.size || xxhash.Sum64(img) != d.img {
		return nil, errors.New("applied, not the image it was written from")
	}
	return img, nil
}
