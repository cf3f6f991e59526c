package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	jsonfeed "github.com/mmcdole/gofeed/json"
)

// screenJSONFeed takes out of a JSON Feed document the items that are not
// JSON Feed items — a title that is a number, an author that is a string,
// null — and returns the document without them and the rejects. gofeed
// decodes a JSON Feed in one json.Unmarshal, so one such item would fail
// every item of the feed, where RSS and Atom lose only the item. Anything
// that is not a JSON object with an items array is returned as it is,
// for gofeed to read or to fail with its own error.
func screenJSONFeed(body []byte) ([]byte, []Rejected) {
	if len(body) == 0 || body[0] != '{' {
		return body, nil
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return body, nil
	}
	var items []json.RawMessage
	if raw, ok := top["items"]; !ok || json.Unmarshal(raw, &items) != nil {
		return body, nil
	}
	var bad []Rejected
	kept := make([]json.RawMessage, 0, len(items))
	for i, raw := range items {
		var probe jsonfeed.Item
		err := json.Unmarshal(raw, &probe)
		if err == nil && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			err = errors.New("the item is null")
		}
		if err == nil {
			kept = append(kept, raw)
			continue
		}
		bad = append(bad, Rejected{Reason: RejectInvalid, Key: shortHash(RejectInvalid, string(raw)), Raw: string(raw),
			Error: fmt.Sprintf("item %d of %d of the JSON Feed is not a valid item: %v", i+1, len(items), err)})
	}
	if len(bad) == 0 {
		return body, nil
	}
	var err error
	if top["items"], err = json.Marshal(kept); err != nil {
		return body, nil
	}
	out, err := json.Marshal(top)
	if err != nil {
		return body, nil
	}
	return out, bad
}
