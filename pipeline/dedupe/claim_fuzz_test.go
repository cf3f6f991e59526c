package dedupe

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzAtHome reads a feed URL and a link as any feed may give them:
// atHome never panics, a URL with a host is its own site, and hostOf
// finds the host net/url finds in an http(s) URL it parses (lowercased,
// no port).
func FuzzAtHome(f *testing.F) {
	for _, u := range []string{
		"https://feeds.bbci.co.uk/news/rss.xml", "https://www.bbc.co.uk/news/world-1", "http://user:pw@Example.COM:8080/a?b#c",
		"https://[::1]:443/x", "https://127.0.0.1/feed", "https://localhost/", "https://co.uk/", "mailto:x@y", "https:///nohost", "",
	} {
		f.Add(u, "https://www.bbc.co.uk/news/x")
	}
	f.Fuzz(func(t *testing.T, feed, link string) {
		_ = atHome(feed, link)
		h := hostOf(feed)
		if h != "" && !atHome(feed, feed) {
			t.Errorf("%q (host %q) is not its own site", feed, h)
		}
		if !strings.HasPrefix(feed, "http://") && !strings.HasPrefix(feed, "https://") {
			return // feeds and canonical links are http(s)
		}
		p, err := url.Parse(feed)
		if err != nil || strings.Contains(feed, "%") {
			return
		}
		if want := strings.TrimSuffix(strings.ToLower(p.Hostname()), "."); !strings.HasPrefix(p.Host, "[") && h != want {
			t.Errorf("hostOf(%q) = %q, net/url's host %q", feed, h, want)
		}
	})
}
