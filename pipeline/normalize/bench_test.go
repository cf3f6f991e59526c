package normalize

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// benchItem is a realistic ~5 KB content:encoded item: paragraphs with
// links and entities, a figure, a share block and a WordPress footer.
func benchItem() record.Item {
	var b strings.Builder
	b.WriteString(`<p>LONDON, March 5 (Reuters) - Oil prices steadied on Tuesday after OPEC+ agreed to extend voluntary output cuts of 2.2 million barrels per day into the second quarter, offsetting worries about demand in China.</p>`)
	b.WriteString(`<figure><img src="https://cdn.example.com/img/oil.jpg?w=1200&amp;q=80" alt="Oil rig" width="1200"><figcaption>An oil rig. Photograph: Jane Doe/Reuters</figcaption></figure>`)
	for i := range 12 {
		b.WriteString(`<p>Brent crude futures rose 12 cents to $82.92 a barrel by 0930 GMT, while U.S. West Texas Intermediate crude was up 9 cents at $78.83 &ndash; analysts at <a href="https://bank.example.com/research?utm_source=x">a large bank</a> said the market had &ldquo;largely priced in&rdquo; the extension. `)
		b.WriteString(strings.Repeat("Traders watched inventories closely. ", i%3+1))
		b.WriteString(`</p>`)
	}
	b.WriteString(`<p>(Reporting by Alex Lawler; Editing by Susan Fenton)</p><div class="share"><h3>Share this:</h3><ul><li>Twitter</li><li>Facebook</li></ul></div>`)
	b.WriteString(`<p>The post <a href="https://news.example.com/oil/">Oil steadies</a> appeared first on <a href="https://news.example.com">Example News</a>.</p>`)
	return record.Item{
		Feed:         record.FeedRef{URL: "https://news.example.com/feed/", Title: "Example News"},
		GUID:         "https://news.example.com/?p=884213",
		Link:         "https://news.example.com/business/2024/03/05/oil-prices/?utm_source=rss&utm_medium=rss",
		Title:        "Oil steadies after OPEC+ extends output cuts &#8211; Example News",
		Description:  "Oil prices steadied on Tuesday after OPEC+ extended output cuts [&#8230;]",
		Content:      b.String(),
		Authors:      []string{"newsdesk@example.com (Reuters)"},
		Categories:   []string{"Business", "Energy", "business"},
		Media:        []record.Media{{URL: "https://cdn.example.com/img/oil.jpg", Medium: "image"}},
		PublishedRaw: "Tue, 05 Mar 2024 10:02:11 +0000",
		FetchedAt:    time.Date(2024, 3, 5, 10, 10, 0, 0, time.UTC),
	}
}

func BenchmarkNormalize(b *testing.B) {
	it := benchItem()
	b.SetBytes(int64(len(it.Content) + len(it.Description) + len(it.Title)))
	benchNormalize(b, it)
}

// BenchmarkNormalizeHeadline is BenchmarkNormalize over the item's
// headline alone (no description, no content), as uci-news' items and
// the library ceiling's headline file come: the title is then the
// fingerprint's text too.
func BenchmarkNormalizeHeadline(b *testing.B) {
	it := benchItem()
	it.Description, it.Content = "", ""
	benchNormalize(b, it)
}

// BenchmarkNormalizeBareHeadline is BenchmarkNormalizeHeadline over a
// headline without a publisher's suffix, as most of uci-news' are: the
// title key is then the fingerprint text, and storyTexts folds it once.
func BenchmarkNormalizeBareHeadline(b *testing.B) {
	it := benchItem()
	it.Description, it.Content = "", ""
	it.Title = "Oil steadies after OPEC+ extends output cuts"
	benchNormalize(b, it)
}

// benchNormalize normalizes it once an op, reporting allocations and CPU.
func benchNormalize(b *testing.B, it record.Item) {
	n := New(DefaultConfig(), nil)
	now := time.Date(2024, 3, 5, 10, 10, 1, 0, time.UTC)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := n.Normalize(it, now); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// reportCPU adds cpu-ns/op: process CPU time (GC included) per op.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	if d := processCPU() - cpu0; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkCanonicalURL(b *testing.B) {
	b.ReportAllocs()
	cpu0 := processCPU()
	defer func() { reportCPU(b, cpu0) }()
	for b.Loop() {
		if _, err := CanonicalURL("https://www.Example.com:443/news/2024/03/05/story/?utm_source=rss&id=7&fbclid=abc#top"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFingerprintText(b *testing.B) {
	s, err := New(DefaultConfig(), nil).Normalize(benchItem(), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(s.Body)))
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		FingerprintText(s)
	}
	reportCPU(b, cpu0)
}

// BenchmarkResolveDate resolves the date spellings feeds write (RFC 822,
// ISO 8601, German, French, offsets), one per op.
func BenchmarkResolveDate(b *testing.B) {
	raws := []string{"Tue, 05 Mar 2024 10:02:11 +0000", "2024-03-05T10:02:11Z", "2024-03-05T10:02:11.123+01:00",
		"Tue, 05 Mar 2024 11:43:27 EST", "Di., 5. März 2024 10:15", "le 1er mars 2024 à 10h30", "Mon, 4 Mar 2024 10:00 GMT+2"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if r := resolveDate(raws[i%len(raws)], nil); !r.ok {
			b.Fatalf("%q did not resolve", raws[i%len(raws)])
		}
		i++
	}
}

// BenchmarkStripVolatileRealArticles strips volatile fragments from the
// 220 real full-text articles of the shared data, all of them per op.
func BenchmarkStripVolatileRealArticles(b *testing.B) {
	articles := shareddata.WikiRef(b)
	var n int64
	for _, a := range articles {
		n += int64(len(a.Text))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, a := range articles {
			stripVolatile(a.Text)
		}
	}
}

// BenchmarkNormalizeReal normalizes the library-ceiling inputs' items:
// WikiRef220's full-text articles (escaped <p> paragraphs, as
// content:encoded) and uci-news' headlines, all of them per op, with the
// dedupe fingerprint as the pipeline asks for it. cpu-ns/story is the
// process's CPU time per item.
//
//	go test -run '^$' -bench NormalizeReal -benchtime 20x ./pipeline/normalize/
func BenchmarkNormalizeReal(b *testing.B) {
	for _, c := range []struct {
		name string
		docs func(testing.TB) []datasets.Labelled
	}{{"articles", shareddata.WikiRef}, {"headlines", shareddata.UCI}} {
		b.Run(c.name, func(b *testing.B) {
			docs := c.docs(b)
			n := New(DefaultConfig(), nil)
			now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				for _, d := range docs {
					if _, _, err := n.NormalizeText(d.Item, now); err != nil {
						b.Fatal(err)
					}
				}
			}
			if d := processCPU() - cpu0; d > 0 {
				b.ReportMetric(float64(d.Nanoseconds())/float64(b.N*len(docs)), "cpu-ns/story")
			}
		})
	}
}

// BenchmarkToLineTitle is ToLine over a plain headline, as most titles,
// names and captions are: the one-pass check that it is already clean
// against each of ToText's steps over it.
func BenchmarkToLineTitle(b *testing.B) {
	title := "Fed official says weak data caused by weather, should not slow taper"
	cpu0 := processCPU()
	for b.Loop() {
		if ToLine(title) != title {
			b.Fatal("a plain title changed")
		}
	}
	reportCPU(b, cpu0)
}
