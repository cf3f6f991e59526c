package feed

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestParseFindsWebSubLinksInTheDocument(t *testing.T) {
	cases := []struct {
		name, body string
		want       Links
	}{
		{"an RSS channel with atom:link hub and self",
			`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
			 <atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/>
			 <atom:link rel="self" type="application/rss+xml" href="https://news.example.com/rss"/>
			 <item><title>a</title><link>https://news.example.com/a</link></item></channel></rss>`,
			Links{Hubs: []string{"https://pubsubhubbub.appspot.com/"}, Self: "https://news.example.com/rss"}},
		{"FeedBurner's atom10 prefix and two hubs",
			`<rss version="2.0" xmlns:atom10="http://www.w3.org/2005/Atom"><channel><title>T</title>
			 <atom10:link rel="hub" href="https://hub-a.example/"/><atom10:link rel="hub" href="https://hub-b.example/"/>
			 </channel></rss>`,
			Links{Hubs: []string{"https://hub-a.example/", "https://hub-b.example/"}}},
		{"an Atom feed with a relative hub",
			`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link rel="hub" href="/hub"/><link rel="self" href="https://news.example.com/atom"/></feed>`,
			Links{Hubs: []string{"https://news.example.com/hub"}, Self: "https://news.example.com/atom"}},
		{"a JSON Feed with a WebSub hub and an rssCloud one",
			`{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"https://news.example.com/feed.json",
			  "hubs":[{"type":"rssCloud","url":"https://cloud.example/"},{"type":"WebSub","url":"https://hub.example/"}],"items":[]}`,
			Links{Hubs: []string{"https://hub.example/"}, Self: "https://news.example.com/feed.json"}},
		{"a hub that is not http is ignored",
			`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link rel="hub" href="javascript:alert(1)"/></feed>`,
			Links{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse([]byte(c.body), "", "https://news.example.com/feed", fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Links, c.want) {
				t.Errorf("links %+v, want %+v", doc.Links, c.want)
			}
		})
	}
}

func TestParseLinkHeader(t *testing.T) {
	base, _ := url.Parse("https://news.example.com/feeds/world")
	cases := []struct {
		name   string
		values []string
		want   Links
	}{
		{"hub and self in one header, as the spec suggests",
			[]string{`<https://hub.example/>; rel="hub", <https://news.example.com/world.xml>; rel="self"`},
			Links{Hubs: []string{"https://hub.example/"}, Self: "https://news.example.com/world.xml"}},
		{"separate headers, unquoted rel, upper case",
			[]string{`<https://hub.example/>; rel=HUB`, `</world.xml>;rel=self`},
			Links{Hubs: []string{"https://hub.example/"}, Self: "https://news.example.com/world.xml"}},
		{"a rel with several values and other parameters",
			[]string{`<https://hub.example/>; type="text/html"; title="a, b; c"; rel="alternate hub"`},
			Links{Hubs: []string{"https://hub.example/"}}},
		{"links that are not hub or self",
			[]string{`<https://news.example.com/page/2>; rel="next", <https://news.example.com/>; rel="canonical"`},
			Links{}},
		{"garbage around a good link",
			[]string{`nonsense, <https://hub.example/>; rel="hub", <unterminated`},
			Links{Hubs: []string{"https://hub.example/"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseLinkHeader(c.values, base); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func FuzzParseLinkHeader(f *testing.F) {
	f.Add(`<https://hub.example/>; rel="hub", <https://news.example.com/world.xml>; rel="self"`)
	f.Add(`<a>;;;rel=";\"x, <b>; rel=hub`)
	f.Add(`<<>>,,;rel="self`)
	base, _ := url.Parse("https://news.example.com/feed")
	f.Fuzz(func(t *testing.T, header string) {
		l := parseLinkHeader([]string{header}, base)
		for _, u := range append(l.Hubs, l.Self) {
			if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Fatalf("link %q is not http(s)", u)
			}
		}
		if len(l.Hubs) > maxLinkHubs {
			t.Fatalf("%d hubs kept", len(l.Hubs))
		}
	})
}
