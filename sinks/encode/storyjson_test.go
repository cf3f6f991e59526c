package encode

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/randfill"
	"github.com/wirestream/wirestream/pipeline/record"
)

// checkJSON fails t where appendTo and json.Marshal disagree on r: other
// bytes, or one of them refusing what the other encodes.
func checkJSON[R any](t *testing.T, r R, appendTo func([]byte, R) ([]byte, bool)) {
	t.Helper()
	want, err := json.Marshal(r)
	got, ok := appendTo(nil, r)
	switch {
	case err != nil && ok:
		t.Fatalf("json.Marshal refuses the record (%v), the encoder wrote %s", err, got)
	case err == nil && !ok:
		t.Fatalf("the encoder refuses a record json.Marshal encodes as %s", want)
	case err == nil && !bytes.Equal(got, want):
		t.Fatalf("the encoder wrote\n%s\njson.Marshal\n%s", got, want)
	}
}

func checkStoryJSON(t *testing.T, s *record.Story) {
	t.Helper()
	checkJSON(t, s, appendStory)
}

// recordsIn collects every JSON object with "type": typ in v.
func recordsIn(v any, typ record.Type, out *[]map[string]any) {
	switch v := v.(type) {
	case map[string]any:
		if v["type"] == string(typ) {
			*out = append(*out, v)
		}
		for _, e := range v {
			recordsIn(e, typ, out)
		}
	case []any:
		for _, e := range v {
			recordsIn(e, typ, out)
		}
	}
}

// goldenRecords returns every record of type typ in the repository's
// golden files, each as the JSON object it is there.
func goldenRecords(t *testing.T, typ record.Type) []map[string]any {
	t.Helper()
	root := filepath.Join("..", "..")
	var recs []map[string]any
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(d.Name(), ".golden.json") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := json.NewDecoder(bufio.NewReader(f)) // one document, or JSON lines
		for dec.More() {
			var v any
			if err := dec.Decode(&v); err != nil {
				return nil // not JSON: another kind of golden file
			}
			recordsIn(v, typ, &recs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// decodeAs reads m, a record as JSON, into a new R.
func decodeAs[R any](t *testing.T, m map[string]any) *R {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	r := new(R)
	if err := json.Unmarshal(raw, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// checkGoldenJSON checks appendTo against json.Marshal on every record of
// type typ in the repository's golden files, of which there are at least
// least.
func checkGoldenJSON[R any](t *testing.T, typ record.Type, least int, appendTo func([]byte, *R) ([]byte, bool)) {
	t.Helper()
	recs := goldenRecords(t, typ)
	if len(recs) < least {
		t.Fatalf("found %d %s records in the golden files, expected at least %d", len(recs), typ, least)
	}
	for _, m := range recs {
		checkJSON(t, decodeAs[R](t, m), appendTo)
	}
}

// checkRandomJSON checks appendTo against json.Marshal on 20,000 records
// with every field filled at random from seed.
func checkRandomJSON[R any](t *testing.T, seed uint64, appendTo func([]byte, *R) ([]byte, bool)) {
	t.Helper()
	r := rand.New(rand.NewPCG(12, seed))
	for range 20000 {
		rec := new(R)
		randfill.Fill(r, reflect.ValueOf(rec).Elem())
		checkJSON(t, rec, appendTo)
	}
}

// Every story record in the repository's golden files encodes to the same
// bytes as json.Marshal writes.
func TestStoryJSONMatchesEncodingJSONOnTheGoldenFiles(t *testing.T) {
	checkGoldenJSON(t, record.TypeStory, 10, appendStory)
}

// Stories with every field filled at random encode to the bytes
// json.Marshal writes, and are refused where it refuses them.
func TestStoryJSONMatchesEncodingJSONOnRandomStories(t *testing.T) {
	checkRandomJSON(t, 2, appendStory)
}

// Encode writes a story through the reflection-free path, and falls back
// to json.Marshal's error where a value cannot be written.
func TestEncodeSaysWhatItCannotEncode(t *testing.T) {
	s := &record.Story{Type: record.TypeStory, ID: "s_1", Version: 1, Topics: []record.Topic{{Code: "medtop:1", Score: math.NaN()}}}
	if _, err := (Encoder{}).Encode(s); err == nil || !strings.Contains(err.Error(), "encode story s_1@v1 as JSON") {
		t.Errorf("Encode of a NaN score = %v, want an error naming the story", err)
	}
	s.Topics[0].Score = 0.25
	v, err := (Encoder{}).Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(s); !bytes.Equal(v.Bytes, want) {
		t.Errorf("Encode wrote %s, json.Marshal %s", v.Bytes, want)
	}
}

func FuzzStoryJSON(f *testing.F) {
	for _, s := range randfill.Strings {
		f.Add(s, s, 0.5, int64(1712345678), int64(0), 3600)
	}
	f.Add("a", "b", 1e-7, int64(-62135596800), int64(1), 0)
	f.Add("", "<&>", 1e21, int64(253402300800), int64(999999999), 86400)
	f.Fuzz(func(t *testing.T, text, other string, score float64, unix, nanos int64, offset int) {
		at := time.Unix(unix, nanos).In(time.FixedZone("", offset%(48*3600)))
		s := &record.Story{
			Type: record.TypeStory, ID: text, Version: len(other), Feed: record.FeedRef{URL: other, Title: text, Tags: []string{text, other}},
			Title: text, Body: other, HTML: text + other, Authors: []string{other}, Published: at, Updated: &at, FirstSeen: at.UTC(),
			Subjects: []record.Subject{{Name: text, Rel: other}}, Media: []record.Media{{URL: text, Width: len(text), Length: unix, Thumb: nanos%2 == 0}},
			Entities: []record.Entity{{Key: text, Name: other, Mentions: offset, InTitle: true}},
			Topics:   []record.Topic{{Code: text, Name: other, Score: score}}, Keywords: []string{other, text},
		}
		checkStoryJSON(t, s)
	})
}
