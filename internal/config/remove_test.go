package config

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

const listed = `# my feeds
feeds:
  # the BBC, world desk
  - url: https://feeds.bbci.co.uk/news/world/rss.xml
    tags: [world]   # keep

  - url: https://EXAMPLE.com:443/rss#top
    name: Example
  - url: https://www.theguardian.com/world/rss
  # a comment at the end of the list
# about kafka
kafka:
  brokers: [k:9092]
`

// `feeds remove --config` takes a feed out of the file by editing its
// text: the entry's lines and the comments written just above it go,
// every other line stays byte for byte; every spelling of the URL that
// makes the same request goes; a list that cannot be edited line by line
// is refused with its line and nothing changes.
func TestUnlistFeedRemovesTheEntryAndKeepsEveryOtherLine(t *testing.T) {
	cases := []struct {
		name, doc, url string
		want           string // the document after; "" for unchanged
		lines          []int  // the lines of the entries removed
		err            string
	}{
		{"the first entry, with the comment above it and the blank line after", listed, "https://feeds.bbci.co.uk/news/world/rss.xml",
			strings.Replace(listed, "  # the BBC, world desk\n  - url: https://feeds.bbci.co.uk/news/world/rss.xml\n    tags: [world]   # keep\n\n", "", 1), []int{4}, ""},
		{"another spelling of the same request", listed, "https://example.com/rss",
			strings.Replace(listed, "  - url: https://EXAMPLE.com:443/rss#top\n    name: Example\n", "", 1), []int{7}, ""},
		{"the last entry, with the comment indented into the list, not the one before the next key", listed, "https://www.theguardian.com/world/rss",
			strings.Replace(listed, "  - url: https://www.theguardian.com/world/rss\n  # a comment at the end of the list\n", "", 1), []int{9}, ""},
		{"a feed the file does not list", listed, "https://nowhere.example/rss", "", nil, ""},
		{"no feeds at all", "kafka:\n  brokers: [k:9092]\n", "https://a.example/rss", "", nil, ""},
		{"a flow list is refused", "feeds: [{url: https://a.example/rss}]\n", "https://a.example/rss", "", nil,
			`line 1: feeds: is a flow list ([...]); write it as a block list (one "- url:" per entry) to remove a feed from it`},
		{"an entry that is not a mapping is refused", "feeds:\n  - https://a.example/rss\n", "https://a.example/rss", "", nil,
			`line 2: feeds[0]: is a single value, not an entry such as "- url: https://…"; it cannot be edited in place`},
		{"an entry with an anchor is refused", "feeds:\n  - &a\n    url: https://a.example/rss\n", "https://a.example/rss", "", nil,
			"line 2: feeds[0]: has an anchor (&a) that other parts of the file may refer to; remove the entry by hand"},
		{"the previous entry's commented-out keys stay with it: only a comment at the dash's column leads into an entry",
			"feeds:\n  - url: https://a.example/rss\n    name: A\n    # tags: [world]   (disabled for now)\n    # min_interval: 5m\n  # b, the wire\n  - url: https://b.example/rss\n",
			"https://b.example/rss",
			"feeds:\n  - url: https://a.example/rss\n    name: A\n    # tags: [world]   (disabled for now)\n    # min_interval: 5m\n", []int{7}, ""},
		{"removing the entry the commented-out keys belong to takes them with it",
			"feeds:\n  - url: https://a.example/rss\n    name: A\n    # min_interval: 5m\n  - url: https://b.example/rss\n",
			"https://a.example/rss",
			"feeds:\n  - url: https://b.example/rss\n", []int{2}, ""},
		{"a dash alone on its line", "feeds:\n  -\n    url: https://a.example/rss\n  - url: https://b.example/rss\n", "https://a.example/rss",
			"feeds:\n  - url: https://b.example/rss\n", []int{3}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := UnlistFeed([]byte(tc.doc), tc.url)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("UnlistFeed error = %v\nwant %s", err, tc.err)
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
				t.Errorf("document after:\n%s\nwant:\n%s", u.Doc, want)
			}
			var got []int
			for _, r := range u.Removed {
				got = append(got, r.Line)
			}
			if len(got) != len(tc.lines) || (len(got) > 0 && got[0] != tc.lines[0]) {
				t.Errorf("removed entries on lines %v, want %v", got, tc.lines)
			}
			if _, err := Parse(u.Doc, func(string) string { return "" }); err != nil {
				t.Errorf("the document after is not a valid configuration: %v", err)
			}
		})
	}
}

// `feeds add --config URL --min-interval 5m` writes the intervals as a
// person would, and the entry reads back as the feed given.
func TestMergeFeedsWritesAFeedsIntervals(t *testing.T) {
	s := feed.Spec{URL: "https://a.example/rss", Tags: []string{"world"}, MinInterval: 5 * time.Minute, MaxInterval: 2 * time.Hour}
	m, err := MergeFeeds([]byte("feeds:\n  - url: https://b.example/rss\n"), []feed.Spec{s})
	if err != nil {
		t.Fatal(err)
	}
	want := "feeds:\n  - url: https://b.example/rss\n  - url: https://a.example/rss\n    tags: [world]\n    min_interval: 5m\n    max_interval: 2h\n"
	if string(m.Doc) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", m.Doc, want)
	}
	c, err := Parse(m.Doc, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Feeds[1]; got.MinInterval != s.MinInterval || got.MaxInterval != s.MaxInterval {
		t.Errorf("read back %+v, want %+v", got, s)
	}
}
