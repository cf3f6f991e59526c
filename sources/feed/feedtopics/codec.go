package feedtopics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// specVersion is bumped on an incompatible change of the value's format.
const specVersion = 1

// wireSpec is a feed's value in the feeds topic: feed.Spec with readable durations.
type wireSpec struct {
	V           int               `json:"v"`
	URL         string            `json:"url"`
	Name        string            `json:"name,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	MinInterval string            `json:"min_interval,omitempty"` // Go duration, e.g. "5m0s"
	MaxInterval string            `json:"max_interval,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
}

// EncodeSpec returns s as the feeds topic stores it. Equal specs encode to equal bytes, so
// Push compares encodings to find what changed.
func EncodeSpec(s feed.Spec) ([]byte, error) {
	w := wireSpec{V: specVersion, URL: s.URL, Name: s.Name, Tags: s.Tags, Headers: s.Headers}
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	if len(w.Headers) == 0 {
		w.Headers = nil
	}
	if s.MinInterval != 0 {
		w.MinInterval = s.MinInterval.String()
	}
	if s.MaxInterval != 0 {
		w.MaxInterval = s.MaxInterval.String()
	}
	b, err := json.Marshal(w) // map keys come out sorted: the encoding is canonical
	if err != nil {
		return nil, fmt.Errorf("encode feed %s: %w", record.RedactURL(s.URL), err)
	}
	return b, nil
}

// DecodeSpec reads the value stored under key in the feeds topic. It refuses what a fetcher
// must not poll: malformed JSON, an unknown version or field, a URL that differs from the
// key, or settings that feed.Spec.Validate rejects.
func DecodeSpec(key, value []byte) (feed.Spec, error) {
	// Its errors are logged: they name the feed with its password as xxxxx.
	said := record.RedactURL(string(key))
	var w wireSpec
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return feed.Spec{}, fmt.Errorf("feed %q: value is not a feed's settings: %w", said, err)
	}
	if dec.More() {
		return feed.Spec{}, fmt.Errorf("feed %q: value has data after the JSON object", said)
	}
	if w.V != specVersion {
		return feed.Spec{}, fmt.Errorf("feed %q: value has format version %d, this wirestream reads %d", said, w.V, specVersion)
	}
	if w.URL != string(key) {
		return feed.Spec{}, fmt.Errorf("feed %q: value names another URL, %q", said, record.RedactURL(w.URL))
	}
	s := feed.Spec{URL: w.URL, Name: w.Name, Tags: w.Tags, Headers: w.Headers}
	// An empty list or object is no tags or headers, as EncodeSpec's
	// omitempty writes them: `"tags":[]` read back as nil after a
	// re-encoding, so an entry did not decode to what it encodes (fuzz).
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	if len(s.Headers) == 0 {
		s.Headers = nil
	}
	var err error
	if s.MinInterval, err = parseDuration(w.MinInterval); err != nil {
		return feed.Spec{}, fmt.Errorf("feed %q: min_interval: %w", said, err)
	}
	if s.MaxInterval, err = parseDuration(w.MaxInterval); err != nil {
		return feed.Spec{}, fmt.Errorf("feed %q: max_interval: %w", said, err)
	}
	if err := s.Validate(); err != nil {
		return feed.Spec{}, fmt.Errorf("feed %q: %w", said, err)
	}
	return s, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}
