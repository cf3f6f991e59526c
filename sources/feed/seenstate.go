package feed

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// The seen-item state (feedState.Seen, Memo and Gone) is held for every
// item of every feed, so it is kept as 8-byte hashes — an item key, a
// content hash — where it was 16-character hex strings (two strings and
// their headers an item, ≈ 0.6 KB a 10-item feed), and in sorted slices
// where it was maps (round 39: a map's table is a power of two with room
// to spare, ≈ 96 bytes held an item for 56 of data; a feed's lookups are
// a few dozen binary searches a poll that reads a body, none a 304).
// Saved, it is what it was: hex keys and values, a rejected entry's
// reason as its value, so a state saved before restores and one saved now
// is read as before.

// seenList holds, by item key, an item's content hash or a rejected
// entry's reason (reasonCode): sorted by key, each key once.
type seenList []seenEntry

type seenEntry struct{ Key, Val uint64 }

// memoEntry is an item key's memo as the code reads it (memoList holds
// it packed).
type memoEntry struct {
	Key uint64
	memo
}

// goneList holds [key, content hash] pairs (feedState.Gone).
type goneList [][2]uint64

// get is the value held for key k.
func (s seenList) get(k uint64) (uint64, bool) {
	i, found := slices.BinarySearchFunc(s, k, func(e seenEntry, k uint64) int { return cmp.Compare(e.Key, k) })
	if !found {
		return 0, false
	}
	return s[i].Val, true
}

// has reports whether s holds key k.
func (s seenList) has(k uint64) bool {
	_, ok := s.get(k)
	return ok
}

// seenListOf is m sorted by key, in a slice of exactly its length (nil for
// nil, empty for empty).
func seenListOf(m map[uint64]uint64) seenList {
	if m == nil {
		return nil
	}
	out := make(seenList, 0, len(m))
	for k, v := range m {
		out = append(out, seenEntry{k, v})
	}
	slices.SortFunc(out, func(a, b seenEntry) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// memoListOf is m sorted by key, held in a list of exactly its length
// (nil for nil, empty for empty).
func memoListOf(m map[uint64]memo) memoList {
	if m == nil {
		return memoList{}
	}
	out := make([]memoEntry, 0, len(m))
	for k, v := range m {
		out = append(out, memoEntry{k, v})
	}
	slices.SortFunc(out, func(a, b memoEntry) int { return cmp.Compare(a.Key, b.Key) })
	return memoListFrom(out)
}

// mergeSorted is old and add, both sorted by key with each key once,
// merged into one such slice; add's entry wins where both hold a key.
// It is never nil.
func mergeSorted[S ~[]E, E any](old, add S, key func(E) uint64) S {
	out := make(S, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) && j < len(add) {
		switch ko, ka := key(old[i]), key(add[j]); {
		case ko < ka:
			out = append(out, old[i])
			i++
		case ko > ka:
			out = append(out, add[j])
			j++
		default:
			out = append(out, add[j])
			i++
			j++
		}
	}
	out = append(out, old[i:]...)
	out = append(out, add[j:]...)
	return slices.Clip(out)
}

// hashOf is the 8 bytes of a SHA-256 that shortHash writes as hex.
func hashOf(sum []byte) uint64 { return binary.BigEndian.Uint64(sum[:8]) }

// formatHash writes h as shortHash does.
func formatHash(h uint64) string { return fmt.Sprintf("%016x", h) }

// rejectReasons are the reasons Seen may hold for rejected entries.
var rejectReasons = []string{RejectInvalid, RejectRepeated, RejectOverLimit}

// reasonCode is a rejected entry's reason as Seen holds it: a hash outside
// of what a content hash is likely to be, found again when saved.
func reasonCode(reason string) uint64 { return hash64("reject", reason) }

// parseHash reads a saved key or value: shortHash's hex, else (a reason,
// or a state written by hand) a hash of the text, which keeps it told
// apart from others.
func parseHash(s string) uint64 {
	if len(s) == 16 {
		if h, err := strconv.ParseUint(s, 16, 64); err == nil {
			return h
		}
	}
	return reasonCode(s)
}

// formatValue writes a Seen value: its reason for a rejected entry.
func formatValue(h uint64) string {
	for _, r := range rejectReasons {
		if h == reasonCode(r) {
			return r
		}
	}
	return formatHash(h)
}

func (m seenList) MarshalJSON() ([]byte, error) {
	out := make(map[string]string, len(m))
	for _, e := range m {
		out[formatHash(e.Key)] = formatValue(e.Val)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads an object of hex keys; keys that read as the same
// hash (hex in upper and lower case) are one, as they were in a map.
func (m *seenList) UnmarshalJSON(data []byte) error {
	var in map[string]string
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	var byKey map[uint64]uint64
	if in != nil {
		byKey = make(map[uint64]uint64, len(in))
	}
	for k, v := range in {
		byKey[parseHash(k)] = parseHash(v)
	}
	*m = seenListOf(byKey)
	return nil
}

func (m memoList) MarshalJSON() ([]byte, error) {
	out := make(map[string]memo, m.len())
	for e := range m.all() {
		out[formatHash(e.Key)] = e.memo
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads an object of hex keys, as seenList's does.
func (m *memoList) UnmarshalJSON(data []byte) error {
	var in map[string]memo
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	var byKey map[uint64]memo
	if in != nil {
		byKey = make(map[uint64]memo, len(in))
	}
	for k, v := range in {
		byKey[parseHash(k)] = v
	}
	*m = memoListOf(byKey)
	return nil
}

func (g goneList) MarshalJSON() ([]byte, error) {
	out := make([][2]string, len(g))
	for i, p := range g {
		out[i] = [2]string{formatHash(p[0]), formatValue(p[1])}
	}
	return json.Marshal(out)
}

func (g *goneList) UnmarshalJSON(data []byte) error {
	var in [][2]string
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*g = nil
	if in != nil {
		*g = make(goneList, len(in))
	}
	for i, p := range in {
		(*g)[i] = [2]uint64{parseHash(p[0]), parseHash(p[1])}
	}
	return nil
}
