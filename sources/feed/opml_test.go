package feed

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// parseOPMLFile parses testdata/opml/name.
func parseOPMLFile(t *testing.T, name string) []Spec {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "opml", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	specs, err := ParseOPML(f)
	if err != nil {
		t.Fatalf("ParseOPML(%s): %v", name, err)
	}
	return specs
}

func TestParseOPMLNestedNewsroom(t *testing.T) {
	specs := parseOPMLFile(t, "newsroom.opml")
	if len(specs) != 23 {
		t.Fatalf("got %d feeds, want 23 (24 feed outlines, one listed twice)", len(specs))
	}
	byURL := map[string]Spec{}
	for _, s := range specs {
		if err := s.Validate(); err != nil {
			t.Errorf("spec does not validate: %v", err)
		}
		byURL[s.URL] = s
	}
	cases := []struct {
		name, url, wantName string
		wantTags            []string
	}{
		{"a feed two folders deep carries both folder names", "https://www.theguardian.com/world/rss", "World news | The Guardian", []string{"News", "World"}},
		{"a duplicate URL merges the tags of both outlines", "https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News - World", []string{"News", "World", "Priority"}},
		{"the OPML 2.0 category attribute adds tags", "https://feeds.arstechnica.com/arstechnica/index", "Ars Technica", []string{"Tech", "Science", "Security"}},
		{"xmlURL spelt with capitals is read", "https://rss.dw.com/rdf/rss-en-all", "DW News", []string{"News", "World"}},
		{"xmlurl spelt in lower case is read", "https://www.independent.co.uk/news/uk/rss", "The Independent - UK", []string{"News", "UK"}},
		{"a top-level feed has no tags and prefers title over text", "https://wire.example.org/reuters/feed.json", "Reuters (JSON)", nil},
		{"entities in the URL are decoded", "https://search.cnbc.com/rs/search/combinedcms/view.xml?partnerId=wrss01&id=100003114", "CNBC Top News", []string{"News", "Business"}},
		{"a third level nests all three", "https://krebsonsecurity.com/feed/", "Krebs on Security", []string{"Tech", "Security"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok := byURL[c.url]
			if !ok {
				t.Fatalf("%s missing", c.url)
			}
			if s.Name != c.wantName || !slices.Equal(s.Tags, c.wantTags) {
				t.Errorf("got name %q tags %q, want %q %q", s.Name, s.Tags, c.wantName, c.wantTags)
			}
		})
	}
}

func TestParseOPMLLatin1(t *testing.T) {
	specs := parseOPMLFile(t, "reader-export-latin1.opml")
	if len(specs) != 2 || specs[0].Tags[0] != "Actualités" || specs[0].Name != "Le Monde - À la une" {
		t.Fatalf("specs = %+v", specs)
	}
}

func TestParseOPMLErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"not XML", "hello", "opml: read document"},
		{"a feed with a non-http scheme", `<opml version="2.0"><body><outline text="x" xmlUrl="ftp://example.org/feed"/></body></opml>`, `outline "x": xmlUrl "ftp://example.org/feed": scheme must be http or https`},
		// Said as every feed URL is: its password as xxxxx.
		{"a feed with a password and a non-http scheme", `<opml version="2.0"><body><outline text="z" xmlUrl="ftp://user:s3cret@example.org/feed"/></body></opml>`, `outline "z": xmlUrl "ftp://user:xxxxx@example.org/feed": scheme must be http or https`},
		{"a feed with a relative URL", `<opml version="2.0"><body><outline text="y" xmlUrl="/feed.xml"/></body></opml>`, `outline "y"`},
		{"not an OPML root", `<rss><channel/></rss>`, "opml: read document"},
		// encoding/xml said "expected element type <opml> but have <rss>":
		// a newcomer importing a feed file was not told it was a feed.
		{"a feed file", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "opml: read document: its root element is <rss>, not <opml>: a feed, not an OPML list of feeds"},
		{"an Atom feed file", `<feed xmlns="http://www.w3.org/2005/Atom"/>`, "its root element is <feed>, not <opml>: a feed, not an OPML list of feeds"},
		{"another XML document", `<html><body/></html>`, "opml: read document: its root element is <html>, not <opml>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseOPML(strings.NewReader(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func FuzzParseOPML(f *testing.F) {
	for _, name := range []string{"newsroom.opml", "reader-export-latin1.opml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "opml", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<opml><body><outline text="a"><outline text="b" xmlUrl="http://x/"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		specs, err := ParseOPML(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range specs {
			if err := CheckHTTPURL(s.URL); err != nil {
				t.Fatalf("returned an invalid URL %q: %v", s.URL, err)
			}
			if seen[s.URL] {
				t.Fatalf("URL %q returned twice", s.URL)
			}
			seen[s.URL] = true
		}
	})
}

// An outline listed twice adds one feed; the repeat is reported, so an
// import can say what it merged instead of doing it silently.
func TestParseOPMLReportsRepeatedOutlines(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "opml", "newsroom.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	specs, repeats, err := ParseOPMLRepeats(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 23 || len(repeats) != 1 {
		t.Fatalf("%d feeds and %d repeats, want 23 and 1", len(specs), len(repeats))
	}
	r := repeats[0]
	i := slices.IndexFunc(specs, func(s Spec) bool { return s.URL == r.URL })
	if i < 0 || len(r.Tags) == 0 {
		t.Fatalf("repeat %+v: want the URL of an imported feed and the repeat's own tags", r)
	}
	for _, tag := range r.Tags {
		if !slices.Contains(specs[i].Tags, tag) {
			t.Errorf("the repeat's tag %q is not on the feed %+v", tag, specs[i])
		}
	}
}
