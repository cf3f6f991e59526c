package encode

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// golden reads a golden record of the record schema's test data.
func golden(t *testing.T, typ record.Type) record.Record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "record", "schema", "testdata", string(typ)+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r record.Record
	switch typ {
	case record.TypeStory:
		r = &record.Story{}
	case record.TypeEvent:
		r = &record.Event{}
	case record.TypeDuplicate:
		r = &record.Duplicate{}
	}
	if err := json.Unmarshal(data, r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEncode(t *testing.T) {
	ninjsSchema := ninjstest.Load(t, "3.1")
	cases := []struct {
		name, format string
		typ          record.Type
		ninjs        bool
	}{
		{"a story in the native format is a native record", Native, record.TypeStory, false},
		{"a story in the ninjs format is a ninjs object", Ninjs, record.TypeStory, true},
		{"an event stays native in the ninjs format", Ninjs, record.TypeEvent, false},
		{"a duplicate stays native in the ninjs format", Ninjs, record.TypeDuplicate, false},
		{"the zero encoder is native", "", record.TypeStory, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Encoder{}
			if c.format != "" {
				var err error
				if e, err = New(c.format); err != nil {
					t.Fatal(err)
				}
			}
			v, err := e.Encode(golden(t, c.typ))
			if err != nil {
				t.Fatal(err)
			}
			if c.ninjs {
				if err := ninjsSchema.Validate(v.Bytes); err != nil {
					t.Error(err)
				}
				if v.Schema != "ninjs-3.1" || !strings.Contains(v.ContentType, `profile="http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"`) {
					t.Errorf("schema %q content type %q", v.Schema, v.ContentType)
				}
				return
			}
			if err := schema.Validate(v.Bytes); err != nil {
				t.Error(err)
			}
			if v.Schema != record.SchemaVersion || v.ContentType != "application/json" {
				t.Errorf("schema %q content type %q", v.Schema, v.ContentType)
			}
		})
	}
}

func TestUnknownFormatsAreRefused(t *testing.T) {
	if _, err := New("xml"); err == nil || err.Error() != `format: want native or ninjs, got "xml"` {
		t.Errorf("New(xml) = %v", err)
	}
	if err := (Config{Format: "NINJS"}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "output.format:") {
		t.Errorf("Validate = %v", err)
	}
}

// BenchmarkEncodeStory encodes the golden story (a headline and
// teaser) and the same with a 5 KB body, by Encode and by json.Marshal
// (what Encode did before it had its own story encoder), in one run.
func BenchmarkEncodeStory(b *testing.B) {
	short := golden(&testing.T{}, record.TypeStory).(*record.Story)
	long := *short
	long.Body = strings.Repeat("Brent crude futures rose 12 cents to $82.92 a barrel by 0930 GMT, while U.S. crude was up 9 cents. ", 50)
	for _, s := range []struct {
		name  string
		story *record.Story
	}{{"headline", short}, {"article", &long}} {
		for _, e := range []struct {
			name string
			enc  func() ([]byte, error)
		}{
			{"Encode", func() ([]byte, error) { v, err := (Encoder{}).Encode(s.story); return v.Bytes, err }},
			{"json.Marshal", func() ([]byte, error) { return json.Marshal(s.story) }},
		} {
			b.Run(s.name+"/"+e.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.enc(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// Append writes after what b holds the bytes Encode returns, in either
// format and for every record type, and on error gives b back unchanged.
func TestAppendIsEncodeAppended(t *testing.T) {
	recs := []record.Record{golden(t, record.TypeStory), golden(t, record.TypeEvent), golden(t, record.TypeDuplicate),
		record.NewDeadLetter(record.StagePublish, "story:s_1", "", errors.New("too large"), time.Unix(0, 0).UTC())}
	for _, format := range []string{Native, Ninjs} {
		e, err := New(format)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			v, err := e.Encode(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Append([]byte("prefix\n"), r)
			if err != nil || string(got) != "prefix\n"+string(v.Bytes) {
				t.Errorf("%s %s: Append = %q, %v; want the prefix and %q", format, r.RecordType(), got, err, v.Bytes)
			}
		}
	}
	bad := &record.Story{Type: record.TypeStory, ID: "s_1", Version: 1, Topics: []record.Topic{{Code: "medtop:1", Score: math.NaN()}}}
	_, want := Encoder{}.Encode(bad)
	got, err := Encoder{}.Append(append(make([]byte, 0, 4096), "prefix"...), bad)
	if err == nil || err.Error() != want.Error() || string(got) != "prefix" {
		t.Errorf("Append of a NaN score = %q, %v; want the prefix alone and %v", got, err, want)
	}
}
