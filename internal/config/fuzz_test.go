package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/sources/feed"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // the seeds are whole configuration files
	os.Exit(m.Run())
}

// configSeeds are the example configuration and every file of testdata.
func configSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, p := range append(paths, filepath.Join("..", "..", "deploy", "wirestream.example.yaml")) {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, b)
		}
	}
	if len(seeds) == 0 {
		f.Fatal("no configuration file to seed from")
	}
	return seeds
}

// FuzzParse: a configuration file, whatever it holds, is accepted or
// refused with Problems, each with a message and a line within the file
// (or none) — the line a user is sent to — and an accepted one validates.
func FuzzParse(f *testing.F) {
	for _, s := range configSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("kafka:\n  brokers: a:9092, b:9092\nfeeds:\n  - url: https://a.example/rss\n    min_interval: 1m\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("opml: []\u2028listen: \":9464\"\u0085log: {level: loud}\u2029\nbogus: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, noEnv)
		if err == nil {
			if err := c.Validate(); err != nil {
				t.Fatalf("Parse accepted a configuration Validate refuses: %v", err)
			}
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("Parse failed with %T %v, not Problems", err, err)
		}
		// Lines are an editor's: "\r\n", "\n" and a lone "\r" end one (the
		// fuzzer's first find: " \r0" is a value on line 2); NEL, U+2028
		// and U+2029, which YAML reads as line breaks too, do not.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		for _, p := range ps {
			if strings.TrimSpace(p.Msg) == "" || p.Line < 0 || p.Line > lines {
				t.Fatalf("a problem without a message or with a line outside the file's %d: %+v", lines, p)
			}
		}
	})
}

// FuzzMergeFeeds: adding a feed to a configuration document (feeds add,
// feeds import) either refuses the document or edits it so that the feeds
// run reads from it are the old ones plus the new one, every line outside
// the inserted ones stays as it was, and removing the feed again (feeds
// remove) gives back the old list.
func FuzzMergeFeeds(f *testing.F) {
	for _, s := range configSeeds(f) {
		f.Add(s, "https://new.example/rss")
	}
	f.Add([]byte("feeds:\n- url: https://a.example/rss\n  tags: [world]\n\n# the rest\nlisten: \":9464\"\n"), "https://A.example:443/rss#top")
	f.Add([]byte("feeds: []   # none yet\r\nlisten: \":9464\"\r\n"), "https://b.example/feed")
	f.Add([]byte("feeds:\n    -   url: https://a.example/rss\n        # name: later\nlisten: \":9464\""), "https://c.example/x")
	f.Fuzz(func(t *testing.T, doc []byte, url string) {
		if feed.CheckHTTPURL(url) != nil { // refuses a URL that is not UTF-8, which YAML wrote as !!binary
			return
		}
		before, err := decodeFeeds(doc)
		if err != nil {
			return
		}
		m, err := MergeFeeds(doc, []feed.Spec{{URL: url, Name: "New: the paper", Tags: []string{"a, b"}}})
		if err != nil || len(m.Added) == 0 {
			return
		}
		after, err := decodeFeeds(m.Doc)
		if err != nil {
			t.Fatalf("the merged document is no YAML: %v\n%s", err, m.Doc)
		}
		if len(after) != len(before)+1 || !slices.EqualFunc(after[:len(before)], before, sameEntry) ||
			after[len(before)].URL != url || after[len(before)].Name != "New: the paper" || !slices.Equal(after[len(before)].Tags, []string{"a, b"}) {
			t.Fatalf("feeds %+v became %+v adding %s\n%s", before, after, url, m.Doc)
		}
		lines, old := splitLines(m.Doc), splitLines(doc)
		if m.First < 1 || m.Last < m.First || m.Last > len(lines) {
			t.Fatalf("inserted lines %d-%d of %d", m.First, m.Last, len(lines))
		}
		// Only the inserted lines are new — but a file without a feeds
		// list gets one appended, and an empty one ("feeds: []", "feeds:
		// ~") has its key's line rewritten.
		kept := slices.Concat(lines[:m.First-1], lines[m.Last:])
		if key := m.First - 2; len(before) == 0 && key >= 0 && key < len(old) && len(kept) == len(old) {
			kept[key] = old[key]
		}
		if !slices.Equal(kept, old) && !bytes.HasPrefix(m.Doc, doc) {
			t.Fatalf("lines outside the inserted %d-%d changed:\n%q\n%q", m.First, m.Last, doc, m.Doc)
		}
		u, err := UnlistFeed(m.Doc, url)
		if err != nil {
			t.Fatalf("the added feed cannot be removed: %v\n%s", err, m.Doc)
		}
		if back, err := decodeFeeds(u.Doc); err != nil || !slices.EqualFunc(back, before, sameEntry) {
			t.Fatalf("removing the added feed gives %+v (%v), want %+v\n%s", back, err, before, u.Doc)
		}
	})
}

// FuzzEditFeeds: removing a feed from a configuration file (feeds remove)
// or changing a listed feed's settings (feeds add of a listed URL), on any
// file, refuses the file or edits it so that its feeds read back as the
// old ones less that feed, or with the new name on that feed's entries.
// FuzzMergeFeeds removes only what it added; a file with a line break
// only YAML reads (U+2028) made the removal panic.
func FuzzEditFeeds(f *testing.F) {
	for _, s := range configSeeds(f) {
		f.Add(s, "https://a.example/rss")
	}
	f.Add([]byte("feeds:\n  - url: https://a.example/rss\n    name: A # the first\n  # - url: https://old.example/rss\n  - url: https://b.example/rss\n    tags: [x]\nlisten: \":9464\"\n"), "https://a.example/rss")
	f.Add([]byte("feeds:\r\n- url: https://a.example/rss\r\n-\r\n  url: https://b.example/rss\r\n"), "https://b.example/rss")
	f.Add([]byte("opml: []\u2028feeds:\n  - url: https://a.example/rss\n  - url: https://b.example/rss\n"), "https://b.example/rss")
	f.Fuzz(func(t *testing.T, doc []byte, url string) {
		before, err := decodeFeeds(doc)
		if err != nil || feed.CheckHTTPURL(url) != nil {
			return
		}
		var kept []feed.Spec
		for _, s := range before {
			if feed.RequestKey(s.URL) != feed.RequestKey(url) {
				kept = append(kept, s)
			}
		}
		if u, err := UnlistFeed(doc, url); err == nil {
			after, err := decodeFeeds(u.Doc)
			if err != nil || !slices.EqualFunc(after, kept, sameEntry) {
				t.Fatalf("removing %s: feeds %+v became %+v (%v), want %+v\n%q\n%q", url, before, after, err, kept, doc, u.Doc)
			}
		}
		name := "Renamed: the paper"
		if u, err := UpdateFeed(doc, url, FeedUpdate{Name: &name}); err == nil && u.Line > 0 {
			// The first entry of url's request (the one UpdateFeed edits)
			// reads back renamed, every other entry as it was.
			want := slices.Clone(before)
			if i := slices.IndexFunc(want, func(s feed.Spec) bool { return feed.RequestKey(s.URL) == feed.RequestKey(url) }); i >= 0 {
				want[i].Name = name
			}
			after, err := decodeFeeds(u.Doc)
			if err != nil || !slices.EqualFunc(after, want, sameEntry) {
				t.Fatalf("renaming %s: feeds %+v became %+v (%v), want %+v\n%q\n%q", url, before, after, err, want, doc, u.Doc)
			}
		}
	})
}
