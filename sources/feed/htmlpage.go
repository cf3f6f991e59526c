package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/wirestream/wirestream/pipeline/record"
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
//
// Any other body says what it is when it can: XML names its root element
// and how its text begins (a storage service's <Error> answering with a
// 200, a sitemap configured for a feed), text how it begins.
func notAFeed(body []byte, base string) error {
	page, feeds := scanPage(body, base)
	switch {
	case page == opmlList:
		return fmt.Errorf("%w: it is an OPML list of feeds; add them with wirestream feeds import", ErrNotAFeed)
	case page == unknownPage:
		if what := otherDocument(body); what != "" {
			return fmt.Errorf("%w: %s", ErrNotAFeed, what)
		}
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

// maxTextShown bounds how much of a body's text an error quotes.
const maxTextShown = 100

// otherDocument says what a body that is neither a feed nor a page nor an
// OPML list is: XML by its root element, with how its text begins, or
// text by how it begins; "" when it is neither (nothing but markup
// the tokenizer cannot read). The text is the publisher's: white space
// runs become one space, control characters are dropped, and it is cut.
func otherDocument(body []byte) string {
	if len(body) > maxPageScan {
		body = body[:maxPageScan]
	}
	var root string
	var text strings.Builder
	startsWithTag := len(body) > 0 && body[0] == '<'
	z := html.NewTokenizer(bytes.NewReader(body))
	for text.Len() < maxTextShown {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if root == "" && text.Len() == 0 {
				root = rawTagName(z.Raw())
			}
		case html.TextToken:
			if root == "" && text.Len() == 0 && startsWithTag {
				continue // what is before the root element: an XML declaration's text, white space
			}
			for _, w := range strings.Fields(string(z.Text())) {
				if text.Len() > 0 {
					text.WriteByte(' ')
				}
				text.WriteString(w)
			}
		}
	}
	quoted := printable(text.String(), maxTextShown)
	switch {
	case root != "" && quoted != "":
		return fmt.Sprintf("it is XML whose root element is <%s>, and its text begins %q", root, quoted)
	case root != "":
		return fmt.Sprintf("it is XML whose root element is <%s>, with no text", root)
	case quoted != "":
		return fmt.Sprintf("it is text beginning %q", quoted)
	}
	return ""
}

// rawTagName is the element name a start tag's raw bytes begin with, as
// the document spells it (the tokenizer's TagName is lower-cased), cut.
func rawTagName(raw []byte) string {
	name := bytes.TrimPrefix(raw, []byte("<"))
	if n := bytes.IndexAny(name, " \t\r\n/>"); n >= 0 {
		name = name[:n]
	}
	return printable(string(name), 60)
}

// printable is the publisher's text s as an error may quote it: valid
// UTF-8, without control characters (a terminal's escape sequences), cut
// at n bytes.
func printable(s string, n int) string {
	return record.Truncate(dropControls(strings.ToValidUTF8(s, "\uFFFD")), n)
}
