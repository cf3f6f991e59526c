package feed

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
)

// The seen-item state (feedState.Seen, Memo and Gone) is held for every
// item of every feed, so it is kept as 8-byte hashes — an item key, a
// content hash — where it was 16-character hex strings (two strings and
// their headers an item, ≈ 0.6 KB a 10-item feed). Saved, it is what it
// was: hex keys and values, a rejected entry's reason as its value, so a
// state saved before restores and one saved now is read as before.

// seenMap holds, by item key, an item's content hash or a rejected entry's
// reason (reasonCode).
type seenMap map[uint64]uint64

// memoMap holds, by item key, the memos of the items of Seen.
type memoMap map[uint64]memo

// goneList holds [key, content hash] pairs (feedState.Gone).
type goneList [][2]uint64

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

func (m seenMap) MarshalJSON() ([]byte, error) {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[formatHash(k)] = formatValue(v)
	}
	return json.Marshal(out)
}

func (m *seenMap) UnmarshalJSON(data []byte) error {
	var in map[string]string
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*m = nil
	if in != nil {
		*m = make(seenMap, len(in))
	}
	for k, v := range in {
		(*m)[parseHash(k)] = parseHash(v)
	}
	return nil
}

func (m memoMap) MarshalJSON() ([]byte, error) {
	out := make(map[string]memo, len(m))
	for k, v := range m {
		out[formatHash(k)] = v
	}
	return json.Marshal(out)
}

func (m *memoMap) UnmarshalJSON(data []byte) error {
	var in map[string]memo
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*m = nil
	if in != nil {
		*m = make(memoMap, len(in))
	}
	for k, v := range in {
		(*m)[parseHash(k)] = v
	}
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
