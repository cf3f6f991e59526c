package events

import "unsafe"

// slab holds an event's copies of the strings it keeps for as long as it
// lives: its entities' keys and names, its keywords and its publishers,
// each list insert-only and bounded. The strings a story brings lie
// wherever enrichment allocated them, one or two to a cache line among
// unrelated objects; every write of the event to the state log (Changes,
// Snapshot) reads all of them, so an event of 256 entities was some 500
// cache misses a write. In the event's own arrays they lie together.
//
// A string of the slab is never written over: a full array is left to the
// strings in it and a new one begun, so the event's earlier arrays live
// until it does, and a record's strings keep the arrays they lie in. The
// lists are insert-only and bounded, so the slab is too: the strings
// taken and the unused end of each array. A full event (256 entities'
// keys and names, 256 keywords, 1,000 publishers, of 5 to 40 bytes) holds
// some 40 KB in 13 arrays, 1.04× its strings; with no publishers, 20 KB,
// 1.18× — no more than the strings' own allocations, rounded to their
// size classes, were.
type slab struct {
	b []byte
}

// Sizes of a slab's arrays: most events hold a story or two, whose
// strings fit the first; a big one's grow to maxSlab each.
const (
	minSlab = 256
	maxSlab = 4096
)

// str returns a copy of s in the slab.
func (sl *slab) str(s string) string {
	if s == "" {
		return ""
	}
	if cap(sl.b)-len(sl.b) < len(s) {
		n := min(max(2*cap(sl.b), minSlab), maxSlab)
		sl.b = make([]byte, 0, max(n, len(s)))
	}
	off := len(sl.b)
	sl.b = append(sl.b, s...)
	return unsafe.String(&sl.b[off], len(s))
}

// reserve begins an empty slab with an array of n bytes (minSlab to
// maxSlab), sized for the strings its first story brings.
func (sl *slab) reserve(n int) {
	if sl.b == nil && n > 0 {
		sl.b = make([]byte, 0, min(max(n, minSlab), maxSlab))
	}
}
