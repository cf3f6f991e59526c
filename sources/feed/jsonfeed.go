package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mmcdole/gofeed"
	jsonfeed "github.com/mmcdole/gofeed/json"
)

// jsonFeedFields are gofeed's JSON Feed fields without its UnmarshalJSON,
// which would read the whole document, items included, its own way.
type jsonFeedFields jsonfeed.Feed

// jsonFeedDoc is a JSON Feed document as readJSONFeed decodes it, in one
// pass: gofeed's feed fields, the items still raw (each is decoded on its
// own, so one bad item is rejected alone), and the hubs gofeed does not
// read.
type jsonFeedDoc struct {
	*jsonFeedFields
	Expired json.RawMessage   `json:"expired"` // coerced as gofeed does
	Items   []json.RawMessage `json:"items"`   // shadows Feed.Items
	// Hubs stays raw so that a malformed one costs the hubs only, not the
	// whole document (which would hand it to gofeed, where one bad item
	// fails every item).
	Hubs json.RawMessage `json:"hubs"`
}

// jsonFeedHub is one entry of a JSON Feed's hubs.
type jsonFeedHub struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// readJSONFeed decodes a JSON Feed document once and translates it as
// gofeed would. The items that are not JSON Feed items — a title that is
// a number, an author that is a string, null — are left out and returned
// as rejects: gofeed decodes a JSON Feed in one json.Unmarshal, so one
// such item would fail every item of the feed, where RSS and Atom lose
// only the item. ok is false for a body that is not a JSON object of
// JSON Feed fields; gofeed then reads it, or fails with its own error.
func readJSONFeed(body []byte) (f *gofeed.Feed, hubs []jsonFeedHub, bad []Rejected, ok bool) {
	if len(body) == 0 || body[0] != '{' {
		return nil, nil, nil, false
	}
	jf := &jsonfeed.Feed{}
	doc := jsonFeedDoc{jsonFeedFields: (*jsonFeedFields)(jf)}
	if json.Unmarshal(body, &doc) != nil {
		return nil, nil, nil, false
	}
	if len(doc.Expired) > 0 {
		// gofeed's own coercion ("true", 1, true), on the one field.
		var e jsonfeed.Feed
		if json.Unmarshal(append(append([]byte(`{"expired":`), doc.Expired...), '}'), &e) != nil {
			return nil, nil, nil, false
		}
		jf.Expired = e.Expired
	}
	jf.Items = make([]*jsonfeed.Item, 0, len(doc.Items))
	for i, raw := range doc.Items {
		it := &jsonfeed.Item{}
		err := json.Unmarshal(raw, it)
		if err == nil && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			err = errors.New("the item is null")
		}
		if err == nil {
			jf.Items = append(jf.Items, it)
			continue
		}
		bad = append(bad, Rejected{Reason: RejectInvalid, Key: shortHash(RejectInvalid, string(raw)), Raw: string(raw),
			Error: fmt.Sprintf("item %d of %d of the JSON Feed is not a valid item: %v", i+1, len(doc.Items), err)})
	}
	f, err := (&gofeed.DefaultJSONTranslator{}).Translate(jf)
	if err != nil {
		return nil, nil, nil, false
	}
	if len(doc.Hubs) > 0 && json.Unmarshal(doc.Hubs, &hubs) != nil {
		hubs = nil // not a list of hubs: the feed is read without push
	}
	return f, hubs, bad, true
}
