package dedupe

import (
	"strings"

	"github.com/wirestream/wirestream/internal/hostname"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A canonical URL, or a global GUID, names one story, but any feed can
// list it: a hostile or careless feed can list another site's links under
// text of its own before the site's feed does. The first item of a URL
// takes the URL's story id (normalize.StoryID), so without a rule a later
// item of the URL — the site's own story — would only be its copy. The
// rule: another feed's earlier item of the URL is the original only when
// the evidence says it is the same story:
//
//   - the URL's site published it (the feed's host and the URL's share a
//     registrable domain, as rss.nytimes.com and www.nytimes.com do): a
//     site's story in two of its feeds, a summary in one and the full text
//     in the other, is one story, and any other feed's item of its URL a
//     copy, whatever its text. A feed on another domain (a feed host, a
//     CDN, the BBC's feeds.bbci.co.uk for www.bbc.co.uk) is the site's
//     when it declares the site (record.FeedRef.Site: its channel link,
//     every item of the document on that site's domain): it takes a claim over as the site's own host does, but
//     records no home — a later feed on the URL's own host still takes
//     the id over from it — and an earlier declared site keeps the id
//     against a later one (the first feed to declare it wins; a hostile
//     feed declaring the site cannot displace the site's feed);
//   - or the texts agree: the same body, or near-identical (a wire story
//     republished under its URL, dedupe.threshold).
//
// Otherwise the earlier item was a claim, not the story. The URL's site
// takes it over: its item is a revision of the story id, now of its feed
// (the claim's text no longer the id's latest), and every later item of
// the URL from another feed is its copy. Any other feed whose item has
// text enough to compare (min_near_words) and shares next to none of the
// claim's (below relatedText) publishes a story of its own, under its copy
// id (CopyID); an item too short to tell, or whose text is related (a
// summary and the full text), stays a copy.
type claim int

const (
	claimCopy  claim = iota // the earlier item is the original: s is its copy
	claimTaken              // s's feed is the URL's site: s takes the story id over
	claimOwn                // s is a story of its own
)

// weigh decides what another story's claim id on the exact key s matched
// (its canonical URL when url, else its global GUID) makes of s.
func (t *Txn) weigh(s *record.Story, id string, k sketch, url bool) claim {
	d := t.d
	if url && s.CanonicalURL != "" && d.fromItsSite(id, s.CanonicalURL) {
		return claimCopy
	}
	sim, known := t.similarity(id, k)
	if known && sim >= d.nearAt {
		return claimCopy
	}
	if url && atHome(s.Feed.URL, s.CanonicalURL) {
		return claimTaken
	}
	if url && declaresHome(s) {
		if h, ok := d.alias(siteAlias(s.CanonicalURL)); !ok || h != id {
			return claimTaken
		}
	}
	if k.sig == nil || known && sim >= relatedText {
		return claimCopy
	}
	return claimOwn
}

// fromItsSite reports whether the URL's site published story id, which
// holds the URL: the story's home mark (seen.home), or, in a state logged
// before round 27, the home alias that stood for it (homeAlias).
func (d *Deduper) fromItsSite(id, canonicalURL string) bool {
	if e, ok := d.get(id); ok && !e.copy && e.home {
		return true
	}
	h, ok := d.alias(homeAlias(canonicalURL))
	return ok && h == id
}

// relatedText is the similarity at or above which two texts under one URL
// are taken for related — a summary of the story and its full text — when
// neither feed is the URL's site: below dedupe.threshold, but above what
// different articles share. On WikiRef220 (BENCHMARKS.md, round 26
// "hostile26") 167 of 217 leads of 40 words or more reach it against their
// article's full text (25 reach dedupe.threshold), and 22 of 6,790 pairs
// of different articles.
const relatedText = 0.05

// similarity estimates how alike s's text (sketched as k) and story id's
// are: 1 for the same body; known=false when there is nothing to compare
// (either text too short to sign, or id's signature past the window).
func (t *Txn) similarity(id string, k sketch) (sim float64, known bool) {
	d := t.d
	if k.hasBody {
		if b, ok := d.alias(bodyAlias(&k.bodyHash)); ok && b == id {
			return 1, true
		}
	}
	if k.sig == nil {
		return 0, false
	}
	return d.idx.similarityTo(hkey(id), k.sig, d.clock-int64(d.cfg.Window))
}

// atHome reports whether a feed is its link's site: their hosts share a
// registrable domain (the same host when either has none, as an IP
// address or localhost).
func atHome(feedURL, link string) bool {
	f, l := hostOf(feedURL), hostOf(link)
	if f == "" || l == "" {
		return false
	}
	if f == l {
		return true
	}
	fd, ok1 := hostname.RegistrableDomain(f)
	ld, ok2 := hostname.RegistrableDomain(l)
	return ok1 && ok2 && fd == ld
}

// declaresHome reports whether s's feed, on another domain than its URL,
// declares the URL's site its own (record.FeedRef.Site).
func declaresHome(s *record.Story) bool {
	return s.Feed.Site != "" && atHome(s.Feed.Site, s.CanonicalURL) && !atHome(s.Feed.URL, s.CanonicalURL)
}

// hostOf is a URL's host, lowercased, without user info or port; "" when
// it has none.
func hostOf(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	h := u[i+3:]
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	if j := strings.LastIndexByte(h, '@'); j >= 0 {
		h = h[j+1:]
	}
	if strings.HasPrefix(h, "[") { // an IPv6 literal
		if j := strings.IndexByte(h, ']'); j >= 0 {
			return strings.ToLower(h[:j+1])
		}
		return ""
	}
	if j := strings.LastIndexByte(h, ':'); j >= 0 {
		h = h[:j]
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}
