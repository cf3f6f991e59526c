package ninjs_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// The validator used everywhere else must itself be right: it accepts
// every document the IPTC says should pass and rejects every one it says
// should fail, and the IPTC's examples are valid.
func TestTheValidatorPassesTheIPTCValidationSuite(t *testing.T) {
	dir := ninjstest.Dir(t)
	for _, suite := range []struct{ dir, schema string }{
		{"3.1", "3.1"},
		{"3.0", "3.0"},
		{"3.0", "3.1"}, // 3.1 only adds properties: what 3.0 refuses, 3.1 refuses too
	} {
		s := ninjstest.Load(t, suite.schema)
		for _, kind := range []string{"should_pass", "should_fail"} {
			files, err := filepath.Glob(filepath.Join(dir, "validation", suite.dir, kind, "*.json"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no %s cases in validation/%s (%v)", kind, suite.dir, err)
			}
			for _, f := range files {
				err := s.Validate(readFile(t, f))
				switch {
				case kind == "should_pass" && err != nil:
					t.Errorf("schema %s rejects %s/%s/%s: %v", suite.schema, suite.dir, kind, filepath.Base(f), err)
				case kind == "should_fail" && err == nil:
					t.Errorf("schema %s accepts %s/%s/%s", suite.schema, suite.dir, kind, filepath.Base(f))
				}
			}
		}
	}
	examples, _ := filepath.Glob(filepath.Join(dir, "examples", "*.json"))
	for _, f := range examples {
		if err := ninjstest.Load(t, "3.1").Validate(readFile(t, f)); err != nil {
			t.Errorf("IPTC example %s: %v", filepath.Base(f), err)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goldenStory is the record golden story: every field a story can have.
func goldenStory(t testing.TB) *record.Story {
	t.Helper()
	var s record.Story
	if err := json.Unmarshal(readFile(t, filepath.Join("..", "schema", "testdata", "story.golden.json")), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStoriesWrittenAsNinjsAreValidNinjs31(t *testing.T) {
	schema := ninjstest.Load(t, "3.1")
	pub := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	later := pub.Add(time.Hour)
	cases := map[string]func(s *record.Story){
		"the golden story with every field":        func(*record.Story) {},
		"a story with only what a story must have": func(s *record.Story) { *s = minimal(pub) },
		"a revision without an updated date": func(s *record.Story) {
			s.Version, s.Updated, s.FetchedAt = 3, nil, later
		},
		"a story whose source gave coded subjects": func(s *record.Story) {
			s.Subjects = []record.Subject{{Name: "Cycling", URI: ninjs.MediaTopicURI + "20000892", Rel: "classifies"}, {Name: "Tour Down Under"}}
		},
		"media of every kind, typed and untyped": func(s *record.Story) {
			s.Media = []record.Media{
				{URL: "https://cdn.example.com/v.mp4", Type: "video/mp4", Length: 1 << 20},
				{URL: "https://cdn.example.com/a.mp3", Medium: "audio"},
				{URL: "https://cdn.example.com/doc.pdf", Type: "application/pdf"},
				{URL: "https://cdn.example.com/t.jpg", Thumb: true, Title: "A title", Captions: "A caption", Credit: "Photo: A. N. Other"},
			}
		},
		"a story read from a file, with no web address": func(s *record.Story) {
			s.Feed = record.FeedRef{URL: "file:///backfill.xml"}
			s.URL, s.CanonicalURL, s.GUID = "", "", "urn:newsml:dpa.com:20090101:190510-99-167362"
		},
		"a source's values that are not URIs where ninjs wants one": func(s *record.Story) {
			s.Subjects = []record.Subject{{Name: "Local", URI: "tt subject 123"}}
			s.Feed.URL = "file:///my feed.xml"
			s.Media = []record.Media{{URL: "relative/x.jpg"}, {URL: "https://cdn.example.com/a b.jpg"}}
		},
		"text that needs escaping": func(s *record.Story) {
			s.Title = `Quotes "and" <tags> & a tab	here`
			s.Body = "Line one\u2028line two\x00"
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			s := goldenStory(t)
			change(s)
			doc := marshal(t, ninjs.FromStory(s))
			if err := schema.Validate(doc); err != nil {
				t.Fatalf("%v\n%s", err, doc)
			}
		})
	}
}

func minimal(pub time.Time) record.Story {
	return record.Story{Type: record.TypeStory, ID: "s_aaaaaaaaaaaaaaaaaaaaaa", Version: 1, SchemaVersion: record.SchemaVersion,
		Feed: record.FeedRef{URL: "https://example.com/rss"}, Publisher: "example.com", URL: "https://example.com/a",
		CanonicalURL: "https://example.com/a", Title: "T", Published: pub, FirstSeen: pub, FetchedAt: pub,
		Fingerprint: "0123456789abcdef", ContentHash: strings.Repeat("0", 64)}
}

// The ninjs form of the golden story is what consumers of
// output.format: ninjs see; a change to it must be deliberate.
func TestFromStoryGolden(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ninjs.FromStory(goldenStory(t))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "story.ninjs.golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, path); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("FromStory(golden story) changed; run go test -update if intended\n got: %s\nwant: %s", buf.Bytes(), want)
	}
}

func TestFromStoryMapping(t *testing.T) {
	s := goldenStory(t)
	it := ninjs.FromStory(s)
	checks := []struct {
		what      string
		got, want any
	}{
		{"uri", it.URI, "urn:wirestream:story:" + s.ID},
		{"version", string(it.Version), "1"},
		{"firstCreated", it.FirstCreated, "2025-03-02T14:05:00Z"},
		{"versionCreated of a first version", it.VersionCreated, "2025-03-02T14:05:00Z"},
		{"main headline", it.Headlines[0], ninjs.Text{Role: "main", ContentType: "text/plain", Value: s.Title}},
		{"plain body", it.Bodies[0].Value, s.Body},
		{"html body", it.Bodies[1], ninjs.Body{Role: "main", ContentType: "text/html", Value: s.HTML}},
		{"language", it.Language, "en"},
		{"first subject: the best media topic", it.Subjects[0].URI, "http://cv.iptc.org/newscodes/mediatopic/11000000"},
		{"its confidence", *it.Subjects[0].Confidence, 82},
		{"categories follow the topics", it.Subjects[2].Name, "World"},
		{"a person", it.People[0], ninjs.Ref{Name: "Keir Starmer", Rel: "mentions", Literal: "person:keir_starmer"}},
		{"a place named in the headline", it.Places[1], ninjs.Ref{Name: "Ukraine", Rel: "about", Literal: "place:ua"}},
		{"the event", it.Events[0].URI, "urn:wirestream:event:e_5tq2hx7mva4kcr3b"},
		{"the link", it.AltIDs[1], ninjs.AltID{Role: "url", Value: s.URL}},
		{"the media's rendition", it.Associations[0].Renditions[0].Name, "thumbnail"},
	}
	for _, c := range checks {
		if !equalJSON(t, c.got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.what, c.got, c.want)
		}
	}
	updated := s.Published.Add(2 * time.Hour)
	s.Updated, s.Version = &updated, 2
	if got := ninjs.FromStory(s).VersionCreated; got != "2025-03-02T16:05:00Z" {
		t.Errorf("versionCreated of a revision with an updated date: got %s", got)
	}
}

func equalJSON(t testing.TB, a, b any) bool {
	return bytes.Equal(marshal(t, a), marshal(t, b))
}
