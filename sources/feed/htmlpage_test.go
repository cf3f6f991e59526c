package feed

import (
	"errors"
	"testing"
)

// A site's page configured instead of its feed is the usual "not a feed":
// the error must say it is a page and name the feed the page announces,
// which is what the user should configure.
func TestParseOfAPageNamesTheFeedItAnnounces(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{
			"a page announcing its feeds, relative and absolute",
			`<!doctype html><html><head><title>News</title>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" type="application/rss+xml" title="World" href="/world/rss.xml">
<link rel="Alternate" type="application/atom+xml" href="https://cdn.example.org/all.atom">
</head><body><p>Today's news</p></body></html>`,
			"parse https://example.org/news/: not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is https://example.org/world/rss.xml https://cdn.example.org/all.atom",
		},
		{
			"a page announcing none",
			string(readFixture(t, "not-a-feed.html")),
			"parse https://example.org/news/: not an RSS, Atom, JSON feed or ninjs document: it is an HTML page, and it announces no feed",
		},
		{
			"plain text is not called a page",
			"Service Unavailable. Try again later.",
			"parse https://example.org/news/: not an RSS, Atom, JSON feed or ninjs document",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.body), "text/html", "https://example.org/news/", fetchedAt)
			if err == nil || err.Error() != c.want {
				t.Fatalf("Parse error =\n  %v\nwant\n  %s", err, c.want)
			}
			if !errors.Is(err, ErrNotAFeed) {
				t.Errorf("%v does not wrap ErrNotAFeed", err)
			}
		})
	}
}
