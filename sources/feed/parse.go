package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

// Document is one parsed feed document.
type Document struct {
	Format   string `json:"format"`  // rss, atom, json or ninjs
	Version  string `json:"version"` // e.g. 2.0, 1.0, 1.1
	Title    string `json:"title,omitempty"`
	Link     string `json:"link,omitempty"` // the site's home page, absolute
	Language string `json:"language,omitempty"`
	Charset  string `json:"charset"` // the charset the body was read in
	// Publisher hints: RSS <ttl>, and sy:updatePeriod / sy:updateFrequency
	// turned into an interval. Zero when absent.
	TTL          time.Duration `json:"ttl,omitempty"`
	UpdatePeriod time.Duration `json:"update_period,omitempty"`
	Items        []record.Item `json:"items"`
	// Rejected are entries of the document that did not become items,
	// each with why (see Rejected); sources publish them as dead letters,
	// so nothing is dropped silently.
	Rejected []Rejected `json:"rejected,omitempty"`
	// DuplicateGUIDs counts items whose GUID other items of the document,
	// with other links, carry too: a GUID that names several stories
	// identifies none, so they are identified by their links (and their
	// GUIDs left out). Repeats of one item are Rejected instead.
	DuplicateGUIDs int `json:"duplicate_guids,omitempty"`
	// Links are the WebSub hubs and self URL the document announces.
	Links
	// Skipped counts entries the format itself says are not stories to
	// publish (ninjs events, withheld or embargoed items, unreadable list
	// elements), by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	// NotRead counts the entries left unread after the first ones, when
	// parsing was told how many a caller keeps (ParseAtMost); Limit
	// reports them with the items it cuts.
	NotRead int `json:"not_read,omitempty"`
}

// errJSONEndsEarly is wrapped by the error of a JSON Feed whose JSON
// ends before its last value does (endsEarly).
var errJSONEndsEarly = errors.New("the JSON ends early")

// endsEarly reports whether a parse failed because the document ends
// unfinished — XML with elements still open, JSON with a value still
// open — rather than on something wrong inside it: the end of a body cut
// short looks so.
func endsEarly(err error) bool {
	var se *xml.SyntaxError
	return errors.Is(err, errJSONEndsEarly) || errors.As(err, &se) && se.Msg == "unexpected EOF"
}

// ErrNotAFeed is returned when the body is neither RSS, Atom, JSON Feed
// nor ninjs.
var ErrNotAFeed = errors.New("not an RSS, Atom, JSON feed or ninjs document")

// Parse turns one fetched feed document into items. It never fails on a
// broken date or a wrong charset; it fails only when no feed can be read.
// Items carry Feed.URL = feedURL; the poller adds the configured name and
// tags.
//
// The format is decided by content, never by Content-Type alone: a wire
// service's ninjs (one object or a list) is read by package ninjs, and
// RSS, Atom and JSON Feed by gofeed.
func Parse(body []byte, contentType string, feedURL string, fetchedAt time.Time) (Document, error) {
	return ParseAtMost(body, contentType, feedURL, fetchedAt, 0)
}

// ParseAtMost is Parse for a caller that keeps at most maxItems items
// (Limit, which keeps the newest): of an RSS, Atom or JSON Feed document,
// or a ninjs list, only the first and the last readAhead(maxItems)
// entries are built; those between are counted (Document.NotRead), so a
// document of 100,000 tiny items costs what 2,000 do. A feed lists its
// newest first or last, so Limit keeps the items of a whole parse, unless
// more than maxItems of the entries at one end repeat others (or, in
// ninjs, are events), or the document's newest items lie in its middle
// (dates in no order). maxItems <= 0 reads every entry.
func ParseAtMost(body []byte, contentType string, feedURL string, fetchedAt time.Time, maxItems int) (Document, error) {
	d, err := decode(body, contentType, feedURL, readAhead(maxItems))
	if err != nil {
		return Document{}, err
	}
	return d.document(feedURL, fetchedAt)
}

// readAhead is how many entries ParseAtMost builds at each end of a
// document for a caller that keeps max: twice as many, so that entries a
// document repeats (rejected by rejectRepeats before Limit counts) do not
// cost the items after them.
func readAhead(max int) int {
	if max <= 0 || max > math.MaxInt/2 {
		return 0 // no limit, or one no document reaches (2*max would wrap negative)
	}
	return 2 * max
}

// ParseStandalone is Parse for a document without a URL of its own (a
// file on disk). When the document names its site with an http(s)
// channel link, that link stands in for the feed URL: relative item links
// resolve against it, and the ids derived from it are the same on every
// machine, as a local path would not be. Otherwise fallbackURL does. The
// body is parsed once.
func ParseStandalone(body []byte, fallbackURL string, fetchedAt time.Time) (Document, error) {
	return ParseStandaloneAtMost(body, fallbackURL, fetchedAt, 0)
}

// ParseStandaloneAtMost is ParseStandalone for a caller that keeps at most
// maxItems items, bounded as ParseAtMost is: `wirestream process` applies
// poller.max_items to a feed file as the poller does to a fetched body,
// so it builds only the entries the poller would.
func ParseStandaloneAtMost(body []byte, fallbackURL string, fetchedAt time.Time, maxItems int) (Document, error) {
	d, err := decode(body, "", fallbackURL, readAhead(maxItems))
	if err != nil {
		return Document{}, err
	}
	feedURL := fallbackURL
	if d.feed != nil {
		base, _ := url.Parse(fallbackURL)
		link := resolve(base, d.feed.Link)
		if u, perr := url.Parse(link); perr == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(link) <= maxStandaloneURL {
			feedURL = link
		}
	}
	return d.document(feedURL, fetchedAt)
}

// maxStandaloneURL bounds a channel link taken as a file's feed URL: it
// becomes every story's feed.url and a namespace of ids.
const maxStandaloneURL = 2 << 10

// decoded is a body read in its charset: ninjs, or a feed gofeed parsed,
// with the JSON Feed items that are not items taken out.
type decoded struct {
	body    []byte // UTF-8
	charset string
	feed    *gofeed.Feed  // nil for ninjs
	hubs    []jsonFeedHub // a JSON Feed's, which gofeed does not read
	bad     []Rejected
	notRead int // entries between the first and the last keep, left out before they were built
	keep    int // entries to build at each end (ninjs is read in document); all when <= 0
}

// decode reads body in its charset and recognises its format by content;
// base resolves the feeds a page announces. A JSON Feed is decoded once,
// without the items gofeed would fail the whole document for
// (readJSONFeed). Its errors, and parseNinjs's, name no document: the
// caller says which one failed, once (the poller's fetchError, "parse
// URL: …"; the file source's "parse feed PATH"); each layer naming it
// read "fetch URL: parse: parse URL: …". Entries of a feed between the first keep and the
// last keep are left out before gofeed builds them (cutEntries), when
// keep > 0.
func decode(body []byte, contentType, base string, keep int) (decoded, error) {
	utf8Body, cs := toUTF8(body, contentType)
	// gofeed's detector reads the first 4 KiB: leading blank lines or a BOM
	// left by a CMS must not hide the root element.
	utf8Body = bytes.TrimLeft(utf8Body, " \t\r\n")
	d := decoded{body: utf8Body, charset: cs, keep: keep}
	if ninjs.Sniff(utf8Body) {
		return d, nil
	}
	if f, hubs, bad, notRead, ok := readJSONFeed(utf8Body, keep); ok {
		if len(f.Items) == 0 && len(bad) == 0 && notRead == 0 {
			if err := jsonObjectNoFeed(utf8Body); err != nil {
				return d, err
			}
		}
		d.feed, d.hubs, d.bad, d.notRead = f, hubs, bad, notRead
		return d, nil
	}
	if err := xmlTooCostly(d.body); err != nil {
		return d, err
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	p.RSSTranslator = newRSSTranslator()
	cut, notRead := cutEntries(d.body, keep)
	f, err := p.Parse(bytes.NewReader(cut))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			if what := rawBodyIs(body); what != "" {
				return d, fmt.Errorf("%w: %s", ErrNotAFeed, what)
			}
			return d, notAFeed(d.body, base)
		}
		if jerr := jsonFeedError(d.body); jerr != nil {
			return d, jerr
		}
		return d, err
	}
	d.feed, d.notRead = f, notRead
	return d, nil
}

// rawBodyIs says what a body no parser recognised is, when its bytes
// tell: nothing, white space, gzip (a feed compressed twice, its
// Content-Encoding said once; a .gz file served without one), or a type
// its first bytes give for certain (an image, a PDF: a CDN's error
// picture, a download link configured for a feed). "" when they do not.
func rawBodyIs(body []byte) string {
	switch {
	case len(body) == 0:
		return "the body is empty"
	case len(bytes.TrimLeft(body, " \t\r\n")) == 0:
		return fmt.Sprintf("the body is blank (%d bytes of white space)", len(body))
	case len(body) >= 3 && body[0] == 0x1f && body[1] == 0x8b && body[2] == 8:
		return "it is gzip-compressed (compressed twice, or a .gz file served as it is)"
	}
	if ct := http.DetectContentType(body); binaryType(ct) {
		return fmt.Sprintf("it is %s, by its first bytes (%d bytes in all)", ct, len(body))
	}
	return ""
}

// binaryType reports whether a type http.DetectContentType gave is one
// whose first bytes say so for certain (an image, a PDF, an archive): not
// text, XML or JSON, nor the octet stream it gives any bytes it does not
// know (UTF-16 without a byte order mark among them).
func binaryType(ct string) bool {
	return !strings.HasPrefix(ct, "text/") && ct != "application/octet-stream" &&
		!strings.Contains(ct, "xml") && !strings.Contains(ct, "json")
}

func (d decoded) document(feedURL string, fetchedAt time.Time) (Document, error) {
	if d.feed == nil {
		return parseNinjs(d.body, d.charset, feedURL, fetchedAt, d.keep)
	}
	doc := document(d.feed, d.hubs, d.charset, d.bad, feedURL, fetchedAt)
	doc.NotRead = d.notRead
	return doc, nil
}

// document turns a parsed feed into a Document whose items carry
// Feed.URL = feedURL, with links resolved against it; bad are the entries
// decode took out.
func document(f *gofeed.Feed, hubs []jsonFeedHub, cs string, bad []Rejected, feedURL string, fetchedAt time.Time) Document {
	base := linkBase(feedURL)
	doc := Document{
		Format:   f.FeedType,
		Version:  f.FeedVersion,
		Title:    strings.TrimSpace(f.Title),
		Link:     resolve(base, f.Link),
		Language: strings.TrimSpace(f.Language),
		Charset:  cs,
	}
	if rf, ok := f.OriginalFeed().(*rss.Feed); ok {
		doc.TTL = parseTTL(rf.TTL)
	}
	doc.Links = docLinks(f, hubs, base)
	doc.UpdatePeriod = syndicationPeriod(f)

	ref := record.FeedRef{URL: feedURL, Title: doc.Title}
	publisher := publisherOf(doc, base)
	fetchedAt = fetchedAt.UTC()
	doc.Items = make([]record.Item, 0, len(f.Items))
	for _, gi := range f.Items {
		if gi == nil {
			continue // only JSON Feed has null items, and readJSONFeed took those out
		}
		it := convertItem(gi, base)
		it.Feed = ref
		it.FeedLanguage = doc.Language
		it.Publisher = publisher
		it.FetchedAt = fetchedAt
		doc.Items = append(doc.Items, it)
	}
	if site := declaredSite(doc.Link, feedURL, doc.Items); site != "" {
		for i := range doc.Items {
			doc.Items[i].Feed.Site = site
		}
	}
	doc.Rejected = bad
	doc.splitSharedGUIDs()
	doc.rejectRepeats()
	return doc
}

// parseNinjs reads a ninjs wire document. A wire has no channel title or
// link: the publisher is each item's copyright holder, else the feed's
// host, as for any feed without a title.
func parseNinjs(body []byte, charset, feedURL string, fetchedAt time.Time, keep int) (Document, error) {
	nd, err := ninjs.ParseAtMost(body, feedURL, fetchedAt, keep)
	if err != nil {
		return Document{}, err
	}
	base := linkBase(feedURL)
	doc := Document{Format: "ninjs", Version: nd.Version, Charset: charset, NotRead: nd.NotRead}
	if len(nd.Skipped) > 0 {
		doc.Skipped = nd.Skipped
	}
	host := publisherOf(doc, base)
	doc.Items = nd.Items // nd is not used again: no copy
	for i := range doc.Items {
		if doc.Items[i].Publisher == "" {
			doc.Items[i].Publisher = host
		}
	}
	// A ninjs uri is the item's identity, never shared by design: an item
	// that repeats one is rejected with the reason, not dropped.
	doc.rejectRepeats()
	return doc, nil
}

func convertItem(gi *gofeed.Item, base *url.URL) record.Item {
	it := record.Item{
		GUID:        strings.TrimSpace(gi.GUID),
		Title:       strings.TrimSpace(gi.Title),
		Description: strings.TrimSpace(gi.Description),
		Content:     strings.TrimSpace(gi.Content),
		Link:        itemLink(gi, base),
		Authors:     itemAuthors(gi),
		Categories:  itemCategories(gi),
		Media:       itemMedia(gi, base),
	}
	it.PublishedRaw = strings.TrimSpace(gi.Published)
	it.PublishedParsed = utcPtr(gi.PublishedParsed)
	it.UpdatedRaw = strings.TrimSpace(gi.Updated)
	it.UpdatedParsed = utcPtr(gi.UpdatedParsed)
	return it
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func itemLink(gi *gofeed.Item, base *url.URL) string {
	link := strings.TrimSpace(gi.Link)
	if link == "" {
		for _, l := range gi.Links {
			if l = strings.TrimSpace(l); l != "" {
				link = l
				break
			}
		}
	}
	if link == "" && looksLikeURL(gi.GUID) {
		// RSS guid with isPermaLink (the default) is the item's URL.
		link = strings.TrimSpace(gi.GUID)
	}
	return resolve(base, link)
}

func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// linkBase is feedURL as links in its document are resolved against:
// without userinfo, so a relative link (a story's, a hub's) does not
// inherit the feed's user and password — stories would carry them in
// their url, and hub requests would send them to the hub. nil when
// feedURL does not parse.
func linkBase(feedURL string) *url.URL {
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil
	}
	return withoutUserinfo(base)
}

// withoutUserinfo is a copy of u without its user and password: a URL
// resolved against it or saved from it does not carry them.
func withoutUserinfo(u *url.URL) *url.URL {
	c := *u
	c.User = nil
	return &c
}

// resolve makes ref absolute against base. gofeed has already applied any
// xml:base, so what is left relative is relative to the document itself.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if u.IsAbs() || base == nil {
		return u.String()
	}
	return base.ResolveReference(u).String()
}

func itemAuthors(gi *gofeed.Item) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		for _, o := range out {
			if strings.EqualFold(o, s) {
				return
			}
		}
		out = append(out, s)
	}
	for _, p := range gi.Authors {
		if p == nil {
			continue
		}
		if p.Name != "" {
			add(p.Name)
		} else {
			add(p.Email)
		}
	}
	if gi.DublinCoreExt != nil {
		for _, c := range gi.DublinCoreExt.Creator {
			add(c)
		}
	}
	return out
}

func itemCategories(gi *gofeed.Item) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || seen[strings.ToLower(s)] {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	for _, c := range gi.Categories {
		add(c)
	}
	if gi.DublinCoreExt != nil {
		for _, c := range gi.DublinCoreExt.Subject {
			add(c)
		}
	}
	return out
}

func parseTTL(s string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 || n > 7*24*60 {
		return 0
	}
	return time.Duration(n) * time.Minute
}

// syndicationPeriod reads the RSS 1.0 syndication module: updatePeriod
// (hourly, daily, ...) divided by updateFrequency.
func syndicationPeriod(f *gofeed.Feed) time.Duration {
	sy := f.Extensions["sy"]
	if sy == nil {
		return 0
	}
	first := func(name string) string {
		if v := sy[name]; len(v) > 0 {
			return strings.TrimSpace(v[0].Value)
		}
		return ""
	}
	var period time.Duration
	switch strings.ToLower(first("updatePeriod")) {
	case "hourly":
		period = time.Hour
	case "daily", "":
		period = 24 * time.Hour
	case "weekly":
		period = 7 * 24 * time.Hour
	case "monthly":
		period = 30 * 24 * time.Hour
	case "yearly":
		period = 365 * 24 * time.Hour
	default:
		return 0
	}
	if first("updatePeriod") == "" && first("updateFrequency") == "" {
		return 0
	}
	freq := 1
	if s := first("updateFrequency"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0
		}
		freq = n
	}
	return period / time.Duration(freq)
}

func publisherOf(doc Document, feedURL *url.URL) string {
	if doc.Title != "" {
		return doc.Title
	}
	host := ""
	if u, err := url.Parse(doc.Link); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	} else if feedURL != nil {
		host = feedURL.Hostname()
	}
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}
