package encode

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/randfill"
	"github.com/wirestream/wirestream/pipeline/record"
)

func checkEventJSON(t *testing.T, e *record.Event) {
	t.Helper()
	checkJSON(t, e, appendEvent)
}

// Every event record in the repository's golden files encodes to the same
// bytes as json.Marshal writes.
func TestEventJSONMatchesEncodingJSONOnTheGoldenFiles(t *testing.T) {
	checkGoldenJSON(t, record.TypeEvent, 3, appendEvent)
}

// Events with every field filled at random (nil, empty and filled lists:
// publishers and story_ids, which have no omitempty, are null when nil)
// encode to the bytes json.Marshal writes, and are refused where it
// refuses them.
func TestEventJSONMatchesEncodingJSONOnRandomEvents(t *testing.T) {
	checkRandomJSON(t, 8, appendEvent)
}

// Encode writes an event through the reflection-free path, and falls back
// to json.Marshal's error where a value cannot be written.
func TestEncodeSaysWhatItCannotEncodeOfAnEvent(t *testing.T) {
	e := &record.Event{Type: record.TypeEvent, ID: "e_1", Revision: 2, FirstSeen: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := (Encoder{}).Encode(e); err == nil || !strings.Contains(err.Error(), "encode event e_1@r2 as JSON") {
		t.Errorf("Encode of a year 10000 = %v, want an error naming the event", err)
	}
	e.FirstSeen = time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC)
	v, err := (Encoder{}).Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(e); !bytes.Equal(v.Bytes, want) {
		t.Errorf("Encode wrote %s, json.Marshal %s", v.Bytes, want)
	}
}

func FuzzEventJSON(f *testing.F) {
	for _, s := range randfill.Strings {
		f.Add(s, s, int64(1712345678), int64(0), 3600, 3)
	}
	f.Add("a", "b", int64(-62135596800), int64(1), 0, 0)
	f.Add("", "<&>", int64(253402300800), int64(999999999), 86400, -1)
	f.Fuzz(func(t *testing.T, text, other string, unix, nanos int64, offset, n int) {
		at := time.Unix(unix, nanos).In(time.FixedZone("", offset%(48*3600)))
		e := &record.Event{
			Type: record.TypeEvent, ID: text, SchemaVersion: other, Revision: n, Title: text + other,
			FirstSeen: at, LastSeen: at.UTC(), FirstPublished: at, LastPublished: at.Add(time.Duration(nanos)),
			StoryCount: offset, Republications: -n, PublisherCount: len(text),
			Entities: []record.EntityCount{{Key: text, Name: other, Kind: text, Stories: n}},
			Keywords: []string{other, text}, Topics: []string{text}, Languages: []string{other},
			Expired: n%2 == 0, MergedInto: other, Retracted: nanos%2 == 0,
		}
		// publishers and story ids: nil (null), empty ([]) or filled
		switch n % 3 {
		case 1:
			e.Publishers, e.StoryIDs = []string{}, []string{}
		case 2:
			e.Publishers, e.StoryIDs = []string{text, other}, []string{other, text, other}
		}
		checkEventJSON(t, e)
	})
}

// BenchmarkEncodeEvent encodes an event of 200 stories (the members an
// event lists at most by default) by Encode and by json.Marshal (what
// Encode did before it had its own event encoder).
func BenchmarkEncodeEvent(b *testing.B) {
	e := golden(&testing.T{}, record.TypeEvent).(*record.Event)
	ev := *e
	ev.StoryIDs = nil
	for i := range 200 {
		ev.StoryIDs = append(ev.StoryIDs, "s_"+strings.Repeat(string(rune('a'+i%26)), 22))
	}
	ev.StoryCount = len(ev.StoryIDs)
	for _, s := range []struct {
		name  string
		event *record.Event
	}{{"golden", e}, {"200-stories", &ev}} {
		for _, enc := range []struct {
			name string
			enc  func() ([]byte, error)
		}{
			{"Encode", func() ([]byte, error) { v, err := (Encoder{}).Encode(s.event); return v.Bytes, err }},
			{"json.Marshal", func() ([]byte, error) { return json.Marshal(s.event) }},
		} {
			b.Run(s.name+"/"+enc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := enc.enc(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
