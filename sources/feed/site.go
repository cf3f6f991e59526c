package feed

import (
	"net/url"
	"strings"

	"github.com/wirestream/wirestream/internal/hostname"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A site's feed is not always on the site: feeds.feedburner.com, a CDN or
// a feed host serves many sites' feeds. Dedupe counts a feed as its
// links' site when the two share a registrable domain (hostile26's rule),
// which such a feed never does; so the document may declare its site
// instead — the channel link (RSS), the alternate link (Atom), the
// home_page_url (JSON Feed) — and the declaration is believed only when
// the feed's own items bear it out: at least minSiteItems of them link
// somewhere, and every one that does links to the declared site's
// registrable domain. A feed that writes another site's link in its
// channel while listing anything else (its own pages, a third site's) is
// no one's site; what a feed listing nothing but one site's links and
// declaring that site could still do is bounded in dedupe (claim.go: a
// declared site never takes an id from the URL's own host, nor from an
// earlier declared site).

// minSiteItems is the fewest items with links a declaration needs: one
// link agreeing with the channel is no evidence.
const minSiteItems = 2

// declaredSite returns the site the document declares (its channel link)
// when it is on another registrable domain than feedURL and every item
// with a link is on it (at least minSiteItems); "" otherwise.
func declaredSite(link, feedURL string, items []record.Item) string {
	if len(link) > maxStandaloneURL {
		return ""
	}
	site := siteDomain(link)
	if site == "" || site == siteDomain(feedURL) {
		return ""
	}
	n := 0
	for _, it := range items {
		d := siteDomain(it.Link)
		if d == "" {
			continue
		}
		if d != site {
			return ""
		}
		n++
	}
	if n < minSiteItems {
		return ""
	}
	return link
}

// siteDomain is an http(s) URL's registrable domain (its host when it has
// none, as an IP address or localhost); "" for anything else. It runs
// twice per parsed document, and once per item link when the channel
// declares another site: hostname.RegistrableDomain remembers the answer.
func siteDomain(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	if h == "" {
		return ""
	}
	if d, ok := hostname.RegistrableDomain(h); ok {
		return d
	}
	return h
}
