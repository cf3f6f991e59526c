// Package encode turns records into the bytes a sink writes, in the
// format the operator chose: wirestream's native records (one JSON object
// with "type" and "id", the schema in pipeline/record/schema), or IPTC
// ninjs 3.1 for story records (package ninjs), which newsroom systems
// read as they are.
//
// Only stories have a ninjs form. Duplicates, events, alerts, feed
// statuses and dead letters are always written native, whatever the
// format: a consumer of a mixed stream tells them apart by the
// content-type a sink sends (ContentType) or, in JSONL, by the "type"
// values, which never overlap (ninjs says "text", wirestream "story").
package encode

import (
	"encoding/json"
	"fmt"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

// Formats.
const (
	Native = "native"
	Ninjs  = "ninjs"
)

// Config is the `output:` section of the configuration.
type Config struct {
	// Format is how story records are written by every sink: native or
	// ninjs. Kafka topics may override it (kafka.topics.stories.format).
	Format string `yaml:"format"`
}

// DefaultConfig writes native records.
func DefaultConfig() Config { return Config{Format: Native} }

// Validate checks the format.
func (c Config) Validate() error { return Check("output.format", c.Format) }

// Check reports an unknown format, naming key.
func Check(key, format string) error {
	switch format {
	case Native, Ninjs:
		return nil
	}
	return fmt.Errorf("%s: want native or ninjs, got %q", key, format)
}

// Value is one encoded record.
type Value struct {
	Bytes       []byte
	ContentType string // application/json, with the ninjs schema as profile for ninjs
	Schema      string // record.SchemaVersion for native, "ninjs-3.1" for ninjs
}

// NinjsSchema names the ninjs schema in a Value's Schema.
const NinjsSchema = "ninjs-" + ninjs.Version

// Encoder encodes records in one format. The zero value is native; it is
// immutable and safe for concurrent use.
type Encoder struct{ format string }

// New returns an encoder for format (native or ninjs).
func New(format string) (Encoder, error) {
	if err := Check("format", format); err != nil {
		return Encoder{}, err
	}
	return Encoder{format: format}, nil
}

// Format is the encoder's format.
func (e Encoder) Format() string {
	if e.format == "" {
		return Native
	}
	return e.format
}

// Encode returns r's bytes: a story as ninjs when the format is ninjs,
// everything else as its native JSON record.
func (e Encoder) Encode(r record.Record) (Value, error) {
	if s, ok := r.(*record.Story); ok {
		if e.format == Ninjs {
			b, err := json.Marshal(ninjs.FromStory(s))
			if err != nil {
				return Value{}, fmt.Errorf("encode story %s as ninjs: %w", s.RecordID(), err)
			}
			return Value{Bytes: b, ContentType: ninjs.ContentType, Schema: NinjsSchema}, nil
		}
		if b, ok := encodeRecord(s, appendStory); ok {
			return Value{Bytes: b, ContentType: "application/json", Schema: record.SchemaVersion}, nil
		}
		// json.Marshal says what it cannot encode
	}
	if ev, ok := r.(*record.Event); ok {
		if b, ok := encodeRecord(ev, appendEvent); ok {
			return Value{Bytes: b, ContentType: "application/json", Schema: record.SchemaVersion}, nil
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return Value{}, fmt.Errorf("encode %s %s as JSON: %w", r.RecordType(), r.RecordID(), err)
	}
	return Value{Bytes: b, ContentType: "application/json", Schema: record.SchemaVersion}, nil
}

// Append appends r's bytes, as Encode returns them, to b. A native story
// or event is written straight into b, without Encode's copy at its exact
// size: a sink that gathers a batch's records in one buffer (jsonl) needs
// no record of its own. On error b is returned as it was.
func (e Encoder) Append(b []byte, r record.Record) ([]byte, error) {
	n := len(b)
	switch x := r.(type) {
	case *record.Story:
		if e.format != Ninjs {
			if out, ok := appendStory(b, x); ok {
				return out, nil
			}
		}
	case *record.Event:
		if out, ok := appendEvent(b, x); ok {
			return out, nil
		}
	}
	v, err := e.Encode(r) // ninjs, other records, or the error a value gives
	if err != nil {
		return b[:n], err
	}
	return append(b[:n], v.Bytes...), nil
}
