package normalize

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// testNow is the first-seen time of every golden story.
var testNow = time.Date(2024, 3, 5, 12, 0, 30, 0, time.UTC)

// goldenStory is what a golden file holds: the story, or the error, plus
// the dedupe keys so a reviewer sees what dedupe will compare.
type goldenStory struct {
	Error           string        `json:"error,omitempty"`
	Story           *record.Story `json:"story,omitempty"`
	FingerprintText string        `json:"fingerprint_text,omitempty"`
	TitleKey        string        `json:"title_key,omitempty"`
}

func TestNormalizeGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.input.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs found: %v", err)
	}
	n := New(DefaultConfig(), nil)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
			it := readItem(t, in)
			var g goldenStory
			s, text, err := n.NormalizeText(it, testNow)
			if err != nil {
				g.Error = err.Error()
			} else {
				if text != FingerprintText(s) {
					t.Errorf("NormalizeText's fingerprint text %q is not FingerprintText of its story %q", text, FingerprintText(s))
				}
				g = goldenStory{Story: s, FingerprintText: text, TitleKey: TitleKey(s.Title)}
				checkInvariants(t, s)
			}
			if strings.HasPrefix(name, "error-") != (err != nil) {
				t.Errorf("Normalize error = %v; inputs named error-* must fail and only they", err)
			}
			got, _ := json.MarshalIndent(g, "", "  ")
			got = append(got, '\n')
			golden.Check(t, filepath.Join("testdata", name+".golden.json"), got)
		})
	}
}

func readItem(t *testing.T, path string) record.Item {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var it record.Item
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return it
}

// checkInvariants holds for every story Normalize returns.
func checkInvariants(t *testing.T, s *record.Story) {
	t.Helper()
	if s.Type != record.TypeStory || s.Version != 1 || s.SchemaVersion != record.SchemaVersion {
		t.Errorf("type/version/schema = %q/%d/%q", s.Type, s.Version, s.SchemaVersion)
	}
	if !strings.HasPrefix(s.ID, "s_") || len(s.ID) != 24 {
		t.Errorf("id %q is not s_ + 22 chars", s.ID)
	}
	if s.Title == "" || strings.Contains(s.Title, "\n") {
		t.Errorf("title %q must be one non-empty line", s.Title)
	}
	if len(s.ContentHash) != 64 {
		t.Errorf("content hash %q is not hex sha256", s.ContentHash)
	}
	for _, txt := range []string{s.Title, s.Summary, s.Body} {
		if strings.Contains(strings.ToLower(txt), "<script") {
			t.Errorf("text carries a script tag: %q", txt)
		}
	}
	low := strings.ToLower(s.HTML)
	for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "onload", "<iframe", "<style"} {
		if strings.Contains(low, bad) {
			t.Errorf("sanitized html contains %q: %s", bad, s.HTML)
		}
	}
	if s.Published.IsZero() || s.Published.Location() != time.UTC {
		t.Errorf("published %v must be set and UTC", s.Published)
	}
	for _, m := range s.Media {
		if !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
			t.Errorf("media url %q is not absolute http(s)", m.URL)
		}
	}
}

// diffLines shows the first differing lines of two texts.
func TestNormalizeErrorsAreClassified(t *testing.T) {
	n := New(DefaultConfig(), nil)
	tests := []struct {
		name string
		item record.Item
		want error
	}{
		{"an item with neither link nor guid has no identity", record.Item{Title: "x"}, ErrNoIdentity},
		{"a javascript link is a bad link", record.Item{Link: "javascript:void(0)", Title: "x"}, ErrBadLink},
		{"an ftp link is a bad link", record.Item{Link: "ftp://example.com/a", Title: "x"}, ErrBadLink},
		{"a relative link that the source failed to resolve is a bad link", record.Item{Link: "/news/1", Title: "x"}, ErrBadLink},
		{"an item with a link but no text at all has nothing to publish", record.Item{Link: "https://example.com/a"}, ErrNoText},
		{"markup that holds only a script is no text", record.Item{Link: "https://example.com/a", Content: "<script>x()</script>"}, ErrNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := n.Normalize(tt.item, testNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNormalizeRules(t *testing.T) {
	n := New(Config{FutureSkew: 10 * time.Minute, MaxTextBytes: 4096, ExtraTrackingParams: []string{"partner", "xtr*"}}, nil)
	base := func() record.Item {
		return record.Item{
			Feed:      record.FeedRef{URL: "https://example.com/feed"},
			Link:      "https://example.com/a?id=7&partner=rss&xtref=9",
			Title:     "Title",
			FetchedAt: testNow.Add(-time.Minute),
		}
	}
	t.Run("extra tracking params from config are removed from the canonical url", func(t *testing.T) {
		s := mustNormalize(t, n, base())
		if s.CanonicalURL != "https://example.com/a?id=7" {
			t.Fatalf("canonical = %q", s.CanonicalURL)
		}
		if s.URL != base().Link {
			t.Fatalf("url = %q, want the link as given", s.URL)
		}
	})
	// Pairs of one item before and after an edit: what must stay, what
	// must change.
	for _, tt := range []struct {
		name                string
		before, after       func(*record.Item)
		sameID, sameContent bool
	}{
		{"a tracking-only change to the link keeps id and content hash",
			func(*record.Item) {}, func(it *record.Item) { it.Link = "https://EXAMPLE.com:443/a?utm_source=x&id=7#top" }, true, true},
		{"a corrected headline changes the content hash but not the id",
			func(it *record.Item) { it.Content = "<p>Body text.</p>" }, func(it *record.Item) { it.Title = "Corrected title" }, true, false},
		{"an updated body changes the content hash",
			func(it *record.Item) { it.Content = "<p>Three people were hurt.</p>" }, func(it *record.Item) { it.Content = "<p>Four people were hurt.</p>" }, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.before(&a)
			b := a
			tt.after(&b)
			sa, sb := mustNormalize(t, n, a), mustNormalize(t, n, b)
			if (sa.ID == sb.ID) != tt.sameID || (sa.ContentHash == sb.ContentHash) != tt.sameContent {
				t.Fatalf("ids %s/%s hashes %s/%s; want the same id %v, the same content hash %v", sa.ID, sb.ID, sa.ContentHash, sb.ContentHash, tt.sameID, tt.sameContent)
			}
		})
	}
	t.Run("a huge body is capped at max_text_bytes on a word boundary and its html dropped", func(t *testing.T) {
		it := base()
		it.Content = "<p>" + strings.Repeat("word ", 5000) + "</p>"
		s := mustNormalize(t, n, it)
		if len(s.Body) > 4096 || len(s.Body) < 2048 || strings.HasSuffix(s.Body, " ") || !strings.HasSuffix(s.Body, "word") {
			t.Fatalf("body of %d bytes ends %q", len(s.Body), s.Body[len(s.Body)-10:])
		}
		if s.HTML != "" {
			t.Fatalf("html of %d bytes kept over the cap", len(s.HTML))
		}
	})
	t.Run("a description alone becomes the body and a sentence-cut summary", func(t *testing.T) {
		it := base()
		it.Description = strings.Repeat("This sentence is about forty bytes long. ", 20)
		s := mustNormalize(t, n, it)
		if s.Body != strings.TrimSpace(it.Description) {
			t.Fatalf("body %q", s.Body)
		}
		if len(s.Summary) > summaryLen || !strings.HasSuffix(s.Summary, ".") {
			t.Fatalf("summary (%d bytes) %q", len(s.Summary), s.Summary)
		}
	})
	t.Run("a description that repeats the start of the content is still the summary", func(t *testing.T) {
		it := base()
		it.Description = "The first paragraph."
		it.Content = "<p>The first paragraph.</p><p>The second.</p>"
		s := mustNormalize(t, n, it)
		if s.Summary != "The first paragraph." || s.Body != "The first paragraph.\n\nThe second." {
			t.Fatalf("summary %q body %q", s.Summary, s.Body)
		}
	})
	t.Run("an untitled item takes its first sentence as title", func(t *testing.T) {
		it := base()
		it.Title = ""
		it.Description = "Short post about the weather today. It rained."
		s := mustNormalize(t, n, it)
		if s.Title != "Short post about the weather today." {
			t.Fatalf("title %q", s.Title)
		}
	})
	t.Run("a guid that is a url stands in for a missing link", func(t *testing.T) {
		it := base()
		it.Link = ""
		it.GUID = "https://example.com/a?id=7&utm_medium=rss"
		s := mustNormalize(t, n, it)
		if s.URL != it.GUID || s.CanonicalURL != "https://example.com/a?id=7" || s.ID != StoryID("https://example.com/a?id=7", "", "") {
			t.Fatalf("url %q canonical %q id %q", s.URL, s.CanonicalURL, s.ID)
		}
	})
	t.Run("the fetch time defaults to now when the source left it out", func(t *testing.T) {
		it := base()
		it.FetchedAt = time.Time{}
		s := mustNormalize(t, n, it)
		if !s.FetchedAt.Equal(testNow) || !s.FirstSeen.Equal(testNow) {
			t.Fatalf("fetched %v first seen %v", s.FetchedAt, s.FirstSeen)
		}
	})
	t.Run("a source's coded subjects are kept as given, minus empties and repeats", func(t *testing.T) {
		it := base()
		sport := record.Subject{Name: "Sport", URI: "http://cv.iptc.org/newscodes/mediatopic/15000000", Literal: "15000000", Rel: "classifies"}
		it.Subjects = []record.Subject{sport, {Name: " ", URI: ""}, {Name: "  Sport\n", URI: sport.URI, Literal: "15000000", Rel: "classifies"}, {Name: "Cycling"}}
		s := mustNormalize(t, n, it)
		want := []record.Subject{sport, {Name: "Cycling"}}
		if !reflect.DeepEqual(s.Subjects, want) {
			t.Fatalf("subjects %+v, want %+v", s.Subjects, want)
		}
	})
	t.Run("normalize does not alias the item's slices", func(t *testing.T) {
		it := base()
		it.Feed.Tags = []string{"world"}
		it.Media = []record.Media{{URL: "/a.jpg"}}
		s := mustNormalize(t, n, it)
		s.Feed.Tags[0] = "changed"
		s.Media[0].URL = "changed"
		if it.Feed.Tags[0] != "world" || it.Media[0].URL != "/a.jpg" {
			t.Fatal("story shares memory with the item")
		}
	})
}

func mustNormalize(t *testing.T, n *Normalizer, it record.Item) *record.Story {
	t.Helper()
	s, err := n.Normalize(it, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNormalizeIsDeterministic(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.input.json")
	n1, n2 := New(DefaultConfig(), nil), New(DefaultConfig(), nil)
	for _, in := range inputs {
		it := readItem(t, in)
		a, errA := n1.Normalize(it, testNow)
		b, errB := n2.Normalize(it, testNow)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) || (errA == nil) != (errB == nil) {
			t.Errorf("%s: two normalizers disagree", in)
		}
	}
}

// TestStoriesMatchSchema checks every golden story against the published
// JSON Schema. Fingerprint (the SimHash) is the dedupe stage's to fill, so
// a placeholder stands in for it.
func TestStoriesMatchSchema(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.input.json")
	n := New(DefaultConfig(), nil)
	for _, in := range inputs {
		s, err := n.Normalize(readItem(t, in), testNow)
		if err != nil {
			continue
		}
		s.Fingerprint = "0123456789abcdef"
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(b); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}
