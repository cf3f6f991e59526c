package feed

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/wirestream/wirestream/internal/jsonlist"
)

// jsonFeedItems is a JSON Feed's item list as readJSONFeed reads it, each
// item raw so that one bad item is rejected alone. With keep > 0, only
// the first keep and the last keep items are copied out; those between
// are stepped over (jsonlist.Ends: to find where the list ends and how
// long it is) and counted, never copied or decoded: a JSON Feed of
// 100,000 items cost a raw copy of every item, 3.3 times its body, to
// keep 500 (round 19's cut came after the copy). Limit keeps the newest,
// which a feed lists first or last.
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
	total, err := jsonlist.Ends(data, l.keep, func(e jsonlist.Element) {
		l.raws = append(l.raws, bytes.Clone(data[e.Start:e.End]))
		l.index = append(l.index, e.Index)
	})
	if err != nil {
		return errors.New("the JSON Feed's items are no list") // not valid JSON, which encoding/json hands no Unmarshaler
	}
	l.total = total
	return nil
}

// notRead is how many items of the list were stepped over, not kept.
func (l *jsonFeedItems) notRead() int { return l.total - len(l.raws) }
