package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

// `feeds add --config` of a listed feed updates the settings it was given
// on that entry by editing its text: a one-line value is rewritten on its
// line with its comment, a block list of tags at its own indentation, a
// missing key is added at the entry's key column with the entry's line
// ending; every other byte stays. What cannot be rewritten line by line is
// refused with its line and the document unchanged.
func TestUpdateFeedRewritesOnlyTheKeysGiven(t *testing.T) {
	str := func(s string) *string { return &s }
	dur := func(d time.Duration) *time.Duration { return &d }
	const doc = `# my feeds
feeds:
  # the BBC, world desk
  - url: https://feeds.bbci.co.uk/news/world/rss.xml
    tags: [world]   # keep
    min_interval: 5m

  - url: https://EXAMPLE.com:443/rss#top
    name: Example   # the name
    tags:
      - tech
      - science
  - url: https://www.theguardian.com/world/rss
  # a comment at the end of the list
# about kafka
kafka:
  brokers: [k:9092]
`
	cases := []struct {
		name, doc, url string
		u              FeedUpdate
		want           string // the document after; "" for unchanged
		changed        string
		err            string
	}{
		{"a flow list of tags, rewritten on its line with its comment", doc, "https://feeds.bbci.co.uk/news/world/rss.xml",
			FeedUpdate{Tags: []string{"world", "uk"}},
			strings.Replace(doc, "    tags: [world]   # keep\n", "    tags: [world, uk]   # keep\n", 1), "tags", ""},
		{"an interval changed, one added, the blank line after the entry kept", doc, "https://feeds.bbci.co.uk/news/world/rss.xml",
			FeedUpdate{MinInterval: dur(10 * time.Minute), MaxInterval: dur(2 * time.Hour)},
			strings.Replace(doc, "    min_interval: 5m\n\n", "    min_interval: 10m\n    max_interval: 2h\n\n", 1), "min_interval max_interval", ""},
		{"an interval of 0 takes the key out (the poller's again)", doc, "https://feeds.bbci.co.uk/news/world/rss.xml",
			FeedUpdate{MinInterval: dur(0)},
			strings.Replace(doc, "    min_interval: 5m\n", "", 1), "min_interval", ""},
		{"a block list of tags, another spelling of the URL, the name with its comment", doc, "https://example.com/rss",
			FeedUpdate{Tags: []string{"tech", "ai", "a, b"}, Name: str("Example News")},
			strings.Replace(doc, "    name: Example   # the name\n    tags:\n      - tech\n      - science\n",
				"    name: Example News   # the name\n    tags:\n      - tech\n      - ai\n      - a, b\n", 1), "name tags", ""},
		{"an entry with only its url gets keys before the comment that ends the list", doc, "https://www.theguardian.com/world/rss",
			FeedUpdate{Tags: []string{"world"}, MinInterval: dur(2 * time.Minute)},
			strings.Replace(doc, "  - url: https://www.theguardian.com/world/rss\n", "  - url: https://www.theguardian.com/world/rss\n    tags: [world]\n    min_interval: 2m\n", 1), "tags min_interval", ""},
		{"the settings it has already: nothing changes", doc, "https://feeds.bbci.co.uk/news/world/rss.xml",
			FeedUpdate{Tags: []string{"world"}, MinInterval: dur(5 * time.Minute)}, "", "", ""},
		{"a feed the file does not list", doc, "https://nowhere.example/rss", FeedUpdate{Tags: []string{"x"}}, "", "", ""},
		{"CRLF line endings are kept and used for a new key", "feeds:\r\n  - url: https://a.example/rss\r\n    tags: [a]\r\nlog:\r\n  level: info\r\n", "https://a.example/rss",
			FeedUpdate{Tags: []string{"b"}, MaxInterval: dur(time.Hour)},
			"feeds:\r\n  - url: https://a.example/rss\r\n    tags: [b]\r\n    max_interval: 1h\r\nlog:\r\n  level: info\r\n", "tags max_interval", ""},
		{"the last line without a line ending", "feeds:\n  - url: https://a.example/rss", "https://a.example/rss",
			FeedUpdate{Tags: []string{"a"}}, "feeds:\n  - url: https://a.example/rss\n    tags: [a]\n", "tags", ""},
		{"a name with no value and a comment", "feeds:\n  - url: https://a.example/rss\n    name: # none yet\n", "https://a.example/rss",
			FeedUpdate{Name: str("A")}, "feeds:\n  - url: https://a.example/rss\n    name: A # none yet\n", "name", ""},
		{"a dash alone on its line", "feeds:\n  -\n    url: https://a.example/rss\n    min_interval: 5m\n", "https://a.example/rss",
			FeedUpdate{MinInterval: dur(7 * time.Minute)}, "feeds:\n  -\n    url: https://a.example/rss\n    min_interval: 7m\n", "min_interval", ""},
		{"a flow list of entries is refused", "feeds: [{url: https://a.example/rss}]\n", "https://a.example/rss",
			FeedUpdate{Tags: []string{"x"}}, "", "",
			`line 1: feeds: is a flow list ([...]); write it as a block list (one "- url:" per entry) to update an entry in place`},
		{"an entry written {…} is refused", "feeds:\n  - {url: https://a.example/rss, min_interval: 1m}\n", "https://a.example/rss",
			FeedUpdate{MinInterval: dur(2 * time.Minute)}, "", "",
			"line 2: feeds[0]: is written {…}, which cannot be rewritten key by key; edit the entry by hand"},
		{"a block list with a comment among its items is refused", "feeds:\n  - url: https://a.example/rss\n    tags:\n      - a\n      # why b\n      - b\n", "https://a.example/rss",
			FeedUpdate{Tags: []string{"c"}}, "", "",
			"line 6: feeds[0]: tags: a list with comments or values over several lines among its items; edit the entry by hand"},
		{"a flow list over several lines is refused", "feeds:\n  - url: https://a.example/rss\n    tags: [a,\n      b]\n", "https://a.example/rss",
			FeedUpdate{Tags: []string{"c"}}, "", "",
			"line 4: feeds[0]: tags: its value goes on over several lines; edit the entry by hand"},
		{"an entry with an anchor is refused", "feeds:\n  - &a\n    url: https://a.example/rss\n", "https://a.example/rss",
			FeedUpdate{Tags: []string{"c"}}, "", "",
			"line 2: feeds[0]: has an anchor (&a) that other parts of the file may refer to; edit the entry by hand"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := UpdateFeed([]byte(tc.doc), tc.url, tc.u)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("UpdateFeed error = %v\nwant %s", err, tc.err)
				}
				if string(u.Doc) != tc.doc {
					t.Errorf("a refused update changed the document:\n%s", u.Doc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = tc.doc
			}
			if string(u.Doc) != want {
				t.Errorf("document after:\n%q\nwant:\n%q", u.Doc, want)
			}
			if got := strings.Join(u.Changed, " "); got != tc.changed {
				t.Errorf("changed %q, want %q", got, tc.changed)
			}
			if _, err := Parse(u.Doc, func(string) string { return "" }); err != nil {
				t.Errorf("the document after does not load: %v", err)
			}
		})
	}
}

// A file written on Windows keeps its CRLF line endings when `feeds add`
// appends an entry (or a feeds list): before, the new lines ended in LF
// alone, a file of mixed endings.
func TestMergeFeedsKeepsAFilesCRLF(t *testing.T) {
	s := []feed.Spec{{URL: "https://b.example/rss", Tags: []string{"x"}, MinInterval: 5 * time.Minute}}
	cases := []struct{ doc, want string }{
		{"feeds:\r\n  - url: https://a.example/rss\r\nlog:\r\n  level: info\r\n",
			"feeds:\r\n  - url: https://a.example/rss\r\n  - url: https://b.example/rss\r\n    tags: [x]\r\n    min_interval: 5m\r\nlog:\r\n  level: info\r\n"},
		{"log:\r\n  level: info", "log:\r\n  level: info\r\n\r\nfeeds:\r\n  - url: https://b.example/rss\r\n    tags: [x]\r\n    min_interval: 5m\r\n"},
		{"feeds: []\r\n", "feeds:\r\n  - url: https://b.example/rss\r\n    tags: [x]\r\n    min_interval: 5m\r\n"},
		{"feeds: []\n", "feeds:\n  - url: https://b.example/rss\n    tags: [x]\n    min_interval: 5m\n"},
	}
	for _, tc := range cases {
		m, err := MergeFeeds([]byte(tc.doc), s)
		if err != nil || string(m.Doc) != tc.want {
			t.Errorf("MergeFeeds(%q) = %q, %v\nwant %q", tc.doc, m.Doc, err, tc.want)
		}
	}
}

// A document the YAML decoder accepts but reads otherwise than its layout
// says (here a first key indented one column: the later "feeds:" at the
// margin is not read as a key of it) is left as it was, with a problem,
// rather than given entries that are written and silently never run
// (FuzzMergeFeeds' find, round 21; its input is in testdata/fuzz).
func TestMergeFeedsLeavesADocumentThatDoesNotReadBackAsItWas(t *testing.T) {
	doc := []byte(" y: 1\nopml: []\n")
	m, err := MergeFeeds(doc, []feed.Spec{{URL: "https://n.example/rss"}})
	if err == nil || !strings.Contains(err.Error(), "does not read back with them") {
		t.Fatalf("err = %v, want the document refused; merged:\n%s", err, m.Doc)
	}
	if string(m.Doc) != string(doc) {
		t.Errorf("doc changed:\n%s", m.Doc)
	}
	// The line named is one of the file left as it was (its last, which
	// the list would have followed), not one of the edit thrown away.
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 2 {
		t.Errorf("err = %v, want the problem on line 2, the file's last", err)
	}
}

// A lone carriage return is a line break to YAML but not to the line
// editors, which would then edit other lines than YAML read (a feed added
// and then not removed, FuzzMergeFeeds' find): editing such a file is
// refused, naming the line; CRLF files are edited as before.
func TestEditingAFileWithALoneCarriageReturnIsRefused(t *testing.T) {
	doc := []byte("listen: \":9464\"\nopml: []\r \n")
	_, err := MergeFeeds(doc, []feed.Spec{{URL: "http://0"}})
	if err == nil || !strings.Contains(err.Error(), "line 2: a carriage return without a line feed") {
		t.Errorf("merge: err = %v, want the line and the reason", err)
	}
	if _, err := UnlistFeed(doc, "http://0"); err == nil {
		t.Error("remove: no error")
	}
}

// YAML reads NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH
// SEPARATOR (U+2029) as line breaks, as it does a lone carriage return;
// the line editors do not, so on such a file they counted other lines
// than YAML did: `feeds remove` indexed past the file's lines and
// panicked, and `feeds add` could insert entries on a line YAML reads
// elsewhere. Editing such a file is refused, naming the line and the
// character, like the lone carriage return.
func TestEditingAFileWithAnotherYAMLLineBreakIsRefused(t *testing.T) {
	for _, c := range []struct{ brk, name string }{
		{"\u0085", "U+0085"}, {"\u2028", "U+2028"}, {"\u2029", "U+2029"},
	} {
		doc := []byte("listen: \":9464\"\nopml: []" + c.brk + " \nfeeds:\n  - url: http://a.example/rss\n  - url: http://0\n")
		if _, err := MergeFeeds(doc, []feed.Spec{{URL: "https://n.example/rss"}}); err == nil || !strings.Contains(err.Error(), "line 2: ") || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: merge: err = %v, want the line and the character", c.name, err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: remove panicked: %v", c.name, r)
				}
			}()
			if _, err := UnlistFeed(doc, "http://0"); err == nil || !strings.Contains(err.Error(), "line 2: ") || !strings.Contains(err.Error(), c.name) {
				t.Errorf("%s: remove: err = %v, want the line and the character", c.name, err)
			}
		}()
	}
}

// A name or URL holding a character YAML reads as a line break (an OPML
// title with U+2028 — outside input) is written escaped, in double quotes:
// yaml.v3 wrote it raw in single quotes and indented what followed, so the
// name read back otherwise (U+2028 folded to a space) and the file had a
// break the line editors do not count; the import was refused as a file
// that "does not read back" (check its indentation), and an update wrote
// the name changed.
func TestAValueWithAYAMLLineBreakIsWrittenEscaped(t *testing.T) {
	for _, brk := range []string{"\u0085", "\u2028", "\u2029"} {
		spec := feed.Spec{URL: "https://n.example/a" + brk + "b", Name: "Line" + brk + "two", Tags: []string{"t" + brk}}
		m, err := MergeFeeds([]byte("listen: \":9464\"\n"), []feed.Spec{spec})
		if err != nil {
			t.Errorf("%U: merge: %v", []rune(brk)[0], err)
			continue
		}
		got, err := decodeFeeds(m.Doc)
		if err != nil || len(got) != 1 || !sameEntry(got[0], spec) {
			t.Errorf("%U: merged %q reads back as %+v (%v), want %+v", []rune(brk)[0], m.Doc, got, err, spec)
			continue
		}
		name := "Renamed" + brk
		u, err := UpdateFeed(m.Doc, spec.URL, FeedUpdate{Name: &name})
		if err != nil {
			t.Errorf("%U: update: %v", []rune(brk)[0], err)
			continue
		}
		if got, err := decodeFeeds(u.Doc); err != nil || len(got) != 1 || got[0].Name != name {
			t.Errorf("%U: updated %q reads back as %+v (%v), want the name %q", []rune(brk)[0], u.Doc, got, err, name)
		}
		if r, err := UnlistFeed(u.Doc, spec.URL); err != nil || len(r.Removed) != 1 {
			t.Errorf("%U: remove: %+v, %v", []rune(brk)[0], r.Removed, err)
		}
	}
}
