package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

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
// Items past the first keep (when keep > 0) stay raw: notRead counts them.
func readJSONFeed(body []byte, keep int) (f *gofeed.Feed, hubs []jsonFeedHub, bad []Rejected, notRead int, ok bool) {
	if len(body) == 0 || body[0] != '{' {
		return nil, nil, nil, 0, false
	}
	jf := &jsonfeed.Feed{}
	doc := jsonFeedDoc{jsonFeedFields: (*jsonFeedFields)(jf)}
	if err := json.Unmarshal(body, &doc); err != nil {
		var dropped []Rejected
		if body, dropped, err = withoutBadFields(body, err); err != nil {
			return nil, nil, nil, 0, false
		}
		jf = &jsonfeed.Feed{}
		doc = jsonFeedDoc{jsonFeedFields: (*jsonFeedFields)(jf)}
		if json.Unmarshal(body, &doc) != nil {
			return nil, nil, nil, 0, false
		}
		bad = dropped
	}
	if len(doc.Expired) > 0 {
		// gofeed's own coercion ("true", 1, true), on the one field.
		var e jsonfeed.Feed
		if json.Unmarshal(append(append([]byte(`{"expired":`), doc.Expired...), '}'), &e) != nil {
			return nil, nil, nil, 0, false
		}
		jf.Expired = e.Expired
	}
	// As cutEntries does: past 2×keep items, only the first keep and the
	// last keep are decoded (Limit keeps the newest, which a feed lists
	// first or last); the middle stays raw, counted.
	skipFrom, skipTo := len(doc.Items), len(doc.Items)
	if keep > 0 && len(doc.Items)-keep > keep { // more than 2×keep; 2*keep may overflow
		skipFrom, skipTo = keep, len(doc.Items)-keep
		notRead = skipTo - skipFrom
	}
	jf.Items = make([]*jsonfeed.Item, 0, len(doc.Items)-notRead)
	for i, raw := range doc.Items {
		if i >= skipFrom && i < skipTo {
			continue
		}
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
		return nil, nil, nil, 0, false
	}
	if len(doc.Hubs) > 0 && json.Unmarshal(doc.Hubs, &hubs) != nil {
		hubs = nil // not a list of hubs: the feed is read without push
	}
	return f, hubs, bad, notRead, true
}

// withoutBadFields takes out of a JSON Feed object the feed-level fields
// (title, author, home_page_url…) whose value is of the wrong type, one
// error at a time, as err and the next decodes name them: a number for a
// title cost every item of the feed, where the same mistake in one item
// costs that item only. It returns the object without them, a Rejected
// for each saying which field and what it held, and the error that
// remains: nil when the rest decodes; a syntax error, items that are no
// list, and a version that is no text are left for jsonFeedError to say.
func withoutBadFields(body []byte, err error) ([]byte, []Rejected, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return body, nil, err
	}
	var dropped []Rejected
	for range len(fields) {
		name, ok := badFeedField(err)
		raw, present := fields[name]
		if !ok || !present {
			return body, dropped, err
		}
		delete(fields, name)
		dropped = append(dropped, Rejected{Reason: RejectInvalid, Key: shortHash(RejectInvalid, name, string(raw)), Raw: string(raw),
			Error: fmt.Sprintf("the JSON Feed's %q is %s: the feed is read without it", name, typeMismatch(err))})
		body, _ = json.Marshal(fields)
		probe := jsonFeedDoc{jsonFeedFields: &jsonFeedFields{}}
		if err = json.Unmarshal(body, &probe); err == nil {
			return body, dropped, nil
		}
	}
	return body, dropped, err
}

// badFeedField names the feed-level field a decode error is about, when
// it is a value of the wrong type in a field other than items (which the
// feed cannot be read without) and version (which says it is a JSON Feed).
func badFeedField(err error) (string, bool) {
	var ute *json.UnmarshalTypeError
	if !errors.As(err, &ute) {
		return "", false
	}
	path := strings.Split(ute.Field, ".")
	if len(path) > 1 && path[0] == "jsonFeedFields" {
		path = path[1:] // the embedded struct, which the document does not name
	}
	if len(path) == 0 || path[0] == "" || path[0] == "items" || path[0] == "version" {
		return "", false
	}
	return path[0], true
}

// typeMismatch says what a wrong-typed value was and what was wanted:
// "a number, not text".
func typeMismatch(err error) string {
	var ute *json.UnmarshalTypeError
	if !errors.As(err, &ute) {
		return "not readable"
	}
	return fmt.Sprintf("%s, not %s", jsonKind(ute.Value), goKind(ute.Type))
}

func jsonKind(v string) string {
	switch v {
	case "object", "array":
		return "an " + v
	case "string":
		return "text"
	case "bool":
		return "true or false"
	}
	return "a " + v
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// jsonFeedError says why a body that is a JSON object is not a JSON Feed
// gofeed or readJSONFeed can read, naming the field or the byte: gofeed's
// own error named its internal types ("Go struct field .alias.items of
// type []*json.Item"). Nil when the body is no JSON object.
func jsonFeedError(body []byte) error {
	if len(body) == 0 || body[0] != '{' {
		return nil
	}
	doc := jsonFeedDoc{jsonFeedFields: &jsonFeedFields{}}
	err := json.Unmarshal(body, &doc)
	if err != nil {
		body, _, err = withoutBadFields(body, err) // say what readJSONFeed could not do without
	}
	var ute *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ute):
		field := strings.TrimPrefix(ute.Field, "jsonFeedFields.")
		return fmt.Errorf("not a JSON Feed: its %q is %s", field, typeMismatch(err))
	case errors.As(err, &syn) && syn.Error() == "unexpected end of JSON input":
		return fmt.Errorf("not a JSON Feed: the JSON ends early, at byte %d (truncated?)", len(body))
	case errors.As(err, &syn):
		return fmt.Errorf("not a JSON Feed: JSON syntax error at byte %d of %d: %v", syn.Offset, len(body), err)
	}
	return fmt.Errorf("not a JSON Feed: %w", err)
}
