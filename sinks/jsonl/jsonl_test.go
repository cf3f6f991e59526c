package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func records() []record.Record {
	return []record.Record{
		&record.Story{Type: record.TypeStory, ID: "st_9f3a2c1e", Version: 2, SchemaVersion: record.SchemaVersion,
			Feed: record.FeedRef{URL: "https://feeds.example-news.org/world/rss.xml"}, Publisher: "Example News",
			URL: "https://example-news.org/world/rates", CanonicalURL: "https://example-news.org/world/rates",
			Title: "Central bank holds rates steady as inflation cools", Language: "en",
			Published: t0, FirstSeen: t0, FetchedAt: t0, Fingerprint: "9f3a2c1e00b1d4e7", ContentHash: "c0ffee"},
		&record.Duplicate{Type: record.TypeDuplicate, ID: "st_77aa01", SchemaVersion: record.SchemaVersion,
			DuplicateOf: "st_9f3a2c1e", Method: "near", Similarity: 0.94, Title: "Central bank holds rates", SeenAt: t0, Published: t0},
		record.NewDeadLetter(record.StageNormalize, "https://feeds.example-news.org/world/rss.xml\x00\x00\x00", "",
			errors.New("item has neither a link nor a guid"), t0),
	}
}

func TestWriteIsOneObjectPerLineWithTypeAndID(t *testing.T) {
	var out bytes.Buffer
	s := New(&out, encode.Encoder{})
	if err := s.Write(t.Context(), records()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "records.golden.jsonl"), out.Bytes())
	for i, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var head struct{ Type, ID string }
		if err := json.Unmarshal([]byte(line), &head); err != nil || head.Type == "" || head.ID == "" {
			t.Errorf("line %d: type %q id %q err %v", i, head.Type, head.ID, err)
		}
	}
}

func TestConcurrentWritesNeverInterleaveLines(t *testing.T) {
	var out bytes.Buffer
	s := New(&out, encode.Encoder{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				st := &record.Story{Type: record.TypeStory, ID: fmt.Sprintf("st_%d_%d", w, i),
					Title: strings.Repeat("long title ", 500)} // > bufio's buffer: several writes per line
				if err := s.Write(t.Context(), []record.Record{st}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var st record.Story
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			t.Fatalf("line %d is not one JSON object: %v", n, err)
		}
		n++
	}
	if n != 400 {
		t.Errorf("%d lines, want 400", n)
	}
}

func TestOpenAppendsAndCloseSyncs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	for range 2 {
		s, err := Open(path, encode.Encoder{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(t.Context(), records()[:1]); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(t.Context(), records()[:1]); err == nil {
			t.Error("Write after Close succeeded")
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 2 {
		t.Errorf("file has %d lines after two opens, want 2 (append)", n)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing", "out.jsonl"), encode.Encoder{}); err == nil || !strings.Contains(err.Error(), "jsonl sink: open") {
		t.Errorf("Open in a missing directory = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestAWriteErrorIsReported(t *testing.T) {
	s := New(failingWriter{}, encode.Encoder{})
	if err := s.Write(t.Context(), records()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Write = %v, want the writer's error", err)
	}
}

// In the ninjs format a story line is a ninjs object; the other records
// keep their native lines, told apart by "type" (ninjs says "text").
func TestNinjsFormatWritesStoriesAsNinjs(t *testing.T) {
	enc, err := encode.New(encode.Ninjs)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s := New(&out, enc)
	if err := s.Write(t.Context(), records()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	schema := ninjstest.Load(t, "3.1")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	if err := schema.Validate([]byte(lines[0])); err != nil {
		t.Errorf("the story line: %v", err)
	}
	for i, want := range []string{"text", "duplicate", "dead_letter"} {
		var head struct{ Type string }
		if err := json.Unmarshal([]byte(lines[i]), &head); err != nil || head.Type != want {
			t.Errorf("line %d: type %q, want %q (%v)", i, head.Type, want, err)
		}
	}
}
