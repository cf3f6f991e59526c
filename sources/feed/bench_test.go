package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkParse measures Parse on the real-world fixtures and on a
// 50-item RSS document with full content:encoded bodies (the size of a
// busy outlet's feed), reporting items/s.
//
//	go test -run '^$' -bench Parse -benchmem ./sources/feed/
func BenchmarkParse(b *testing.B) {
	cases := []struct{ name, file, contentType string }{
		{"bbc-rss", "bbc-world.xml", "application/rss+xml"},
		{"guardian-rss", "guardian-world.xml", "application/rss+xml; charset=utf-8"},
		{"ap-atom", "ap-topnews.atom", "application/atom+xml"},
		{"npr-json", "npr.json", "application/feed+json"},
		{"cp1251-rss", "lenta-cp1251.xml", "application/rss+xml"},
	}
	for _, c := range cases {
		body := readFixture(b, c.file)
		benchParse(b, c.name, body, c.contentType)
	}
	benchParse(b, "rss-50-items-full-text", largeRSS(50, 300), "application/rss+xml; charset=utf-8")
}

func benchParse(b *testing.B, name string, body []byte, contentType string) {
	b.Run(name, func(b *testing.B) {
		doc, err := Parse(body, contentType, "https://news.example/feed", fetchedAt)
		if err != nil {
			b.Fatal(err)
		}
		items := len(doc.Items)
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(body, contentType, "https://news.example/feed", fetchedAt); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
	})
}

// largeRSS builds an RSS 2.0 document of n items with words-word HTML
// bodies, dates, categories and media: what a full-text news feed holds.
func largeRSS(n, words int) []byte {
	vocab := strings.Fields("government minister said on Monday that the new budget would raise spending " +
		"on hospitals schools and roads while opposition leaders warned of higher taxes for families " +
		"in the capital police reported protests near parliament as talks continued late into the night")
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://news.example/</link><description>Top stories</description><language>en-gb</language><ttl>5</ttl>
`)
	for i := range n {
		var body strings.Builder
		for w := range words {
			if w%40 == 0 {
				if w > 0 {
					body.WriteString("</p>")
				}
				body.WriteString("<p>")
			}
			body.WriteString(vocab[(i*7+w*3)%len(vocab)])
			body.WriteByte(' ')
		}
		body.WriteString("</p>")
		fmt.Fprintf(&sb, `<item><title>Story %d: minister defends budget &amp; tax plan</title>
<link>https://news.example/world/2024/05/14/story-%d?utm_source=rss</link>
<guid isPermaLink="false">https://news.example/id/%d</guid>
<pubDate>Tue, 14 May 2024 %02d:%02d:00 +0100</pubDate>
<dc:creator>Staff Reporter</dc:creator><category>World</category><category>Politics</category>
<description>Opening paragraph of story %d, with &lt;b&gt;markup&lt;/b&gt;.</description>
<content:encoded><![CDATA[%s]]></content:encoded>
<media:content url="https://img.news.example/%d.jpg" medium="image" width="1024" height="576"/>
</item>
`, i, i, i, i%24, i%60, i, body.String(), i)
	}
	sb.WriteString("</channel></rss>\n")
	return []byte(sb.String())
}

// BenchmarkCutEntries measures the scan ParseAtMost adds to every parse of
// an RSS or Atom document: on a feed under the limit it cuts nothing.
func BenchmarkCutEntries(b *testing.B) {
	for _, c := range []struct {
		name string
		body []byte
	}{{"rss-50-items-full-text", largeRSS(50, 300)}, {"rss-100000-tiny-items", archiveRSS(100_000)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				cutEntries(c.body, 1000)
			}
		})
	}
}

// BenchmarkParseAtMost measures what the poller pays for one fetched body
// under poller.max_items 500 — ParseAtMost and Limit — on documents far
// over the limit and on an ordinary feed under it.
//
//	go test -run '^$' -bench ParseAtMost -benchmem ./sources/feed/
func BenchmarkParseAtMost(b *testing.B) {
	const max = 500
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"rss-100000-undated", archiveRSS(100_000)},
		{"rss-100000-oldest-first", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>A</title>` + datedItems(100_000, false) + `</channel></rss>`)},
		{"json-100000-oldest-first", archiveJSONFeed(100_000)},
		{"ninjs-100000-oldest-first", archiveNinjs(100_000)},
		{"ninjs-50", archiveNinjs(50)},
		{"rss-50-items-full-text", largeRSS(50, 300)},
		{"json-50", archiveJSONFeed(50)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				doc, err := ParseAtMost(c.body, "", "https://archive.example/feed", fetchedAt, max)
				if err != nil {
					b.Fatal(err)
				}
				doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
			}
		})
	}
}

// archiveJSONFeed is a JSON Feed of n dated items, oldest first.
func archiveJSONFeed(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://json.example/","items":[`)
	for i := range n {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `{"id":"j%d","url":"https://json.example/%d","title":"Story %d","content_text":"Text of story %d.","date_published":"%s"}`,
			i, i, i, i, fetchedAt.Add(time.Duration(i-n)*time.Minute).Format(time.RFC3339))
	}
	sb.WriteString("]}")
	return []byte(sb.String())
}

// archiveNinjs is a wire's ninjs list of n dated objects, oldest first.
func archiveNinjs(n int) []byte {
	var sb strings.Builder
	sb.WriteString("[")
	for i := range n {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `{"uri":"urn:n:%d","type":"text","versionCreated":"%s","headlines":[{"value":"Story %d"}]}`,
			i, fetchedAt.Add(time.Duration(i-n)*time.Minute).Format(time.RFC3339), i)
	}
	sb.WriteString("]")
	return []byte(sb.String())
}
