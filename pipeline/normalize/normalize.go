package normalize

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Summary lengths: a derived summary is cut near summaryLen bytes, a given
// one only when it is longer than maxGivenSummary (feeds that put the whole
// article in the description).
const (
	summaryLen      = 300
	maxGivenSummary = 1000
	derivedTitleLen = 120
	maxCategories   = 50
	maxAuthors      = 20
	maxMedia        = 20
)

// Normalizer turns items into stories. It holds only immutable
// configuration (and counters), so one Normalizer may be shared by any
// number of goroutines.
type Normalizer struct {
	cfg   Config
	track trackingSet
	m     *Metrics
}

// New returns a Normalizer for cfg that counts cut fields and date flags
// in m (nil: unregistered). cfg should have passed Validate; a
// non-positive MaxTextBytes or negative FutureSkew falls back to the
// default rather than breaking every story.
func New(cfg Config, m *Metrics) *Normalizer {
	def := DefaultConfig()
	if cfg.MaxTextBytes <= 0 {
		cfg.MaxTextBytes = def.MaxTextBytes
	}
	if cfg.FutureSkew < 0 {
		cfg.FutureSkew = def.FutureSkew
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	return &Normalizer{cfg: cfg, track: newTrackingSet(cfg.ExtraTrackingParams), m: m}
}

// CanonicalURL is the package's CanonicalURL with this Normalizer's extra
// tracking parameters removed too.
func (n *Normalizer) CanonicalURL(raw string) (string, error) {
	return canonicalURL(raw, n.track)
}

// Errors Normalize returns (wrapped): the item cannot become a story. The
// pipeline turns them into dead letters.
var (
	ErrNoIdentity = errors.New("item has no usable link or guid")
	ErrNoText     = errors.New("item has no title, summary or content")
	ErrBadLink    = errors.New("item link is not a valid http(s) URL")
)

// feedSite is the site a feed declares (record.FeedRef.Site), dropped
// when it is no URL a story could carry: dedupe only compares its domain,
// and a declaration is evidence, never needed to publish the item.
func feedSite(site string) string {
	if !jsonFits(site, maxURLBytes) || strings.ContainsAny(site, " \t\r\n") {
		return ""
	}
	return site
}

// ofFeed names the feed of an item in an error: " of URL", or what is
// missing when the item names none (a hand-written JSONL line), rather
// than "of :".
func ofFeed(url string) string {
	if url == "" {
		return " (its feed.url is empty)"
	}
	return " of " + url
}

// Normalize turns a source item into a version-1 story, as the package doc
// describes. now is the first-seen time (and the fetch time when the item
// carries none). It fails only when the item cannot become a story at all:
// no link and no GUID, no text at all, or a link that is not a valid
// http(s) URL (or one whose canonical form is over the 8 KiB URL cap); the
// error wraps ErrNoIdentity, ErrNoText or ErrBadLink.
func (n *Normalizer) Normalize(it record.Item, now time.Time) (*record.Story, error) {
	return n.normalize(it, now, nil)
}

// NormalizeText is Normalize that also returns FingerprintText of the
// story, which the content hash is computed from anyway: the pipeline
// hands it to dedupe rather than deriving it a second time.
func (n *Normalizer) NormalizeText(it record.Item, now time.Time) (*record.Story, string, error) {
	var text string
	s, err := n.normalize(it, now, &text)
	return s, text, err
}

// normalize is Normalize; it sets *fingerprint, when given, to the
// story's FingerprintText.
func (n *Normalizer) normalize(it record.Item, now time.Time, fingerprint *string) (*record.Story, error) {
	now = now.UTC()
	var cut truncations
	preCut(&it, &cut)
	link := strings.TrimSpace(it.Link)
	guid := cleanGUID(it.GUID)
	var canon string
	switch {
	case link != "":
		c, err := n.CanonicalURL(link)
		if err != nil {
			return nil, fmt.Errorf("normalize item %q%s: %w: %w", clip(cmp.Or(guid, it.Title)), ofFeed(it.Feed.URL), ErrBadLink, err)
		}
		if !jsonFits(c, maxURLBytes) {
			// An identity cannot be cut: two links sharing their first
			// 8 KiB would become one story.
			return nil, fmt.Errorf("normalize item %q%s: %w: canonical URL of %d bytes is over the %d-byte cap",
				clip(cmp.Or(guid, it.Title)), ofFeed(it.Feed.URL), ErrBadLink, len(c), maxURLBytes)
		}
		canon = c
	case guid != "":
		// An RSS guid that is a URL is the permalink (isPermaLink).
		if c, err := n.CanonicalURL(guid); err == nil && jsonFits(c, maxURLBytes) {
			link, canon = guid, c
		}
	default:
		return nil, fmt.Errorf("normalize item %q%s: %w (its \"link\" and \"guid\" are empty)", clip(it.Title), ofFeed(it.Feed.URL), ErrNoIdentity)
	}

	s := &record.Story{
		Type:          record.TypeStory,
		Version:       1,
		SchemaVersion: record.SchemaVersion,
		Feed:          record.FeedRef{URL: it.Feed.URL, Title: ToLine(it.Feed.Title), Tags: slices.Clone(it.Feed.Tags), Site: feedSite(it.Feed.Site)},
		URL:           link,
		CanonicalURL:  canon,
		GUID:          guid,
		Title:         ToLine(it.Title),
		FirstSeen:     now,
		FetchedAt:     it.FetchedAt.UTC(),
		PublishedRaw:  strings.TrimSpace(it.PublishedRaw),
		UpdatedRaw:    strings.TrimSpace(it.UpdatedRaw),
	}
	if it.FetchedAt.IsZero() {
		s.FetchedAt = now
	}
	s.ID = storyID(canon, guid, it.Feed.URL) // from the whole GUID, before any cut
	s.Publisher = publisher(it, canon)

	cut.capField(&s.Title, maxTitleBytes, record.FieldTitle)
	s.GUID, _ = capGUID(s.GUID)
	cut.add(record.FieldGUID, s.GUID != guid)
	if !jsonFits(s.URL, maxURLBytes) {
		// Tracking parameters made the link too long; its canonical form,
		// which identifies the same page, fits.
		s.URL = canon
		cut.add(record.FieldURL, true)
	}
	cut.capField(&s.Publisher, maxNameBytes, record.FieldPublisher)
	cut.capField(&s.Feed.Title, maxNameBytes, record.FieldFeedTitle)
	cut.capField(&s.PublishedRaw, maxRawDateBytes, record.FieldPublishedRaw)
	cut.capField(&s.UpdatedRaw, maxRawDateBytes, record.FieldUpdatedRaw)

	n.fillText(s, &it, &cut)
	if s.Title == "" {
		s.Title = deriveTitle(s)
		if s.Title == "" {
			return nil, fmt.Errorf("normalize %s%s: %w (its \"title\", \"description\" and \"content\" hold no text)", s.ID, ofFeed(it.Feed.URL), ErrNoText)
		}
	}
	var dropped bool
	s.Authors, dropped = cleanAuthors(it.Authors)
	cut.add(record.FieldAuthors, dropped)
	s.Categories, dropped = cleanCategories(it.Categories)
	cut.add(record.FieldCategories, dropped)
	s.Subjects, dropped = cleanSubjects(it.Subjects)
	cut.add(record.FieldSubjects, dropped)
	s.Media, dropped = cleanMedia(it.Media, link)
	cut.add(record.FieldMedia, dropped)
	resolveDates(s, &it, n.cfg.FutureSkew)
	s.Truncated = cut.sortedFields()
	text, titleKey := storyTexts(s)
	s.ContentHash = contentHash(titleKey, text)
	if fingerprint != nil {
		*fingerprint = text
	}
	n.m.observe(s)
	return s, nil
}

// cleanGUID keeps a GUID as the opaque identifier it is — no HTML
// decoding, which could merge two distinct ids — minus surrounding space,
// control characters and invalid UTF-8.
func cleanGUID(g string) string {
	g = validUTF8(strings.TrimSpace(g))
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, g)
}

// fillText sets Body, Summary and HTML from the item's content and
// description, noting in cut a body cut to MaxTextBytes or HTML dropped
// for exceeding it.
func (n *Normalizer) fillText(s *record.Story, it *record.Item, cut *truncations) {
	cf, df := prepareField(it.Content), prepareField(it.Description)
	content, desc := cf.text(), df.text()
	max := n.cfg.MaxTextBytes
	var bodyCut, htmlCut bool
	switch {
	case content != "":
		s.Body, bodyCut = capText(content, max)
		s.HTML, htmlCut = sanitizeHTML(cf, max)
		s.Summary = trimReadMore(desc)
		if !jsonFits(s.Summary, maxGivenSummary) {
			s.Summary = cutSentences(s.Summary, summaryLen)
		}
		if s.Summary == "" {
			s.Summary = cutSentences(content, summaryLen)
		}
	case desc != "":
		s.Body, bodyCut = capText(desc, max)
		s.HTML, htmlCut = sanitizeHTML(df, max)
		s.Summary = cutSentences(trimReadMore(desc), summaryLen)
	}
	cut.add(record.FieldBody, bodyCut)
	cut.add(record.FieldHTML, htmlCut)
}

// deriveTitle gives an untitled item (microblog-style feeds) the start of
// its text as a headline.
func deriveTitle(s *record.Story) string {
	src := s.Summary
	if src == "" {
		src = s.Body
	}
	if src == "" {
		return ""
	}
	first, _, _ := strings.Cut(src, "\n")
	first = cutSentences(first, derivedTitleLen)
	// One sentence is a headline; the second is the story.
	for i := 0; i+1 < len(first); i++ {
		if (first[i] == '.' || first[i] == '!' || first[i] == '?') && first[i+1] == ' ' && i >= 20 {
			return first[:i+1]
		}
	}
	return first
}

// publisher names the outlet: the source's choice, else the feed title,
// else the story's host without "www.".
func publisher(it record.Item, canon string) string {
	if p := ToLine(it.Publisher); p != "" {
		return p
	}
	if p := ToLine(it.Feed.Title); p != "" {
		return p
	}
	for _, raw := range []string{canon, it.Feed.URL} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	return ""
}

var (
	emailRe        = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9.\-]+\.[\p{L}]{2,}`)
	authorParensRe = regexp.MustCompile(`^\s*[^()]*@[^()]*\(([^()]+)\)\s*$`) // RSS "jdoe@example.com (Jane Doe)"
	byPrefixRe     = regexp.MustCompile(`(?i)^(?:by|von|par|por|di)\s+`)
	authorSplitRe  = regexp.MustCompile(`\s*(?:;|\s+and\s+|\s+&\s+|\s+und\s+|\s+et\s+)\s*`)
	placeholderRe  = regexp.MustCompile(`(?i)^(?:unknown|admin|administrator|editor|staff|null|none|n/a|anonymous|agencies|and agencies|wires?|wire services)$`)
	// authorPlaceRe: Guardian-style "Jennifer Rankin in Brussels".
	authorPlaceRe = regexp.MustCompile(`\s+in\s+\p{Lu}[\p{L}.\-]+(?:\s+\p{Lu}[\p{L}.\-]+){0,2}$`)
)

// cleanAuthors turns author fields into names: HTML and "By " stripped,
// RSS "email (Name)" reduced to the name, bare e-mail addresses and
// placeholders ("Unknown", "admin") dropped, "A and B" / "A; B" split,
// "A, B" split only when each part is a full name (so "Doe, Jane" stays),
// duplicates removed ignoring case. Each name is cut to maxNameBytes and
// at most maxAuthors are kept; cut reports either.
func cleanAuthors(in []string) (out []string, cut bool) {
	names := nameList{max: maxAuthors}
	for _, raw := range in {
		a := ToLine(raw)
		if m := authorParensRe.FindStringSubmatch(a); m != nil {
			a = m[1]
		}
		a = strings.TrimSpace(emailRe.ReplaceAllString(a, ""))
		a = strings.Trim(a, " ,;()<>|")
		a = byPrefixRe.ReplaceAllString(a, "")
		for _, part := range splitAuthors(a) {
			part = strings.Trim(authorPlaceRe.ReplaceAllString(part, ""), " ,;.()|")
			if !placeholderRe.MatchString(part) {
				names.add(part)
			}
		}
	}
	return names.names, names.cut
}

// nameList collects up to max names, each cut to maxNameBytes, keeping
// the first spelling of case-insensitive repeats and dropping empties;
// cut reports a name shortened or one dropped for the count.
type nameList struct {
	names []string
	seen  map[string]bool
	max   int
	cut   bool
}

func (l *nameList) add(name string) {
	name, long := capLine(name, maxNameBytes)
	k := strings.ToLower(name)
	if name == "" || l.seen[k] {
		return
	}
	if len(l.names) >= l.max {
		l.cut = true
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[k] = true
	l.cut = l.cut || long
	l.names = append(l.names, name)
}

func splitAuthors(a string) []string {
	var parts []string
	for p := range strings.SplitSeq(authorSplitRe.ReplaceAllString(a, "\x00"), "\x00") {
		commas := strings.Split(p, ",")
		whole := len(commas) > 1
		for _, c := range commas {
			if len(strings.Fields(c)) < 2 {
				whole = false
			}
		}
		if whole {
			parts = append(parts, commas...)
		} else {
			parts = append(parts, p)
		}
	}
	return parts
}

// cleanCategories makes each category one clean line and drops empties and
// case-insensitive repeats, keeping the first spelling. Each is cut to
// maxNameBytes and at most maxCategories are kept; cut reports either.
func cleanCategories(in []string) (out []string, cut bool) {
	names := nameList{max: maxCategories}
	for _, raw := range in {
		names.add(strings.Trim(ToLine(raw), " ,;/|"))
	}
	return names.names, names.cut
}

// cleanSubjects keeps a source's coded subjects as given — only names are
// made one clean line and codes trimmed — dropping those with neither a
// name nor a URI and repeats of one (URI, name) pair, up to maxCategories.
// A name is cut to maxNameBytes; a subject whose codes are over their
// caps (URI maxNameBytes, literal and rel maxCodeBytes) is dropped, since
// a code cannot be cut; cut reports either.
func cleanSubjects(in []record.Subject) (out []record.Subject, cut bool) {
	seen := map[[2]string]bool{}
	for _, sub := range in {
		var long bool
		sub = record.Subject{URI: cleanGUID(sub.URI), Literal: cleanGUID(sub.Literal), Rel: cleanGUID(sub.Rel), Name: sub.Name}
		sub.Name, long = capLine(ToLine(sub.Name), maxNameBytes)
		k := [2]string{sub.URI, strings.ToLower(sub.Name)}
		if (sub.Name == "" && sub.URI == "") || seen[k] {
			continue
		}
		if len(out) >= maxCategories || !jsonFits(sub.URI, maxNameBytes) || !jsonFits(sub.Literal, maxCodeBytes) || !jsonFits(sub.Rel, maxCodeBytes) {
			cut = true
			continue
		}
		seen[k] = true
		cut = cut || long
		out = append(out, sub)
	}
	return out, cut
}

// cleanMedia resolves media URLs against the story link, drops anything
// that is not http(s) (data:, javascript:, blob:) and repeats of one URL
// (the first, usually media:content, wins over a thumbnail of it). It
// keeps at most maxMedia, drops URLs over maxMediaURL and cuts their text
// to maxMediaText; cut reports any of that.
func cleanMedia(in []record.Media, link string) (out []record.Media, cut bool) {
	if len(in) == 0 {
		return nil, false
	}
	base, _ := url.Parse(link)
	seen := map[string]bool{}
	for _, m := range in {
		abs := absoluteURL(strings.TrimSpace(m.URL), base)
		if abs == "" || seen[abs] {
			continue
		}
		if len(out) >= maxMedia || !jsonFits(abs, maxMediaURL) {
			cut = true
			continue
		}
		seen[abs] = true
		m.URL = abs
		m.Type = strings.ToLower(strings.TrimSpace(m.Type))
		m.Medium = strings.ToLower(strings.TrimSpace(m.Medium))
		if m.Medium == "" {
			m.Medium, _, _ = strings.Cut(m.Type, "/")
			if m.Medium != "image" && m.Medium != "video" && m.Medium != "audio" {
				m.Medium = ""
			}
		}
		var long [5]bool
		m.Type, long[0] = capLine(m.Type, maxMediaText)
		m.Medium, long[1] = capLine(m.Medium, maxMediaText)
		m.Title, long[2] = capLine(ToLine(m.Title), maxMediaText)
		m.Credit, long[3] = capLine(ToLine(m.Credit), maxMediaText)
		m.Captions, long[4] = capLine(ToLine(m.Captions), maxMediaText)
		cut = cut || slices.Contains(long[:], true)
		m.Width, m.Height = max(m.Width, 0), max(m.Height, 0)
		m.Length = max(m.Length, 0)
		out = append(out, m)
	}
	return out, cut
}

func absoluteURL(raw string, base *url.URL) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil || !base.IsAbs() {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String()
}
