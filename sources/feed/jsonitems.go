package feed

import (
	"bytes"
	"encoding/json"
	"errors"
)

// jsonFeedItems is a JSON Feed's item list as readJSONFeed reads it, each
// item raw so that one bad item is rejected alone. With keep > 0, only
// the first keep and the last keep items are copied out; those between
// are stepped over (to find where the list ends and how long it is) and
// counted, never copied or decoded: a JSON Feed of 100,000 items cost a
// raw copy of every item, 3.3 times its body, to keep 500 (round 19's cut
// came after the copy). Limit keeps the newest, which a feed lists first
// or last.
type jsonFeedItems struct {
	keep  int               // items to keep at each end; every item when <= 0
	raws  []json.RawMessage // the items kept, in document order
	index []int             // each kept item's place in the list, from 0
	total int               // items in the list
}

// UnmarshalJSON reads the list data, as encoding/json hands it over:
// whole and already checked to be valid JSON. A value that is no list
// fails as a []json.RawMessage would, so the error names the field
// (jsonFeedError); null is no items.
func (l *jsonFeedItems) UnmarshalJSON(data []byte) error {
	*l = jsonFeedItems{keep: l.keep} // a repeated "items" key replaces the list, as for a slice
	if l.keep <= 0 || len(data) == 0 || data[0] != '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return err
		}
		l.raws, l.total = raws, len(raws)
		for i := range raws {
			l.index = append(l.index, i)
		}
		return nil
	}
	var tail [][2]int         // where the last keep items lie, a ring, once there are more than keep
	for i, n := 1, 0; ; n++ { // data[0] is the list's '['
		for i < len(data) && (isJSONSpace(data[i]) || data[i] == ',') {
			i++
		}
		if i >= len(data) || data[i] == ']' {
			break
		}
		end := valueEnd(data, i)
		if end <= i {
			return errors.New("the JSON Feed's items are no list") // not valid JSON, which encoding/json hands no Unmarshaler
		}
		if n < l.keep {
			l.raws = append(l.raws, bytes.Clone(data[i:end]))
			l.index = append(l.index, n)
		} else {
			if tail == nil {
				tail = make([][2]int, l.keep)
			}
			tail[n%l.keep] = [2]int{i, end}
		}
		l.total, i = n+1, end
	}
	for n := max(l.keep, l.total-l.keep); n < l.total; n++ {
		at := tail[n%l.keep]
		l.raws = append(l.raws, bytes.Clone(data[at[0]:at[1]]))
		l.index = append(l.index, n)
	}
	return nil
}

// notRead is how many items of the list were stepped over, not kept.
func (l *jsonFeedItems) notRead() int { return l.total - len(l.raws) }

// valueEnd is the index just past the JSON value that begins at b[i].
// b is valid JSON — encoding/json checks the whole document before it
// hands a value to an Unmarshaler — so the value's end is found by
// nesting and string quotes alone. (A json.Decoder stepping over the
// list with Decode into a no-op Unmarshaler and InputOffset copied
// nothing either, but took 1.4 times the CPU of copying every item: it
// scans each value twice more.)
func valueEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			i = stringEnd(b, i)
			if depth == 0 {
				return i
			}
			i-- // the loop steps past the closing quote
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return i // a number or literal, ended by its list's ']'
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case depth == 0 && (c == ',' || isJSONSpace(c)):
			return i // a number or literal ends here
		}
	}
	return i
}

// stringEnd is the index just past the string whose opening quote is
// b[i], past escaped quotes.
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
