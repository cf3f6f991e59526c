// Package ninjs speaks IPTC ninjs ("News in JSON"), the JSON format
// newsrooms and wire services exchange stories in, in both directions:
//
//   - FromStory writes a story record as a ninjs 3.1 object (what
//     `output.format: ninjs` publishes), and
//   - Parse reads a ninjs document a wire service serves — one object or a
//     list of them, ninjs 3.x, or the lower-case 2.x and 1.x spellings —
//     and ToItems turns it into source items, as a feed parser would.
//
// It promises that FromStory's output validates against the official
// ninjs 3.1 JSON Schema (tests check it against the IPTC's own schema and
// validation suite), and that a story's headline, body, language and
// coded subjects survive a round trip: written by FromStory, read back by
// Parse and ToItems. It holds no state and imports no pipeline stage.
package ninjs

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Version is the ninjs version FromStory writes.
const Version = "3.1"

// SchemaURI is the $id of the ninjs schema FromStory's output follows.
const SchemaURI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"

// ContentType is the media type of a ninjs value, with the schema as its
// profile (RFC 6906), so a consumer can tell ninjs from wirestream's own
// records by a header alone.
const ContentType = `application/json; profile="` + SchemaURI + `"`

// Item is one ninjs object: the properties wirestream writes or reads.
// Field names are ninjs 3.x's camelCase; encoding/json matches keys
// case-insensitively, so ninjs 2.x's lower-case spellings ("versioncreated",
// "pubstatus") decode into the same fields.
type Item struct {
	URI                string       `json:"uri"`
	Type               string       `json:"type,omitempty"` // text, picture, video, audio, graphic, composite, component, event, planning
	RepresentationType string       `json:"representationType,omitempty"`
	Profile            string       `json:"profile,omitempty"`
	Version            Str          `json:"version,omitempty"`
	FirstCreated       string       `json:"firstCreated,omitempty"`
	VersionCreated     string       `json:"versionCreated,omitempty"`
	ContentCreated     string       `json:"contentCreated,omitempty"`
	EmbargoedUntil     string       `json:"embargoedUntil,omitempty"`
	PubStatus          string       `json:"pubStatus,omitempty"` // usable, withheld, canceled
	CopyrightHolder    string       `json:"copyrightHolder,omitempty"`
	CopyrightNotice    string       `json:"copyrightNotice,omitempty"`
	Language           string       `json:"language,omitempty"`
	Headlines          []Text       `json:"headlines,omitempty"`
	Descriptions       []Text       `json:"descriptions,omitempty"`
	Bodies             []Body       `json:"bodies,omitempty"`
	By                 string       `json:"by,omitempty"`
	Title              string       `json:"title,omitempty"`
	People             []Ref        `json:"people,omitempty"`
	Organisations      []Ref        `json:"organisations,omitempty"`
	Places             []Ref        `json:"places,omitempty"`
	Subjects           []Subject    `json:"subjects,omitempty"`
	Genres             []Ref        `json:"genres,omitempty"`
	Events             []Event      `json:"events,omitempty"`
	InfoSources        []InfoSource `json:"infoSources,omitempty"`
	AltIDs             []AltID      `json:"altIds,omitempty"`
	Renditions         Renditions   `json:"renditions,omitempty"`
	Associations       Associations `json:"associations,omitempty"`
	Standard           *Standard    `json:"standard,omitempty"`
}

// Str is a string that also accepts a JSON number when read: providers
// send "version": 2 as often as "version": "2".
type Str string

// UnmarshalJSON accepts a string, a number or null.
func (s *Str) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*s = ""
	case string:
		*s = Str(v)
	case float64:
		*s = Str(string(b))
	default:
		return fmt.Errorf("want a string or a number, got %s", b)
	}
	return nil
}

// Text is a headline or a description: a value with a role ("main",
// "summary", ...) and a content type ("text/plain" when absent).
type Text struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Value       string `json:"value"`
}

// Body is one rendering of the story's text.
type Body struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	CharCount   int    `json:"charCount,omitempty"`
	WordCount   int    `json:"wordCount,omitempty"`
	Value       string `json:"value"`
}

// Ref names a person, organisation, place or genre.
type Ref struct {
	Name    string `json:"name,omitempty"`
	Rel     string `json:"rel,omitempty"`
	URI     string `json:"uri,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// Subject is what the story is about, in a controlled vocabulary (IPTC
// Media Topics for the ones wirestream assigns).
type Subject struct {
	Name       string `json:"name,omitempty"`
	Rel        string `json:"rel,omitempty"`
	URI        string `json:"uri,omitempty"`
	Literal    string `json:"literal,omitempty"`
	Creator    string `json:"creator,omitempty"`
	Relevance  *int   `json:"relevance,omitempty"`  // 0..100
	Confidence *int   `json:"confidence,omitempty"` // 0..100
}

// Event is a news event the story is part of.
type Event struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Rel     string `json:"rel,omitempty"`
	URI     string `json:"uri,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// InfoSource is a party that originated or supplied the content.
type InfoSource struct {
	Name    string `json:"name,omitempty"`
	Role    string `json:"role,omitempty"`
	URI     string `json:"uri,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// AltID is another identifier of the same content: a GUID, a web address.
type AltID struct {
	Role  string `json:"role,omitempty"`
	Value string `json:"value,omitempty"`
}

// Rendition is one file of a media item.
type Rendition struct {
	Name        string  `json:"name"`
	Title       string  `json:"title,omitempty"`
	Href        string  `json:"href,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
	Width       int     `json:"width,omitempty"`
	Height      int     `json:"height,omitempty"`
	SizeInBytes int64   `json:"sizeInBytes,omitempty"`
	Duration    float64 `json:"duration,omitempty"`
}

// Association is a related item, usually a picture or video of the story.
// ninjs 3.x makes it a whole ninjs object plus a name and a rel.
type Association struct {
	Item
	Name string `json:"name"`
	Rel  string `json:"rel,omitempty"`
}

// Standard says which ninjs version and schema the object follows.
type Standard struct {
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	Schema  string `json:"schema,omitempty"`
}

// Renditions is a list of renditions. ninjs 1.x keyed them by name in an
// object; both shapes decode.
type Renditions []Rendition

// UnmarshalJSON accepts the 2.x/3.x array and the 1.x object keyed by name.
func (r *Renditions) UnmarshalJSON(b []byte) error {
	list, err := listOrMap[Rendition](b, func(name string, v *Rendition) {
		if v.Name == "" {
			v.Name = name
		}
	})
	*r = list
	return err
}

// Associations is a list of associations; ninjs 1.x keyed them by name.
type Associations []Association

// UnmarshalJSON accepts the 2.x/3.x array and the 1.x object keyed by name.
func (a *Associations) UnmarshalJSON(b []byte) error {
	list, err := listOrMap[Association](b, func(name string, v *Association) {
		if v.Name == "" {
			v.Name = name
		}
	})
	*a = list
	return err
}

// listOrMap decodes a JSON array of T, or an object of T keyed by name
// (visiting each with its key, in key order: encoding/json keeps no order,
// so the keys are sorted for a deterministic result).
func listOrMap[T any](b []byte, named func(string, *T)) ([]T, error) {
	var list []T
	if err := json.Unmarshal(b, &list); err == nil {
		return list, nil
	}
	var byName map[string]T
	if err := json.Unmarshal(b, &byName); err != nil {
		return nil, fmt.Errorf("neither a list nor an object keyed by name: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(byName)) {
		v := byName[k]
		named(k, &v)
		list = append(list, v)
	}
	return list, nil
}
