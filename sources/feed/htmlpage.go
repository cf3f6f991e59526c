package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// maxPageScan bounds how much of a body that is no feed is read to explain
// it: a page's <head>, where it announces its feeds, comes first.
const maxPageScan = 64 << 10

// notAFeed is the error for a body no parser recognised. The usual cause
// is a site's page configured instead of its feed, so for an HTML page the
// error says so and names the feeds the page announces (<link
// rel="alternate" type="application/rss+xml" href="…">): the URL to
// configure instead, resolved against base. It wraps ErrNotAFeed, and
// names no document: its caller does (see decode).
func notAFeed(body []byte, base string) error {
	page, feeds := scanPage(body, base)
	switch {
	case page == opmlList:
		return fmt.Errorf("%w: it is an OPML list of feeds; add them with wirestream feeds import", ErrNotAFeed)
	case page != htmlPage:
		return ErrNotAFeed
	case len(feeds) == 0:
		return fmt.Errorf("%w: it is an HTML page, and it announces no feed", ErrNotAFeed)
	}
	return fmt.Errorf("%w: it is an HTML page; the feed it announces is %s", ErrNotAFeed, strings.Join(feeds, " "))
}

// pageKind is what a body that is no feed turned out to be.
type pageKind int

const (
	unknownPage pageKind = iota
	htmlPage             // an HTML page
	opmlList             // an OPML list of feeds (a reader's export)
)

// scanPage tells an HTML page or an OPML list by its first element (an
// OPML file also has a <head> and a <title>, as may broken XML), and for a
// page lists the feed URLs its <link rel="alternate"> elements announce,
// resolved against base when base is an http(s) URL, at most four.
func scanPage(body []byte, base string) (page pageKind, feeds []string) {
	if len(body) > maxPageScan {
		body = body[:maxPageScan]
	}
	baseURL, err := url.Parse(base)
	if err != nil || (baseURL.Scheme != "http" && baseURL.Scheme != "https") {
		baseURL = nil
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for len(feeds) < 4 {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, hasAttr := z.TagName()
		if page == unknownPage {
			switch string(tag) {
			case "html", "head", "body", "title", "meta", "link":
				page = htmlPage
			case "opml":
				return opmlList, nil
			default:
				return unknownPage, nil // some other document: XML that is no feed
			}
		}
		if string(tag) == "link" {
			if href := feedLink(z, hasAttr); href != "" {
				feeds = append(feeds, resolve(baseURL, href))
			}
		}
	}
	return page, feeds
}

// feedLink is the href of a <link rel="alternate"> whose type is a feed's,
// "" for any other link.
func feedLink(z *html.Tokenizer, more bool) string {
	var rel, typ, href string
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "rel":
			rel = strings.ToLower(string(v))
		case "type":
			typ = strings.ToLower(strings.TrimSpace(string(v)))
		case "href":
			href = strings.TrimSpace(string(v))
		}
	}
	if href == "" || !slices.Contains(strings.Fields(rel), "alternate") {
		return ""
	}
	switch typ {
	// not application/json: WordPress pages announce their REST API with it
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return href
	}
	return ""
}
