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
			"not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is https://example.org/world/rss.xml https://cdn.example.org/all.atom",
		},
		{
			"a page announcing none",
			string(readFixture(t, "not-a-feed.html")),
			"not an RSS, Atom, JSON feed or ninjs document: it is an HTML page, and it announces no feed",
		},
		{
			"a WordPress page: its REST API link (application/json) is no feed",
			`<html><head><link rel="alternate" type="application/json" href="https://example.org/wp-json/wp/v2/pages/7">
<link rel="alternate" type="application/rss+xml" href="https://example.org/feed/"></head></html>`,
			"not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is https://example.org/feed/",
		},
		{
			"an OPML export has a head and a title but is no page",
			`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>My feeds</title></head>
<body><outline text="World" xmlUrl="https://example.org/world.rss"/></body></opml>`,
			"not an RSS, Atom, JSON feed or ninjs document: it is an OPML list of feeds; add them with wirestream feeds import",
		},
		{
			"other XML with a head and a title is not called a page",
			`<?xml version="1.0"?><report><head><title>Q3</title></head></report>`,
			`not an RSS, Atom, JSON feed or ninjs document: it is XML whose root element is <report>, and its text begins "Q3"`,
		},
		{
			"plain text is not called a page",
			"Service Unavailable. Try again later.",
			`not an RSS, Atom, JSON feed or ninjs document: it is text beginning "Service Unavailable. Try again later."`,
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
