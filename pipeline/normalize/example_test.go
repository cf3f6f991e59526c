package normalize_test

import (
	"fmt"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

func ExampleCanonicalURL() {
	u, _ := normalize.CanonicalURL("HTTPS://WWW.Example.com:443/news/./story?utm_source=rss&page=2&id=7#comments")
	fmt.Println(u)
	// Output: https://www.example.com/news/story?id=7&page=2
}

func ExampleStoryID() {
	// A link gives the same id over http and https; a bare GUID is
	// namespaced by its feed.
	fmt.Println(normalize.StoryID("https://example.com/a", "", "") == normalize.StoryID("http://example.com/a", "", ""))
	fmt.Println(normalize.StoryID("", "12345", "https://a.example/rss") == normalize.StoryID("", "12345", "https://b.example/rss"))
	// Output:
	// true
	// false
}

func ExampleNormalizer_Normalize() {
	n := normalize.New(normalize.DefaultConfig(), nil)
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	s, err := n.Normalize(record.Item{
		Feed:         record.FeedRef{URL: "https://news.example.com/rss", Title: "Example News"},
		Link:         "https://news.example.com/oil?utm_medium=rss",
		Title:        "Oil steadies &amp;amp; gold slips - Example News",
		Content:      "<p>LONDON (Reuters) - Oil steadied on Tuesday.</p><script>track()</script><p>Read more…</p>",
		PublishedRaw: "Tue, 05 Mar 2024 06:00:00 EST",
		FetchedAt:    now,
	}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.CanonicalURL)
	fmt.Println(s.Title)
	fmt.Printf("%q\n", s.Body)
	fmt.Println(normalize.FingerprintText(s))
	fmt.Println(normalize.TitleKey(s.Title))
	fmt.Println(s.Published, s.DateFlags)
	// Output:
	// https://news.example.com/oil
	// Oil steadies & gold slips - Example News
	// "LONDON (Reuters) - Oil steadied on Tuesday.\n\nRead more…"
	// oil steadied on tuesday
	// oil steadies gold slips
	// 2024-03-05 11:00:00 +0000 UTC []
}
