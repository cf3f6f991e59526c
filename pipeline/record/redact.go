package record

import (
	"net/url"
	"strings"
)

// RedactURL is a URL as messages and logs may show it: a password in its
// userinfo replaced by "xxxxx", as url.URL.Redacted (and so the client's
// own url.Error) does. It is also the name a feed's records give it
// (feed.url, feed_status's feed_url and key: sources/feed names a feed
// so); only the feed list and the fetchers' poll state keep the URL as
// written, which the feed is fetched from. A URL with no password, or
// one that does not parse, is returned as it is.
func RedactURL(u string) string {
	if !strings.Contains(u, "@") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); !ok {
		return u
	}
	return p.Redacted()
}

// RedactURLs is RedactURL of each of urls, for a message that lists them.
func RedactURLs(urls []string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = RedactURL(u)
	}
	return out
}
