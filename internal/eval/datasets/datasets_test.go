package datasets_test

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestLoadUCIConvertsRowsAsAFeedWouldHaveCarriedThem(t *testing.T) {
	items, err := datasets.LoadUCI(filepath.Join("testdata", "uci", "dev.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ts := func(ms int64) *time.Time { t := time.UnixMilli(ms).UTC(); return &t }
	want := []record.Item{
		{
			Feed:      record.FeedRef{URL: "https://www.latimes.com/feed", Title: "Los Angeles Times"},
			Publisher: "Los Angeles Times",
			Link:      "http://www.latimes.com/business/money/la-fi-mo-federal-reserve-plosser-stimulus-economy-20140310,0,1312750.story?track=rss",
			Title:     "Fed official says weak data caused by weather, should not slow taper", Categories: []string{"Business"},
			PublishedRaw: "Mon, 10 Mar 2014 16:52:50 +0000", PublishedParsed: ts(1394470370698), FetchedAt: *ts(1394470370698),
		},
		{
			// No HOSTNAME: the link's host names the feed.
			Feed:      record.FeedRef{URL: "https://www.example-news.com/feed", Title: "Example News"},
			Publisher: "Example News",
			Link:      "http://www.example-news.com/ent/kim-(video)",
			Title:     `Kim Kardashian 's "secret" (video)`, Categories: []string{"Entertainment"},
			PublishedRaw: "Mon, 10 Mar 2014 16:52:51 +0000", PublishedParsed: ts(1394470371207), FetchedAt: *ts(1394470371207),
		},
		{
			Feed:      record.FeedRef{URL: "https://www.cnet.com/feed", Title: "CNET"},
			Publisher: "CNET",
			Link:      "http://www.cnet.com/news/android-wear/",
			Title:     "Google unveils Android Wear", Categories: []string{"Science and Technology"},
			PublishedRaw: "Mon, 10 Mar 2014 16:52:52 +0000", PublishedParsed: ts(1394470372000), FetchedAt: *ts(1394470372000),
		},
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items, want %d", len(items), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(items[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+1, items[i], want[i])
		}
	}
}

func TestLoadUCIRejectsBrokenFilesNamingTheProblem(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"a timestamp that is not a number names the line", "bad-timestamp.csv", "bad-timestamp.csv:2: TIMESTAMP"},
		{"a missing column is named", "no-url-column.csv", "header lacks column URL"},
		{"a file with only a header has no rows", "empty.csv", "no rows"},
		{"a row with neither a hostname nor a URL host is refused", "no-host.csv", "neither HOSTNAME nor a URL with a host"},
		{"a missing file is an error", "absent.csv", "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := datasets.LoadUCI(filepath.Join("testdata", "uci", tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("datasets.LoadUCI(%s) = %v, want an error containing %q", tc.file, err, tc.want)
			}
		})
	}
}

func TestLoadWikiRefTurnsArticlesIntoFeedItems(t *testing.T) {
	items, err := datasets.LoadWikiRef(filepath.Join("testdata", "wikiref"))
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2016, time.January, 1, 0, 0, 0, 0, time.UTC)
	want := []record.Item{
		{
			Feed: record.FeedRef{URL: datasets.WikiRefFeed, Title: "WikiRef220"}, Publisher: "WikiRef220",
			// The file name is the label: identity is a hash of it.
			GUID:        "tag:wikiref220.invalid,2016:fccf702477153e3c",
			Link:        "https://wikiref220.invalid/articles/fccf702477153e3c",
			Title:       "Paris attacks: gunmen strike across the city",
			Description: "At least 129 people were killed in coordinated attacks.",
			Content:     "<p>At least 129 people were killed in coordinated attacks.</p>\n<p>President Hollande declared a state of emergency.</p>\n",
			FetchedAt:   fetched,
		},
		{
			// A byte-order mark and CRLF line ends are dropped; text is
			// escaped, so "&" and "<officials>" stay text, not markup.
			Feed: record.FeedRef{URL: datasets.WikiRefFeed, Title: "WikiRef220"}, Publisher: "WikiRef220",
			GUID:        "tag:wikiref220.invalid,2016:3b22cf18de5d0c6b",
			Link:        "https://wikiref220.invalid/articles/3b22cf18de5d0c6b",
			Title:       "Malaysia Airlines Flight 17 crash: what we know",
			Description: "The Boeing 777 was flying from Amsterdam to Kuala Lumpur when it came down in eastern Ukraine.",
			Content: "<p>The Boeing 777 was flying from Amsterdam to Kuala Lumpur when it came down in eastern Ukraine.</p>\n" +
				"<p>Investigators said the evidence pointed to a missile &amp; not an accident &lt;officials&gt;.</p>\n",
			FetchedAt: fetched,
		},
	}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("got\n%+v\nwant\n%+v", items, want)
	}
	if _, err := datasets.LoadWikiRef(filepath.Join("testdata", "wikiref-empty")); err == nil || !strings.Contains(err.Error(), "no .txt files") {
		t.Errorf("datasets.LoadWikiRef of a folder without articles = %v, want a \"no .txt files\" error", err)
	}
}

// The shared data itself: every row and article converts, links are
// absolute URLs and the counts match the data README.
func TestTheSharedDataConvertsWhole(t *testing.T) {
	dir := shareddata.Dir(t)
	uci, err := datasets.LoadUCI(filepath.Join(dir, "uci-news", "dev.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wiki, err := datasets.LoadWikiRef(filepath.Join(dir, "wikiref220"))
	if err != nil {
		t.Fatal(err)
	}
	if len(uci) != 3285 || len(wiki) != 220 {
		t.Errorf("converted %d headlines and %d articles; the data README describes 3,285 and 220", len(uci), len(wiki))
	}
	feeds := map[string]bool{}
	for i, it := range append(uci, wiki...) {
		u, err := url.Parse(it.Link)
		if err != nil || !u.IsAbs() || u.Host == "" || strings.ContainsAny(it.Link, `\`) {
			t.Errorf("item %d: link %q is not an absolute URL without escapes", i, it.Link)
		}
		if it.Title == "" || it.Feed.URL == "" || it.FetchedAt.IsZero() {
			t.Errorf("item %d: missing title, feed or fetch time: %+v", i, it)
		}
		feeds[it.Feed.URL] = true
	}
	t.Logf("%d headlines, %d articles, %d feeds", len(uci), len(wiki), len(feeds))
}

// FuzzLoadUCI: any file either converts, with a feed and a time on every
// item, or is refused with an error; it never panics.
func FuzzLoadUCI(f *testing.F) {
	for _, name := range []string{"dev.csv", "bad-timestamp.csv", "no-url-column.csv", "empty.csv", "no-host.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "uci", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "dev.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		items, err := datasets.LoadUCI(path)
		if err != nil {
			return
		}
		for _, it := range items {
			if !strings.HasPrefix(it.Feed.URL, "https://") || it.PublishedParsed == nil || it.FetchedAt.IsZero() {
				t.Fatalf("item without a feed or a time: %+v", it)
			}
		}
	})
}

func TestWikirefLabel(t *testing.T) {
	for in, want := range map[string]string{
		"ParisAttacks2015 (3).txt":        "ParisAttacks2015",
		"malaysia.airlines.flight.14.txt": "malaysia.airlines.flight",
		"NBA.draft.2.txt":                 "NBA.draft",
		"U2.149.txt":                      "U2",
	} {
		if got := datasets.WikiRefLabel(in); got != want {
			t.Errorf("datasets.WikiRefLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// A fresh clone outside the directory that holds shared/ finds no data:
// the error names the directory searched from, absolute (not "."), so a
// user sees where it looked.
// A clone away from shared/ (a newcomer's scratch directory) finds the
// data through $WIRESTREAM_SHARED_DATA, and is told when the variable
// points at something else; without it the tests that need the data skip.
func TestFindReadsTheDirectoryTheEnvironmentNames(t *testing.T) {
	data := t.TempDir()
	if err := os.Mkdir(filepath.Join(data, "uci-news"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	t.Setenv(datasets.EnvDir, data)
	if got, err := datasets.Find("."); err != nil || got != data {
		t.Errorf("Find with $%s=%s = %q, %v; want that directory", datasets.EnvDir, data, got, err)
	}
	empty := t.TempDir()
	t.Setenv(datasets.EnvDir, empty)
	if _, err := datasets.Find("."); err == nil || !strings.Contains(err.Error(), "$"+datasets.EnvDir+" is "+empty+", which holds no uci-news/") {
		t.Errorf("Find with $%s at a directory without uci-news/: %v; want an error naming both", datasets.EnvDir, err)
	}
}

func TestFindNamesWhereItLookedWhenThereIsNoData(t *testing.T) {
	t.Setenv(datasets.EnvDir, "")
	dir := t.TempDir()
	t.Chdir(dir)
	_, err := datasets.Find(".")
	if err == nil {
		t.Skipf("a shared/data holding uci-news/ exists above %s", dir)
	}
	if !strings.Contains(err.Error(), " in "+dir+" or any directory above it") {
		t.Errorf("Find(\".\") from %s: %v; want it to name %s", dir, err, dir)
	}
}
