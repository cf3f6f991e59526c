package feed

import (
	"net"
	"net/url"
	"strings"
)

// RequestKey spells a feed URL the way its request goes out: scheme and
// host in lower case, no default port, no fragment (never sent), "/" for
// an empty path. Two feeds with one key would be polled twice, each with
// its own schedule and feed_status, for one document. The path and query
// stay as written: a server may tell "/rss" from "/rss/".
//
// Every place that asks "is this feed already listed?" compares keys: the
// config's feeds and OPML files (validate, run, feeds import) and the feed
// list in Kafka (feeds push, add, remove), so a spelling one of them
// refuses as a repeat is a repeat for all of them.
func RequestKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	return u.String()
}

// loopbackNames are one machine's names for itself that a feed URL may use.
var loopbackNames = map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}

// LoopbackAliases returns the URLs of urls that name, under another of
// the machine's names for itself (localhost, 127.0.0.1, [::1]), a feed an
// earlier URL names: each as {url, the earlier url}. They are not one
// request (the Host header differs, and RequestKey keeps them apart), but
// they are almost always one server's document polled twice, each with
// its own schedule and feed_status, so validate, `feeds add` and a
// fetcher say so rather than refuse. Scheme, port, path and query must
// match, as in RequestKey.
func LoopbackAliases(urls []string) [][2]string {
	var out [][2]string
	first := map[string]string{} // the URL's key with its host as 127.0.0.1 → the first URL so
	for _, raw := range urls {
		key := RequestKey(raw)
		u, err := url.Parse(key)
		if err != nil || !loopbackNames[u.Hostname()] {
			continue
		}
		if p := u.Port(); p != "" {
			u.Host = net.JoinHostPort("127.0.0.1", p)
		} else {
			u.Host = "127.0.0.1"
		}
		if p, ok := first[u.String()]; !ok {
			first[u.String()] = raw
		} else if RequestKey(p) != key {
			out = append(out, [2]string{raw, p})
		}
	}
	return out
}
