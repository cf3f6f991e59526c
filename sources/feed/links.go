package feed

import (
	"net/url"
	"slices"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// Links are what WebSub discovery finds for a feed: the hubs that push
// it, and its self URL, the topic to subscribe to (it may differ from the
// URL polled).
type Links struct {
	Hubs []string `json:"hubs,omitempty"`
	Self string   `json:"self,omitempty"`
}

// maxLinkHubs bounds the hubs kept from one document or header, and
// maxLinkURL the length of a hub or self URL kept: they are saved in the
// feed's state after every poll, and a header or document may hold
// megabytes.
const (
	maxLinkHubs = 4
	maxLinkURL  = 4 << 10
)

func (l *Links) add(rel, href string, base *url.URL) {
	abs := resolve(base, href)
	if len(abs) > maxLinkURL {
		return
	}
	u, err := url.Parse(abs)
	if abs == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return
	}
	for _, r := range strings.Fields(strings.ToLower(rel)) {
		switch {
		case r == "hub" && !slices.Contains(l.Hubs, abs) && len(l.Hubs) < maxLinkHubs:
			l.Hubs = append(l.Hubs, abs)
		case r == "self" && l.Self == "":
			l.Self = abs
		}
	}
}

func (l Links) empty() bool { return len(l.Hubs) == 0 && l.Self == "" }

// docLinks finds hub and self links inside a feed: atom:link elements of
// an Atom feed or of an RSS channel (any prefix bound to the Atom
// namespace), and a JSON Feed's "hubs" of type WebSub and its feed_url.
func docLinks(f *gofeed.Feed, hubs []jsonFeedHub, base *url.URL) Links {
	var l Links
	switch of := f.OriginalFeed().(type) {
	case *atom.Feed:
		for _, lk := range of.Links {
			if lk != nil {
				l.add(lk.Rel, lk.Href, base)
			}
		}
	case *rss.Feed:
		for _, e := range of.Extensions["atom"]["link"] {
			l.add(e.Attrs["rel"], e.Attrs["href"], base)
		}
	default:
		if f.FeedType == "json" {
			for _, h := range hubs {
				if strings.EqualFold(strings.TrimSpace(h.Type), "websub") {
					l.add("hub", h.URL, base)
				}
			}
			l.add("self", f.FeedLink, base)
		}
	}
	return l
}

// parseLinkHeader reads the hub and self links of HTTP Link headers
// (RFC 8288): `<https://hub.example/>; rel="hub", <…>; rel=self`. Relative
// targets resolve against base. Malformed parts are skipped, never fatal:
// the header comes from outside.
func parseLinkHeader(values []string, base *url.URL) Links {
	var l Links
	for _, v := range values {
		for len(v) > 0 {
			v = strings.TrimLeft(v, " \t,")
			if !strings.HasPrefix(v, "<") {
				// Not a link-value: skip to the next comma outside quotes.
				v = skipValue(v)
				continue
			}
			end := strings.IndexByte(v, '>')
			if end < 0 {
				break
			}
			target := v[1:end]
			v = v[end+1:]
			var rel string
			v, rel = linkParams(v)
			l.add(rel, target, base)
		}
	}
	return l
}

// linkParams reads `; name=value` pairs up to the comma that ends a
// link-value, returning the rest and the rel parameter.
func linkParams(v string) (rest, rel string) {
	for {
		v = strings.TrimLeft(v, " \t")
		if !strings.HasPrefix(v, ";") {
			return v, rel
		}
		v = strings.TrimLeft(v[1:], " \t")
		i := strings.IndexAny(v, "=;,")
		if i < 0 {
			return "", rel
		}
		name := strings.ToLower(strings.TrimSpace(v[:i]))
		if v[i] != '=' {
			v = v[i:]
			continue
		}
		v = strings.TrimLeft(v[i+1:], " \t")
		var value string
		value, v = paramValue(v)
		if name == "rel" && rel == "" {
			rel = value
		}
	}
}

// paramValue reads a token or a quoted-string (with backslash escapes).
func paramValue(v string) (value, rest string) {
	if !strings.HasPrefix(v, `"`) {
		i := strings.IndexAny(v, ";,")
		if i < 0 {
			return strings.TrimSpace(v), ""
		}
		return strings.TrimSpace(v[:i]), v[i:]
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && i+1 < len(v):
			i++
			b.WriteByte(v[i])
		case c == '"':
			return b.String(), v[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// skipValue drops everything up to and including the next comma that is
// not inside a quoted string.
func skipValue(v string) string {
	quoted := false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				return v[i+1:]
			}
		}
	}
	return ""
}
