package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mmcdole/gofeed"
	jsonfeed "github.com/mmcdole/gofeed/json"

	"github.com/wirestream/wirestream/pipeline/record"
)

// jsonFeedFields are gofeed's JSON Feed fields without its UnmarshalJSON,
// which would read the whole document, items included, its own way.
type jsonFeedFields jsonfeed.Feed

// jsonFeedDoc is a JSON Feed document as readJSONFeed decodes it, in one
// pass: gofeed's feed fields, the items still raw (each is decoded on its
// own, so one bad item is rejected alone; past twice a keep, only those
// at the two ends are copied, jsonFeedItems), and the hubs gofeed does
// not read.
type jsonFeedDoc struct {
	*jsonFeedFields
	Expired json.RawMessage `json:"expired"` // coerced as gofeed does
	Items   jsonFeedItems   `json:"items"`   // shadows Feed.Items
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
// Past 2×keep items (when keep > 0), only the first keep and the last
// keep are read (jsonFeedItems): notRead counts those between.
func readJSONFeed(body []byte, keep int) (f *gofeed.Feed, hubs []jsonFeedHub, bad []Rejected, notRead int, ok bool) {
	if len(body) == 0 || body[0] != '{' {
		return nil, nil, nil, 0, false
	}
	jf := &jsonfeed.Feed{}
	doc := jsonFeedDoc{jsonFeedFields: (*jsonFeedFields)(jf), Items: jsonFeedItems{keep: keep}}
	if err := json.Unmarshal(body, &doc); err != nil {
		var dropped []Rejected
		if body, dropped, err = withoutBadFields(body, err); err != nil {
			return nil, nil, nil, 0, false
		}
		jf = &jsonfeed.Feed{}
		doc = jsonFeedDoc{jsonFeedFields: (*jsonFeedFields)(jf), Items: jsonFeedItems{keep: keep}}
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
	notRead = doc.Items.notRead()
	jf.Items = make([]*jsonfeed.Item, 0, len(doc.Items.raws))
	for k, raw := range doc.Items.raws {
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
			Error: fmt.Sprintf("item %d of %d of the JSON Feed is not a valid item: %v", doc.Items.index[k]+1, doc.Items.total, err)})
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
		return fmt.Errorf("not a JSON Feed: %w, at byte %d (truncated?)", errJSONEndsEarly, len(body))
	case errors.As(err, &syn):
		return fmt.Errorf("not a JSON Feed: JSON syntax error at byte %d of %d: %v", syn.Offset, len(body), err)
	}
	return fmt.Errorf("not a JSON Feed: %w", err)
}

// jsonObjectNoFeed says why a JSON object that decoded as a JSON Feed of
// nothing — no version, no items — is none: an API's error ({"error":
// "rate limit exceeded"}) or status object served with a 200 was read as
// a feed with no items, the feed "ok" and no item ever. It names the
// object's keys and quotes the first of them that reads as a message
// (an "error", "message", "detail"… that is text, or one level down:
// {"error": {"message": …}}). Nil when the object has a "version" or
// "items" (any case, as the decode matched them), or is no object.
func jsonObjectNoFeed(body []byte) error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if l := strings.ToLower(k); l == "version" || l == "items" {
			return nil
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(`not a JSON Feed: a JSON object with no "version" and no "items"`)
	switch {
	case len(keys) == 0:
		b.WriteString(" (it is empty)")
	default:
		b.WriteString(" (its keys: ")
		for i, k := range keys[:min(len(keys), maxNamedKeys)] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", record.Truncate(k, 40))
		}
		if len(keys) > maxNamedKeys {
			fmt.Fprintf(&b, " and %d more", len(keys)-maxNamedKeys)
		}
		b.WriteString(")")
	}
	if name, msg := messageOf(fields, ""); msg != "" {
		fmt.Fprintf(&b, "; its %q says %q", record.Truncate(name, 80), record.Truncate(msg, 200))
	}
	return errors.New(b.String())
}

// maxNamedKeys bounds the keys jsonObjectNoFeed names: an error is logged
// and published on every poll.
const maxNamedKeys = 8

// messageKeys are the keys under which APIs put what went wrong, in the
// order they are looked for.
var messageKeys = []string{"error", "message", "detail", "error_description", "errormessage", "error_message", "description", "reason", "msg", "status"}

// messageOf finds the first of messageKeys in fields (any case) whose
// value is text, or, under prefix "", an object holding one: its dotted
// name and the text.
func messageOf(fields map[string]json.RawMessage, prefix string) (string, string) {
	for _, want := range messageKeys {
		for k, raw := range fields {
			if !strings.EqualFold(k, want) {
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
				return prefix + k, strings.TrimSpace(s)
			}
			var inner map[string]json.RawMessage
			if prefix == "" && json.Unmarshal(raw, &inner) == nil {
				if name, msg := messageOf(inner, k+"."); msg != "" {
					return name, msg
				}
			}
		}
	}
	return "", ""
}
