package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// rssWith is an RSS document whose channel link is channel and whose
// items link to links.
func rssWith(channel string, links ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><link>%s</link>`, channel)
	for i, l := range links {
		fmt.Fprintf(&b, `<item><title>Story %d</title><link>%s</link><guid>g-%d</guid></item>`, i, l, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// A feed on a feed host or a CDN declares its site by its channel link
// (Atom's alternate link, JSON Feed's home_page_url): every item carries
// it as record.FeedRef.Site when the items bear it out — at least two of
// them link somewhere, each to the site's registrable domain. A hostile
// feed that writes another site's link in its channel declares nothing:
// its items link elsewhere too, or one alone agrees.
func TestAFeedDeclaresItsSiteOnlyWhenItsItemsBearItOut(t *testing.T) {
	const host = "https://feeds.feedhost.example/a"
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","title":"A","home_page_url":"https://www.a.example/","items":[` +
		`{"id":"1","url":"https://www.a.example/one","title":"One"},{"id":"2","url":"https://news.a.example/two","title":"Two"}]}`
	atom := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>` +
		`<link rel="self" href="https://feeds.feedhost.example/a"/><link rel="alternate" href="https://www.a.example/"/>` +
		`<entry><id>urn:1</id><title>One</title><link href="https://www.a.example/one"/></entry>` +
		`<entry><id>urn:2</id><title>Two</title><link href="https://www.a.example/two"/></entry></feed>`
	tests := []struct {
		name    string
		body    []byte
		feedURL string
		want    string
	}{
		{"an RSS feed on a feed host whose items are all on its channel's site declares it",
			rssWith("https://www.a.example/", "https://www.a.example/one", "https://a.example/two", "https://video.a.example/three"), host, "https://www.a.example/"},
		{"a JSON Feed's home_page_url declares the site",
			[]byte(jsonFeed), host, "https://www.a.example/"},
		{"an Atom feed's alternate link declares the site",
			[]byte(atom), host, "https://www.a.example/"},
		{"a hostile feed naming another site in its channel while listing its own pages declares nothing",
			rssWith("https://www.a.example/", "https://www.a.example/one", "https://h.example/prize"), "https://h.example/feed", ""},
		{"a hostile feed naming another site in its channel while listing a third site's pages declares nothing",
			rssWith("https://www.a.example/", "https://www.a.example/one", "https://www.b.example/two"), "https://h.example/feed", ""},
		{"one item agreeing with the channel is no evidence",
			rssWith("https://www.a.example/", "https://www.a.example/one"), "https://h.example/feed", ""},
		{"a feed on its site's own domain needs no declaration",
			rssWith("https://www.a.example/", "https://www.a.example/one", "https://www.a.example/two"), "https://a.example/rss", ""},
		{"a channel link that is no web address declares nothing",
			rssWith("mailto:desk@a.example", "https://www.a.example/one", "https://www.a.example/two"), host, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse(tc.body, "", tc.feedURL, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Items) == 0 {
				t.Fatal("no items")
			}
			for _, it := range doc.Items {
				if it.Feed.Site != tc.want {
					t.Errorf("item %s: feed site %q, want %q", it.Link, it.Feed.Site, tc.want)
				}
			}
		})
	}
}

// BenchmarkDeclaredSite is one parse's site check of a feed on a feed host
// (feeds.feedburner.com) that declares its site, with 20 items linking
// there: every item's link asks for its registrable domain.
func BenchmarkDeclaredSite(b *testing.B) {
	items := make([]record.Item, 20)
	for i := range items {
		items[i].Link = fmt.Sprintf("https://www.example.co.uk/news/story-%d", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if declaredSite("https://www.example.co.uk/", "https://feeds.feedburner.com/example", items) == "" {
			b.Fatal("no declared site")
		}
	}
}
