package ninjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/jsonlist"
	"github.com/wirestream/wirestream/pipeline/record"
)

// ErrNotNinjs is returned by Parse for a body that is not ninjs.
var ErrNotNinjs = errors.New("not a ninjs document")

// wireItem is a ninjs object as a wire service sends it: the 2.x/3.x
// properties, plus the single-valued ones of ninjs 1.x.
type wireItem struct {
	Item
	Headline        string          `json:"headline"`
	BodyText        string          `json:"body_text"`
	BodyHTML        string          `json:"body_html"`
	BodyXHTML       string          `json:"body_xhtml"`
	DescriptionText string          `json:"description_text"`
	DescriptionHTML string          `json:"description_html"`
	Byline          string          `json:"byline"`
	Subject         []legacySubject `json:"subject"`
	// Only their presence matters: they make an untyped object an event
	// or a planning item.
	EventDetails    json.RawMessage `json:"eventDetails"`
	PlannedCoverage json.RawMessage `json:"plannedCoverage"`
}

// legacySubject is a ninjs 1.x subject.
type legacySubject struct {
	Name   string `json:"name"`
	Rel    string `json:"rel"`
	Code   string `json:"code"`
	Scheme string `json:"scheme"`
}

// markers are properties (lower-cased) that only a ninjs object has
// besides its "uri": an object with a uri and one of these is ninjs. JSON
// Feed, the other JSON a feed URL serves, has none of them at its top.
var markers = map[string]bool{
	"headlines": true, "headline": true, "bodies": true, "body_text": true, "body_html": true,
	"body_xhtml": true, "descriptions": true, "description_text": true, "description_html": true,
	"versioncreated": true, "firstcreated": true, "pubstatus": true, "renditions": true,
	"associations": true, "representationtype": true, "standard": true, "altids": true,
	"slugline": true, "byline": true, "by": true, "subjects": true, "subject": true,
	"eventdetails": true, "plannedcoverage": true,
}

// Lower-case multi-word properties of ninjs 2.x (3.x spells them in
// camelCase) and the single-valued properties of ninjs 1.x: how Parse
// tells the versions apart.
var (
	v2Keys = map[string]bool{"versioncreated": true, "firstcreated": true, "pubstatus": true,
		"copyrightholder": true, "copyrightnotice": true, "altids": true, "infosources": true,
		"representationtype": true, "contentcreated": true, "embargoeduntil": true, "usageterms": true}
	v1Keys = map[string]bool{"headline": true, "body_text": true, "body_html": true, "body_xhtml": true,
		"description_text": true, "description_html": true, "byline": true, "subject": true}
)

// Sniff reports whether body is ninjs: one ninjs object, or a JSON array
// whose first element is one. It decides by content, never by
// Content-Type: wire services serve ninjs as application/json, text/plain
// or worse.
func Sniff(body []byte) bool {
	b := trimLeft(body)
	// Every poll of a JSON Feed comes through here: without a "uri" key
	// anywhere it cannot be ninjs, and nothing needs decoding.
	if len(b) == 0 || !bytes.Contains(b, []byte(`"uri"`)) {
		return false
	}
	switch b[0] {
	case '{':
		var m map[string]json.RawMessage
		return json.Unmarshal(b, &m) == nil && looksLikeItem(m)
	case '[':
		dec := json.NewDecoder(bytes.NewReader(b))
		if _, err := dec.Token(); err != nil || !dec.More() {
			return false
		}
		var m map[string]json.RawMessage
		return dec.Decode(&m) == nil && looksLikeItem(m)
	}
	return false
}

func trimLeft(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(b, " \t\r\n")
}

func looksLikeItem(m map[string]json.RawMessage) bool {
	var uri string
	hasURI, marked := false, false
	for k, v := range m {
		k = strings.ToLower(k)
		if k == "uri" {
			hasURI = json.Unmarshal(v, &uri) == nil && strings.TrimSpace(uri) != ""
		}
		marked = marked || markers[k]
	}
	return hasURI && marked
}

// versionOf names the ninjs generation an object's property names belong
// to: "1.x", "2.x" or "3.x".
func versionOf(m map[string]json.RawMessage) string {
	v := "3.x"
	for k := range m {
		switch lk := strings.ToLower(k); {
		case v1Keys[lk]:
			return "1.x"
		case v2Keys[lk] && k == lk:
			v = "2.x"
		}
	}
	return v
}

// decode reads a ninjs document into its objects. A list element that is
// not a readable ninjs object is reported in bad, with its position, and
// the others are kept: one broken item must not hide a wire's whole list.
func decode(body []byte, keep int) (items []wireItem, version string, bad []error, notRead int, err error) {
	b := trimLeft(body)
	var elems []jsonlist.Element
	switch {
	case len(b) > 0 && b[0] == '[':
		// Past 2×keep elements, only the first keep and the last keep are
		// decoded: the caller keeps the newest, which a list has first or
		// last. The middle is stepped over and counted, never copied or
		// decoded (unmarshalled into []json.RawMessage, a 6.1 MB list of
		// 100,000 objects allocated 25.7 MB to keep 500). The walk needs
		// valid JSON; an invalid list fails as it always did.
		if !json.Valid(b) {
			var raws []json.RawMessage
			return nil, "", nil, 0, fmt.Errorf("ninjs list: %w", json.Unmarshal(b, &raws))
		}
		total, err := jsonlist.Ends(b, keep, func(e jsonlist.Element) { elems = append(elems, e) })
		if err != nil {
			return nil, "", nil, 0, fmt.Errorf("ninjs list: %w", err)
		}
		notRead = total - len(elems)
	case len(b) > 0 && b[0] == '{':
		elems = []jsonlist.Element{{Start: 0, End: len(b)}}
	default:
		return nil, "", nil, 0, ErrNotNinjs
	}
	if len(elems) > 0 {
		items = make([]wireItem, 0, len(elems)) // 744 bytes each: grown by doubling, twice the list kept
	}
	for _, e := range elems {
		raw := b[e.Start:e.End]
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil || !looksLikeItem(keys) {
			bad = append(bad, fmt.Errorf("ninjs item %d: not a ninjs object (an object with a uri and ninjs properties)", e.Index))
			continue
		}
		if version == "" {
			version = versionOf(keys)
		}
		var it wireItem
		if err := json.Unmarshal(raw, &it); err != nil {
			bad = append(bad, fmt.Errorf("ninjs item %d (%s): %w", e.Index, clip(keys["uri"]), err))
			continue
		}
		items = append(items, it)
	}
	if len(items) == 0 && len(bad) > 0 {
		return nil, "", bad, 0, fmt.Errorf("%w: %w", ErrNotNinjs, bad[0])
	}
	return items, version, bad, notRead, nil
}

func clip(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	if len(s) > 100 {
		s = record.Prefix(s, 100) + "…"
	}
	return s
}

// parseTime reads a ninjs date-time (RFC 3339); nil when absent or not one.
func parseTime(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}
