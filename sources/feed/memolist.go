package feed

import (
	"cmp"
	"iter"
	"math"
	"slices"
)

// memoList is feedState.Memo: by item key, the memos of the items of
// Seen, sorted by key, each key once. It is held between polls for every
// item of every feed, so a memo's two dates — First, our clock's Unix
// seconds, and Updated, the feed's own, both 0 for none — are held in 4
// bytes each, which hold every second from 1970 to 2106: a memo is then
// 32 bytes with its key, where it was 40 (an 80-item feed's 3,200 B →
// 2,688 in the allocator's class). A list with a date 4 bytes do not
// hold (a feed dated past 2106, a negative date a state written by hand
// carries) keeps its memos as they came, behind a pointer, as
// recentList does: decisions and saved bytes are those of the dates as
// they were.
//
// A nil list (no packed slice, no wide one) is told apart from an empty
// one, as a nil slice was from an empty one (scheduleOnlyChange); both
// are saved as no memo at all.
type memoList struct {
	packed []packedMemo // when every date fits (wide is nil)
	wide   *[]memoEntry // the memos as they came, when one does not fit packed
}

// packedMemo is a memoEntry with 4-byte dates.
type packedMemo struct {
	Key, Link, Text uint64
	first, updated  uint32
}

// fitsPacked reports whether a date is one packedMemo holds.
func fitsPacked(v int64) bool { return v >= 0 && v <= math.MaxUint32 }

// memoListFrom holds es (sorted by key, each key once; not kept) as a
// memoList: nil for nil, empty for empty.
func memoListFrom(es []memoEntry) memoList {
	if es == nil {
		return memoList{}
	}
	packed := make([]packedMemo, len(es))
	for i, e := range es {
		if !fitsPacked(e.First) || !fitsPacked(e.Updated) {
			wide := slices.Clone(es)
			return memoList{wide: &wide}
		}
		packed[i] = packedMemo{Key: e.Key, Link: e.Link, Text: e.Text, first: uint32(e.First), updated: uint32(e.Updated)}
	}
	return memoList{packed: packed}
}

// len is how many memos m holds.
func (m memoList) len() int {
	if m.wide != nil {
		return len(*m.wide)
	}
	return len(m.packed)
}

// isNil reports whether m is a nil list (not an empty one).
func (m memoList) isNil() bool { return m.wide == nil && m.packed == nil }

// at is m's i-th memo, by key.
func (m memoList) at(i int) memoEntry {
	if m.wide != nil {
		return (*m.wide)[i]
	}
	p := &m.packed[i]
	return memoEntry{Key: p.Key, memo: memo{Link: p.Link, Text: p.Text, First: int64(p.first), Updated: int64(p.updated)}}
}

// all is m's memos in key order.
func (m memoList) all() iter.Seq[memoEntry] {
	return func(yield func(memoEntry) bool) {
		for i := range m.len() {
			if !yield(m.at(i)) {
				return
			}
		}
	}
}

// entries is m's memos in a new slice (nil for nil, empty for empty).
func (m memoList) entries() []memoEntry {
	if m.isNil() {
		return nil
	}
	out := make([]memoEntry, 0, m.len())
	for e := range m.all() {
		out = append(out, e)
	}
	return out
}

// get is the memo held for key k.
func (m memoList) get(k uint64) (memo, bool) {
	var i int
	var found bool
	if m.wide != nil {
		i, found = slices.BinarySearchFunc(*m.wide, k, func(e memoEntry, k uint64) int { return cmp.Compare(e.Key, k) })
	} else {
		i, found = slices.BinarySearchFunc(m.packed, k, func(e packedMemo, k uint64) int { return cmp.Compare(e.Key, k) })
	}
	if !found {
		return memo{}, false
	}
	return m.at(i).memo, true
}

// same reports whether a and b hold the same memos, nil and empty apart,
// as sameSlice does (at once for a list shared by both states).
func (a memoList) same(b memoList) bool {
	if a.isNil() != b.isNil() || a.len() != b.len() {
		return false
	}
	if a.wide != nil && b.wide != nil {
		return sameSlice(*a.wide, *b.wide)
	}
	if a.wide == nil && b.wide == nil {
		return sameSlice(a.packed, b.packed)
	}
	return false // a list is packed whenever its memos fit, so one packed and one wide differ
}

// clone is m in slices of its own.
func (m memoList) clone() memoList {
	if m.wide != nil {
		wide := slices.Clone(*m.wide)
		return memoList{wide: &wide}
	}
	return memoList{packed: slices.Clone(m.packed)}
}

// IsZero reports whether m holds no memo: a saved state writes none
// (the "omitzero" of feedState.Memo, as "omitempty" was for the slice).
func (m memoList) IsZero() bool { return m.len() == 0 }
