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
