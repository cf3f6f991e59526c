package feed

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
)

var fetchedAt = time.Date(2024, 5, 14, 9, 15, 0, 0, time.UTC)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseGolden(t *testing.T) {
	cases := []struct {
		name, file, contentType, url string
	}{
		{"a BBC-like RSS feed with CDATA, media thumbnails and a ttl", "bbc-world.xml", "application/rss+xml", "https://feeds.bbci.co.uk/news/world/rss.xml"},
		{"a Guardian-like RSS feed with dc:creator, media:content and a broken date", "guardian-world.xml", "text/xml; charset=UTF-8", "https://www.theguardian.com/world/rss"},
		{"an AP-like Atom feed with xml:base and relative links", "ap-topnews.atom", "application/atom+xml", "https://rsshub.example/apnews/topics/apf-topnews"},
		{"a JSON Feed 1.1 with attachments and authors", "npr.json", "application/feed+json", "https://feeds.npr.org/1001/feed.json"},
		{"an RSS 1.0 RDF feed with the syndication module", "sy-rdf.xml", "application/rdf+xml", "https://www.heise.de/rss/heise.rdf"},
		{"a Windows-1251 feed", "lenta-cp1251.xml", "application/rss+xml", "https://lenta.example/rss"},
		{"a Latin-1 feed that declares UTF-8", "lemonde-latin1-declared-utf8.xml", "text/xml; charset=utf-8", "https://www.lemonde.example/rss/une.xml"},
		{"a UTF-8 feed that declares ISO-8859-1", "lemonde-utf8-declared-latin1.xml", "text/xml", "https://www.lemonde.example/rss/une.xml"},
		{"a wire's ninjs list served as plain JSON", "wire-ninjs.json", "application/json", "https://api.wire.example/v1/items"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(readFixture(t, c.file), c.contentType, c.url, fetchedAt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", c.file+".json"), append(got, '\n'))
		})
	}
}

func TestParseExtracts(t *testing.T) {
	t.Run("BBC: ttl, publisher, thumbnails, a repeated item rejected with its reason", func(t *testing.T) {
		doc, err := Parse(readFixture(t, "bbc-world.xml"), "", "https://feeds.bbci.co.uk/news/world/rss.xml", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		if doc.TTL != 15*time.Minute {
			t.Errorf("TTL = %s, want 15m", doc.TTL)
		}
		if len(doc.Items) != 4 || len(doc.Rejected) != 1 || doc.Rejected[0].Reason != RejectRepeated || doc.DuplicateGUIDs != 0 {
			t.Fatalf("items = %d, rejected = %+v, shared GUIDs = %d; want 4, the repeat, 0", len(doc.Items), doc.Rejected, doc.DuplicateGUIDs)
		}
		if r := doc.Rejected[0]; r.Item == nil || !strings.Contains(r.Error, "repeats item 3") || r.Item.Description != "Duplicate entry the CMS emitted twice." {
			t.Errorf("rejected = %+v", r)
		}
		it := doc.Items[0]
		if it.Publisher != "BBC News - World" || it.FeedLanguage != "en-gb" {
			t.Errorf("publisher %q language %q", it.Publisher, it.FeedLanguage)
		}
		if len(it.Media) != 1 || !it.Media[0].Thumb || it.Media[0].Width != 240 || it.Media[0].Medium != "image" {
			t.Errorf("media = %+v", it.Media)
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(time.Date(2024, 5, 14, 8, 51, 2, 0, time.UTC)) {
			t.Errorf("published = %v", it.PublishedParsed)
		}
		if !strings.Contains(doc.Items[1].Title, "Fico & ministers") {
			t.Errorf("CDATA title = %q", doc.Items[1].Title)
		}
	})
	t.Run("Guardian: authors, categories, credits, relative link, broken date kept raw", func(t *testing.T) {
		doc, err := Parse(readFixture(t, "guardian-world.xml"), "", "https://www.theguardian.com/world/rss", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		it := doc.Items[0]
		if len(it.Authors) != 1 || it.Authors[0] != "Pjotr Sauer and Dan Sabbagh" {
			t.Errorf("authors = %q", it.Authors)
		}
		if strings.Join(it.Categories, ",") != "Ukraine,Russia,Europe" {
			t.Errorf("categories = %q", it.Categories)
		}
		if len(it.Media) != 2 || it.Media[0].Credit != "Photograph: Reuters" || it.Media[1].Width != 460 {
			t.Errorf("media = %+v", it.Media)
		}
		broken := doc.Items[2]
		if broken.PublishedRaw != "Tuesday the 14th, around nine" || broken.PublishedParsed != nil {
			t.Errorf("broken date: raw %q parsed %v", broken.PublishedRaw, broken.PublishedParsed)
		}
		if broken.Link != "https://www.theguardian.com/world/2024/may/14/broken-date-story" {
			t.Errorf("relative link resolved to %q", broken.Link)
		}
	})
	t.Run("AP Atom: xml:base on feed and entry, two authors, media title", func(t *testing.T) {
		doc, err := Parse(readFixture(t, "ap-topnews.atom"), "", "https://rsshub.example/apnews/topics/apf-topnews", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Items[0].Link != "https://apnews.com/article/powell-inflation-rates-5f3e2a" {
			t.Errorf("feed xml:base link = %q", doc.Items[0].Link)
		}
		if doc.Items[1].Link != "https://apnews.com/sports/celtics-cavaliers-game-4-4d9c1b" {
			t.Errorf("entry xml:base link = %q", doc.Items[1].Link)
		}
		if strings.Join(doc.Items[0].Authors, ";") != "Christopher Rugaber;Paul Wiseman" {
			t.Errorf("authors = %q", doc.Items[0].Authors)
		}
		if doc.Items[0].Content == "" || doc.Items[0].Description == "" {
			t.Error("content or summary missing")
		}
		if m := doc.Items[0].Media; len(m) != 1 || m[0].Title != "Jerome Powell at a news conference" || m[0].Captions == "" {
			t.Errorf("media = %+v", m)
		}
		if doc.Items[1].UpdatedRaw != "not-a-date" || doc.Items[1].UpdatedParsed != nil {
			t.Errorf("broken updated: %q %v", doc.Items[1].UpdatedRaw, doc.Items[1].UpdatedParsed)
		}
		if doc.Language != "en-US" {
			t.Errorf("language = %q", doc.Language)
		}
	})
	t.Run("JSON Feed: attachment as audio, image, relative url", func(t *testing.T) {
		doc, err := Parse(readFixture(t, "npr.json"), "application/feed+json", "https://feeds.npr.org/1001/feed.json", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		it := doc.Items[0]
		var audio, image bool
		for _, m := range it.Media {
			audio = audio || (m.Medium == "audio" && m.Length == 3145728)
			image = image || m.Medium == "image"
		}
		if !audio || !image {
			t.Errorf("media = %+v", it.Media)
		}
		if doc.Items[1].Link != "https://feeds.npr.org/2024/05/14/1251230000/relative-link" {
			t.Errorf("relative link = %q", doc.Items[1].Link)
		}
		if doc.Items[1].PublishedRaw != "yesterday" || doc.Items[1].PublishedParsed != nil {
			t.Errorf("broken date: %q %v", doc.Items[1].PublishedRaw, doc.Items[1].PublishedParsed)
		}
	})
	t.Run("RDF: sy:updatePeriod hourly / 2 is 30 minutes", func(t *testing.T) {
		doc, err := Parse(readFixture(t, "sy-rdf.xml"), "", "https://www.heise.de/rss/heise.rdf", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		if doc.UpdatePeriod != 30*time.Minute {
			t.Errorf("UpdatePeriod = %s", doc.UpdatePeriod)
		}
		if doc.Items[0].Authors[0] != "Thorsten Leemhuis" || doc.Items[0].Categories[0] != "Linux" {
			t.Errorf("item = %+v", doc.Items[0])
		}
	})
}

func TestParseCharsets(t *testing.T) {
	cases := []struct {
		name, file, contentType, wantTitle, wantCharset string
	}{
		{"Windows-1251 declared in the XML is decoded", "lenta-cp1251.xml", "", "Центробанк сохранил ключевую ставку", "windows-1251"},
		{"Windows-1251 still wins over a wrong Content-Type charset", "lenta-cp1251.xml", "text/xml; charset=utf-8", "Центробанк сохранил ключевую ставку", "windows-1251"},
		{"Latin-1 bytes declared as UTF-8 are read as Windows-1252", "lemonde-latin1-declared-utf8.xml", "text/xml; charset=utf-8", "Élection européenne : les têtes de liste débattent à Strasbourg", "windows-1252"},
		{"UTF-8 bytes declared as ISO-8859-1 are read as UTF-8", "lemonde-utf8-declared-latin1.xml", "", "Élection européenne : les têtes de liste débattent à Strasbourg", "utf-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(readFixture(t, c.file), c.contentType, "https://example.org/feed", fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			if got := doc.Items[0].Title; got != c.wantTitle {
				t.Errorf("title = %q, want %q", got, c.wantTitle)
			}
			if doc.Charset != c.wantCharset {
				t.Errorf("charset = %q, want %q", doc.Charset, c.wantCharset)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	cases := []struct{ name, file string }{
		{"an HTML page is not a feed", "not-a-feed.html"},
		{"an empty body is not a feed", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body []byte
			if c.file != "" {
				body = readFixture(t, c.file)
			}
			if _, err := Parse(body, "", "https://example.org/feed", fetchedAt); err == nil {
				t.Fatal("Parse accepted it")
			}
		})
	}
}

func TestParseMalformedXMLDoesNotPanic(t *testing.T) {
	// gofeed's non-strict decoder may salvage items or fail; either way
	// Parse returns, and what it returns is well formed.
	doc, err := Parse(readFixture(t, "malformed.xml"), "", "https://broken.example/rss", fetchedAt)
	if err == nil {
		for _, it := range doc.Items {
			if it.Feed.URL != "https://broken.example/rss" {
				t.Errorf("item without feed ref: %+v", it)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	entries, _ := os.ReadDir(filepath.Join("testdata", "feeds"))
	for _, e := range entries {
		f.Add(readFixture(f, e.Name()), "application/xml")
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":1}]}`), "application/json")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"a","title":1},null,{"id":"b","url":"https://x.example/b"},{"id":"b","url":"https://x.example/b"}]}`), "application/feed+json")
	// A JSON Feed past twice the fuzz's max at each end, so that its middle
	// is stepped over (jsonFeedItems): strings holding brackets, quotes and
	// escapes, items that are no objects, a repeated items key.
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"x"}],"items":[{"id":"a","title":"]}\\\"["},7,{"id":"b","x":[[1],{"y":"a\\\\"}]},null, true ,{"id":"c"},{"id":"d","date_published":"2099-01-01T00:00:00Z"},"s",{"id":"e"},-1.5e3,{"id":"f"},{"id":"g","date_published":"2024-05-14T09:00:00Z"},{"id":"h"}]}`), "application/feed+json")
	// Feed-level fields of the wrong type, which are dropped one by one.
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":7,"author":"Desk","hubs":1,"home_page_url":["a"],"icon":{},"items":[{"id":"a","url":"https://x.example/a"}]}`), "application/feed+json")
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><item><title>\xc5\x81\xc3\xb3d\xc5\xba \xe9</title><guid>g</guid><link>https://x.example/1</link></item><item><title>t</title><guid>g</guid><link>https://x.example/2</link></item></channel></rss>"), "text/xml; charset=utf-8")
	// Bodies that are no feed and say what they are instead: an API's
	// error object (a message one level down), white space, gzip.
	f.Add([]byte(`{"error":{"code":403,"Message":"quota \u00e9"},"ITEMS2":1,"status":["x"]}`), "application/json")
	f.Add([]byte("\r\n \t"), "")
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "application/x-gzip")
	f.Add([]byte("<\x00r\x00s\x00s\x00 \x00v\x00e\x00r\x00s\x00i\x00o\x00n\x00=\x00\"\x002\x00.\x000\x00\"\x00>\x00<\x00/\x00r\x00s\x00s\x00>\x00"), "") // UTF-16LE, no BOM
	// Round 30: documents a close cut short (XML, JSON); xml:base of
	// another scheme; JSON numbers no float holds, ids that are numbers.
	f.Add([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>C</title><item><title>One</title><guid>1</guid></item><item><title>Tw`), "application/rss+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1"},{"id":"2","ur`), "application/feed+json")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title>A</title><entry xml:base="file:///etc/"><id>e1</id><link href="passwd"/></entry><entry><id>e2</id><link href="x"/></entry></feed>`), "application/atom+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":12345,"url":"https://j.example/1","attachments":[{"url":"https://j.example/a.mp3","mime_type":"audio/mpeg","size_in_bytes":1e400,"duration_in_seconds":-5}]}]}`), "application/feed+json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		doc, err := Parse(body, contentType, "https://fuzz.example/feed", fetchedAt)
		if err != nil {
			return
		}
		if _, err := json.Marshal(doc); err != nil {
			t.Fatalf("document does not serialise: %v", err)
		}
		ids := map[string]bool{}
		for i := range doc.Items {
			if id := identity(&doc.Items[i]); ids[id] {
				t.Fatalf("two items share the identity %q: one should have been rejected", id)
			} else {
				ids[id] = true
			}
		}
		for _, r := range doc.Rejected {
			if r.Reason == "" || r.Error == "" || r.Key == "" || (r.Item == nil && r.Raw == "") {
				t.Fatalf("a rejected entry does not say what and why: %+v", r)
			}
		}
		for _, it := range doc.Items {
			for _, s := range []string{it.Title, it.Description, it.Content, it.Link, it.GUID, it.PublishedRaw} {
				if !utf8.ValidString(s) {
					t.Fatalf("item field is not valid UTF-8: %q", s)
				}
			}
			if it.Feed.URL != "https://fuzz.example/feed" || !it.FetchedAt.Equal(fetchedAt) {
				t.Fatalf("item lost its feed ref or fetch time: %+v", it)
			}
		}
		checkParseAtMost(t, body, contentType, doc)
	})
}

// checkParseAtMost: reading at most 2 items keeps the items a whole parse
// limited to 2 keeps, with the same overflow, except where the design
// parts them (TestParseAtMostKeepsWhatAWholeParseKeeps): more repeats
// among the entries read than the margin holds, and a GUID shared with,
// or an entry repeated by, an entry not read; and the number of entries
// in a document broken past the cut; and a document whose newest items
// may lie in the middle the cut leaves out (newestAtAnEnd).
func checkParseAtMost(t *testing.T, body []byte, contentType string, whole Document) {
	const max = 2
	cut, err := ParseAtMost(body, contentType, "https://fuzz.example/feed", fetchedAt, max)
	if err != nil {
		t.Fatalf("a whole parse reads the document, a parse of at most %d items fails: %v", max, err)
	}
	repeats := func(d Document) (n int) {
		for _, r := range d.Rejected {
			if r.Reason == RejectRepeated {
				n++
			}
		}
		return n
	}
	if cut.NotRead > 0 && (cut.DuplicateGUIDs != whole.DuplicateGUIDs || repeats(cut) != repeats(whole) || len(cut.Items) < max || !dateOrder(itemDates(whole.Items, record.DefaultFutureSkew)).newestAtAnEnd()) {
		return
	}
	whole.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	cut.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if got, want := identities(cut), identities(whole); !slices.Equal(got, want) {
		t.Fatalf("a parse of at most %d items kept %q, a whole parse %q", max, got, want)
	}
	// Entries left out are counted by the cut's scan, which may see an
	// entry that gofeed's lenient decoder, past a broken tag, does not:
	// the counts agree where the same bytes were parsed.
	if got, want := overflow(cut), overflow(whole); (cut.NotRead == 0 && got != want) || (cut.NotRead > 0 && got == "") {
		t.Fatalf("a parse of at most %d items (%d entries not read) reports %q, a whole parse %q", max, cut.NotRead, got, want)
	}
}

func TestParseStandaloneUsesTheSiteLinkAsTheFeedURL(t *testing.T) {
	for _, tt := range []struct {
		name, channelLink, wantFeed, wantLink string
	}{
		{"an http(s) site link stands in, and relative item links resolve against it",
			"https://site.example/news/", "https://site.example/news/", "https://site.example/news/story/1"},
		{"a relative site link resolves against the fallback, which stays the feed URL",
			"/home", "file:///saved.xml", "file:///story/1"},
		{"without a site link the fallback is the feed URL", "", "file:///saved.xml", "file:///story/1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Saved</title><link>` + tt.channelLink +
				`</link><item><title>One</title><link>story/1</link></item></channel></rss>`
			doc, err := ParseStandalone([]byte(body), "file:///saved.xml", fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Items) != 1 || doc.Items[0].Feed.URL != tt.wantFeed || doc.Items[0].Link != tt.wantLink {
				t.Errorf("items %+v, want feed %q and link %q", doc.Items, tt.wantFeed, tt.wantLink)
			}
		})
	}
	// The caller names the file: the stand-in URL is no place a user knows.
	if _, err := ParseStandalone([]byte("<html>no feed</html>"), "file:///page.html", fetchedAt); !errors.Is(err, ErrNotAFeed) || strings.Contains(err.Error(), "file:") {
		t.Errorf("ParseStandalone of a web page = %v, want ErrNotAFeed without the stand-in URL", err)
	}
}

// Wire services serve ninjs as application/json, text/plain or worse: the
// IPTC's real wire examples are read as ninjs whatever the Content-Type
// says, and their events are not stories.
func TestParseRecognisesNinjsByContent(t *testing.T) {
	dir := ninjstest.Dir(t)
	files, err := filepath.Glob(filepath.Join(dir, "examples", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no IPTC examples in %s", dir)
	}
	for _, ct := range []string{"", "text/plain", "application/octet-stream", "application/rss+xml"} {
		items, skipped := 0, 0
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(body, ct, "https://api.wire.example/v1/items", fetchedAt)
			if err != nil {
				t.Fatalf("Content-Type %q: %s: %v", ct, filepath.Base(f), err)
			}
			if doc.Format != "ninjs" {
				t.Fatalf("Content-Type %q: %s read as %s", ct, filepath.Base(f), doc.Format)
			}
			items += len(doc.Items)
			skipped += doc.Skipped["not_a_story"]
		}
		if items != 13 || skipped != 5 {
			t.Errorf("Content-Type %q: %d stories and %d events, want 13 and 5", ct, items, skipped)
		}
	}
}
