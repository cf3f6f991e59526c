package ninjs

import (
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Reasons Parse skips an object (keys of Document.Skipped).
const (
	SkipNotAStory  = "not_a_story" // event or planning: no story to publish
	SkipWithheld   = "withheld"    // pubStatus withheld or canceled: the wire says do not use
	SkipEmbargoed  = "embargoed"   // embargoedUntil still ahead: offered again once it passes
	SkipUnreadable = "unreadable"  // a list element that is not a readable ninjs object
)

// Document is a parsed ninjs wire document.
type Document struct {
	Version string        // "1.x", "2.x" or "3.x": the spelling of its properties
	Items   []record.Item // the stories, media items included, in document order
	// Skipped counts objects that became no item, by reason (Skip*).
	Skipped map[string]int
	// Errors says what was wrong with each unreadable list element.
	Errors []error
	// NotRead counts the list elements ParseAtMost left raw: those
	// between its first keep and its last keep.
	NotRead int
}

// maxAssociations bounds the associations read per item.
const maxAssociations = 50

// Parse reads a ninjs wire document — one object or a list — into source
// items, as a feed parser would: uri → GUID, main headline → title, the
// body (plain text preferred over HTML, HTML over NITF) → content, the
// summary description → description, by → author, subjects → coded
// subjects (their names and genres' names as categories too), language →
// the item's language prior, firstCreated (else versionCreated) →
// published, versionCreated → updated, copyrightHolder → publisher,
// altIds of role url → link, renditions of the item and of its media
// associations → media. Events and planning items, withheld or cancelled
// items and items under embargo are skipped and counted. It fails only when
// body holds no ninjs object at all (wrapping ErrNotNinjs).
func Parse(body []byte, feedURL string, fetchedAt time.Time) (Document, error) {
	return ParseAtMost(body, feedURL, fetchedAt, 0)
}

// ParseAtMost is Parse reading only a list's first keep and last keep
// elements, and counting those between (NotRead) — the caller keeps the
// newest, which a list holds first or last: a caller that keeps a few hundred items
// does not pay for every object of a wire's 200,000-object list (2.3 s
// of CPU for 5.4 MB whole). keep <= 0 reads every element.
func ParseAtMost(body []byte, feedURL string, fetchedAt time.Time, keep int) (Document, error) {
	wires, version, bad, notRead, err := decode(body, keep)
	if err != nil {
		return Document{}, err
	}
	doc := Document{Version: version, Skipped: map[string]int{}, Errors: bad, NotRead: notRead}
	if len(wires) > 0 {
		doc.Items = make([]record.Item, 0, len(wires))
	}
	if len(bad) > 0 {
		doc.Skipped[SkipUnreadable] = len(bad)
	}
	base, _ := url.Parse(feedURL)
	if base != nil {
		base.User = nil // a relative link does not inherit the feed's user and password
	}
	fetchedAt = fetchedAt.UTC()
	for i := range wires {
		w := &wires[i]
		if reason := skipReason(w, fetchedAt); reason != "" {
			doc.Skipped[reason]++
			continue
		}
		it := w.item(base)
		it.Feed = record.FeedRef{URL: feedURL}
		it.FetchedAt = fetchedAt
		doc.Items = append(doc.Items, it)
	}
	return doc, nil
}

func skipReason(w *wireItem, now time.Time) string {
	switch strings.ToLower(w.Type) {
	case "event", "planning":
		return SkipNotAStory
	case "":
		if len(w.EventDetails) > 0 || len(w.PlannedCoverage) > 0 {
			return SkipNotAStory
		}
	}
	switch strings.ToLower(w.PubStatus) {
	case "withheld", "canceled", "cancelled":
		return SkipWithheld
	}
	if t := parseTime(w.EmbargoedUntil); t != nil && t.After(now) {
		return SkipEmbargoed
	}
	return ""
}

func (w *wireItem) item(base *url.URL) record.Item {
	it := record.Item{
		GUID:         strings.TrimSpace(w.URI),
		Title:        w.headline(),
		Description:  w.description(),
		Content:      w.content(),
		Link:         w.link(base),
		Publisher:    strings.TrimSpace(w.CopyrightHolder),
		FeedLanguage: strings.TrimSpace(w.Language),
	}
	if by := strings.TrimSpace(firstNonEmpty(w.By, w.Byline)); by != "" {
		it.Authors = []string{by}
	}
	for _, s := range w.Subjects {
		it.Subjects = append(it.Subjects, record.Subject{Name: s.Name, URI: s.URI, Literal: s.Literal, Rel: s.Rel})
	}
	for _, s := range w.Subject {
		sub := record.Subject{Name: s.Name, Literal: s.Code, Rel: s.Rel}
		if strings.HasPrefix(s.Scheme, "http") {
			sub.URI = s.Scheme + strings.TrimPrefix(s.Code, "medtop:")
		}
		it.Subjects = append(it.Subjects, sub)
	}
	for _, s := range it.Subjects {
		if s.Name != "" {
			it.Categories = append(it.Categories, s.Name)
		}
	}
	for _, g := range w.Genres {
		if g.Name != "" {
			it.Categories = append(it.Categories, g.Name)
		}
	}
	first, version := parseTime(w.FirstCreated), parseTime(w.VersionCreated)
	switch {
	case first != nil:
		it.PublishedRaw, it.PublishedParsed = w.FirstCreated, first
		if version != nil && version.After(*first) {
			it.UpdatedRaw, it.UpdatedParsed = w.VersionCreated, version
		}
	case version != nil:
		// Without firstCreated, the version at hand is the first the
		// wire sent us: its creation is the story's publication.
		it.PublishedRaw, it.PublishedParsed = w.VersionCreated, version
	default:
		it.PublishedRaw = firstNonEmpty(w.FirstCreated, w.VersionCreated)
	}
	it.Media = w.media(base)
	return it
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// pick returns the first value with one of roles (in order of preference),
// else the first value at all.
func pick(texts []Text, roles ...string) string {
	for _, r := range roles {
		for _, t := range texts {
			if strings.EqualFold(t.Role, r) && strings.TrimSpace(t.Value) != "" {
				return t.Value
			}
		}
	}
	for _, t := range texts {
		if strings.TrimSpace(t.Value) != "" {
			return t.Value
		}
	}
	return ""
}

func (w *wireItem) headline() string {
	return strings.TrimSpace(firstNonEmpty(pick(w.Headlines, RoleMain), w.Headline, w.Title))
}

func (w *wireItem) description() string {
	d := pick(w.Descriptions, RoleSummary, "lead", "abstract", RoleMain, "text", RoleCaption)
	return strings.TrimSpace(firstNonEmpty(d, w.DescriptionHTML, w.DescriptionText))
}

// content picks the story text. Plain text is the wire's own copy of the
// story; its HTML renderings often carry page furniture (datelines in
// spans, figure credits) that would run into the words. NITF is read last:
// only its body.content is story text.
func (w *wireItem) content() string {
	var htmlBody, nitf string
	for _, b := range w.Bodies {
		if strings.TrimSpace(b.Value) == "" {
			continue
		}
		ct := strings.ToLower(b.ContentType)
		if ct == "" && strings.HasPrefix(strings.TrimSpace(b.Value), "<") {
			ct = "text/html" // no content type, but markup all the same
		}
		switch {
		case ct == "" || strings.HasPrefix(ct, "text/plain"):
			return paragraphs(b.Value)
		case strings.Contains(ct, "html"):
			if htmlBody == "" {
				htmlBody = b.Value
			}
		case strings.Contains(ct, "nitf") || strings.Contains(ct, "xml"):
			if nitf == "" {
				nitf = b.Value
			}
		}
	}
	switch {
	case htmlBody != "":
		return htmlBody
	case nitf != "":
		return nitfBody(nitf)
	case strings.TrimSpace(w.BodyText) != "":
		return paragraphs(w.BodyText)
	}
	return firstNonEmpty(w.BodyHTML, w.BodyXHTML)
}

// paragraphs turns plain text into HTML that says the same: blank lines
// separate paragraphs, single newlines break lines, and nothing in the
// text can be read as markup.
func paragraphs(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		lines := strings.Split(p, "\n")
		for i := range lines {
			lines[i] = html.EscapeString(strings.TrimSpace(lines[i]))
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>")
	}
	return b.String()
}

// nitfBody returns the body.content of a NITF document (its paragraphs),
// or the whole value when it has none.
func nitfBody(doc string) string {
	start := strings.Index(doc, "<body.content")
	if start < 0 {
		return doc
	}
	rest := doc[start:]
	open := strings.IndexByte(rest, '>')
	end := strings.Index(rest, "</body.content>")
	if open < 0 || end < open {
		return doc
	}
	return rest[open+1 : end]
}

// link is the story's web address: an altId of role url (what FromStory
// writes) or link, resolved against the feed.
func (w *wireItem) link(base *url.URL) string {
	for _, role := range []string{RoleURL, "link", RoleCanonicalURL, "web"} {
		for _, a := range w.AltIDs {
			if strings.EqualFold(a.Role, role) {
				if u := absHTTP(base, a.Value); u != "" {
					return u
				}
			}
		}
	}
	return ""
}

func absHTTP(base *url.URL, ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || ref == "" {
		return ""
	}
	if base != nil && !u.IsAbs() {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// media are the item's own renditions when it is a picture, video or audio
// item, and those of its media associations.
func (w *wireItem) media(base *url.URL) []record.Media {
	var out []record.Media
	out = append(out, mediaOf(&w.Item, w.Item.By, base)...)
	for i, a := range w.Associations {
		if i >= maxAssociations {
			break
		}
		out = append(out, mediaOf(&a.Item, a.By, base)...)
	}
	return out
}

var media = map[string]string{"picture": "image", "graphic": "image", "video": "video", "audio": "audio"}

// mediaOf returns an item's best rendition and its thumbnail.
func mediaOf(it *Item, credit string, base *url.URL) []record.Media {
	medium, ok := media[strings.ToLower(it.Type)]
	if !ok || len(it.Renditions) == 0 {
		return nil
	}
	var best, thumb *Rendition
	for i := range it.Renditions {
		r := &it.Renditions[i]
		if absHTTP(base, r.Href) == "" {
			continue
		}
		if isThumbnail(r) {
			if thumb == nil || r.Width*r.Height > thumb.Width*thumb.Height {
				thumb = r
			}
			continue
		}
		if best == nil || r.Width*r.Height > best.Width*best.Height {
			best = r
		}
	}
	caption := strings.TrimSpace(pick(it.Descriptions, RoleCaption, RoleSummary))
	title := strings.TrimSpace(firstNonEmpty(pick(it.Headlines, RoleMain), it.Title))
	var out []record.Media
	for _, r := range []*Rendition{best, thumb} {
		if r == nil {
			continue
		}
		m := medium
		if kind, _, _ := strings.Cut(strings.ToLower(r.ContentType), "/"); kind == "image" || kind == "video" || kind == "audio" {
			m = kind // a video's poster frame is an image
		}
		out = append(out, record.Media{URL: absHTTP(base, r.Href), Type: r.ContentType, Medium: m,
			Width: r.Width, Height: r.Height, Title: title, Thumb: r == thumb, Length: r.SizeInBytes,
			Credit: strings.TrimSpace(credit), Captions: caption})
	}
	return out
}

func isThumbnail(r *Rendition) bool {
	n := strings.ToLower(r.Name + " " + r.Title)
	return strings.Contains(n, "thumb")
}
