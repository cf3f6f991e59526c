package demo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"strings"
	"time"
)

// The three formats below follow what real outlets serve, quirks included:
// the wire puts full HTML in CDATA'd content:encoded with a media:thumbnail,
// others only a summary, one escapes HTML into <description>, the Atom feeds
// carry both summary and content, and the JSON feeds use 1.1's "authors".

// feedInfo is what a rendered feed needs beyond its items.
type feedInfo struct {
	outlet  *outlet
	selfURL string
	ttl     int // RSS <ttl>, minutes
}

func render(fi feedInfo, v view) ([]byte, error) {
	switch fi.outlet.Format {
	case formatRSS:
		return renderRSS(fi, v)
	case formatAtom:
		return renderAtom(fi, v)
	default:
		return renderJSON(fi, v)
	}
}

// bodyHTML renders plain paragraphs as the HTML a CMS would emit.
func bodyHTML(body string) string {
	var b strings.Builder
	for _, p := range paragraphs(body) {
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(p))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// summaryOf is the story's standfirst, or its first paragraph.
func summaryOf(it itemView) string {
	if it.Summary != "" {
		return strings.Join(strings.Fields(it.Summary), " ")
	}
	if ps := paragraphs(it.body); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

func imageURL(o *outlet, name string) string {
	if name == "" || o.Images == "" {
		return ""
	}
	return o.Images + name
}

// --- RSS 2.0 ---

type rssDoc struct {
	XMLName  xml.Name   `xml:"rss"`
	Version  string     `xml:"version,attr"`
	NSContnt string     `xml:"xmlns:content,attr"`
	NSDC     string     `xml:"xmlns:dc,attr"`
	NSMedia  string     `xml:"xmlns:media,attr"`
	NSAtom   string     `xml:"xmlns:atom,attr"`
	Channel  rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	Copyright     string    `xml:"copyright"`
	LastBuildDate string    `xml:"lastBuildDate"`
	TTL           int       `xml:"ttl,omitempty"`
	Generator     string    `xml:"generator"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int    `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaThumb struct {
	URL    string `xml:"url,attr"`
	Width  int    `xml:"width,attr,omitempty"`
	Height int    `xml:"height,attr,omitempty"`
}

type mediaContent struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
	Type   string `xml:"type,attr"`
	Width  int    `xml:"width,attr,omitempty"`
	Height int    `xml:"height,attr,omitempty"`
}

type rssItem struct {
	Title        string        `xml:"title"`
	Link         string        `xml:"link"`
	GUID         rssGUID       `xml:"guid"`
	PubDate      string        `xml:"pubDate"`
	Updated      string        `xml:"atom:updated,omitempty"`
	Creator      string        `xml:"dc:creator,omitempty"`
	Categories   []string      `xml:"category"`
	Description  any           `xml:"description"`
	Content      *cdata        `xml:"content:encoded,omitempty"`
	Thumbnail    *mediaThumb   `xml:"media:thumbnail,omitempty"`
	MediaContent *mediaContent `xml:"media:content,omitempty"`
	Enclosure    *rssEnclosure `xml:"enclosure,omitempty"`
}

func renderRSS(fi feedInfo, v view) ([]byte, error) {
	o := fi.outlet
	doc := rssDoc{
		Version:  "2.0",
		NSContnt: "http://purl.org/rss/1.0/modules/content/",
		NSDC:     "http://purl.org/dc/elements/1.1/",
		NSMedia:  "http://search.yahoo.com/mrss/",
		NSAtom:   "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title:         o.Name,
			Link:          o.Home,
			Description:   o.Description,
			Language:      o.Language,
			Copyright:     "Fictional demo content for wirestream. Not real news.",
			LastBuildDate: v.modified.Format(time.RFC1123Z),
			TTL:           fi.ttl,
			Generator:     "wirestream demo",
			Self:          atomLink{Href: fi.selfURL, Rel: "self", Type: "application/rss+xml"},
		},
	}
	for _, it := range v.items {
		ri := rssItem{
			Title:      it.title,
			Link:       it.link,
			GUID:       rssGUID{IsPermaLink: fmt.Sprint(it.guid == it.link), Value: it.guid},
			PubDate:    it.published.Format(time.RFC1123Z),
			Creator:    it.Author,
			Categories: it.Categories,
		}
		if !it.updated.IsZero() {
			ri.Updated = it.updated.Format(time.RFC3339)
		}
		switch o.Style {
		case styleFull: // wire style: summary and full text, both CDATA
			ri.Description = cdata{summaryOf(it)}
			ri.Content = &cdata{bodyHTML(it.body)}
		case styleEscaped: // HTML escaped into <description>, a common CMS habit
			ri.Description = bodyHTML(it.body)
		default:
			ri.Description = summaryOf(it)
		}
		if img := imageURL(o, it.Image); img != "" {
			switch o.ImageTag {
			case "media:thumbnail":
				ri.Thumbnail = &mediaThumb{URL: img, Width: 640, Height: 360}
			case "media:content":
				ri.MediaContent = &mediaContent{URL: img, Medium: "image", Type: "image/jpeg", Width: 1200, Height: 675}
			case "enclosure":
				ri.Enclosure = &rssEnclosure{URL: img, Length: 0, Type: "image/jpeg"}
			}
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalXML(doc)
}

// --- Atom 1.0 ---

type atomDoc struct {
	XMLName  xml.Name    `xml:"feed"`
	NS       string      `xml:"xmlns,attr"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Rights   string      `xml:"rights"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    *atomText      `xml:"content,omitempty"`
}

func renderAtom(fi feedInfo, v view) ([]byte, error) {
	o := fi.outlet
	doc := atomDoc{
		NS:       "http://www.w3.org/2005/Atom",
		Lang:     o.Language,
		ID:       o.Home,
		Title:    o.Name,
		Subtitle: o.Description,
		Updated:  v.modified.Format(time.RFC3339),
		Links: []atomLink{
			{Href: fi.selfURL, Rel: "self", Type: "application/atom+xml"},
			{Href: o.Home, Rel: "alternate", Type: "text/html"},
		},
		Rights: "Fictional demo content for wirestream. Not real news.",
	}
	for _, it := range v.items {
		updated := it.published
		if !it.updated.IsZero() {
			updated = it.updated
		}
		ae := atomEntry{
			ID:        it.guid,
			Title:     atomText{Type: "text", Value: it.title},
			Links:     []atomLink{{Href: it.link, Rel: "alternate", Type: "text/html"}},
			Published: it.published.Format(time.RFC3339),
			Updated:   updated.Format(time.RFC3339),
			Summary:   atomText{Type: "text", Value: summaryOf(it)},
		}
		if img := imageURL(o, it.Image); img != "" {
			ae.Links = append(ae.Links, atomLink{Href: img, Rel: "enclosure", Type: "image/jpeg"})
		}
		if it.Author != "" {
			ae.Authors = []atomPerson{{Name: it.Author}}
		}
		for _, c := range it.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		if o.Style == styleFull {
			ae.Content = &atomText{Type: "html", Value: bodyHTML(it.body)}
		}
		doc.Entries = append(doc.Entries, ae)
	}
	return marshalXML(doc)
}

func marshalXML(doc any) ([]byte, error) {
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// --- JSON Feed 1.1 ---

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Items       []jsonItem   `json:"items"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Language      string       `json:"language,omitempty"`
}

func renderJSON(fi feedInfo, v view) ([]byte, error) {
	o := fi.outlet
	doc := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       o.Name,
		HomePageURL: o.Home,
		FeedURL:     fi.selfURL,
		Description: o.Description,
		Language:    o.Language,
		Items:       []jsonItem{},
	}
	for _, it := range v.items {
		ji := jsonItem{
			ID:            it.guid,
			URL:           it.link,
			Title:         it.title,
			Summary:       summaryOf(it),
			Image:         imageURL(o, it.Image),
			DatePublished: it.published.Format(time.RFC3339),
			Tags:          it.Categories,
		}
		if o.Style == styleFull {
			ji.ContentHTML = bodyHTML(it.body)
		} else {
			ji.ContentText = strings.Join(paragraphs(it.body), "\n\n")
		}
		if !it.updated.IsZero() {
			ji.DateModified = it.updated.Format(time.RFC3339)
		}
		if it.Author != "" {
			ji.Authors = []jsonAuthor{{Name: it.Author}}
		}
		doc.Items = append(doc.Items, ji)
	}
	// Publishers don't \u003c-escape their HTML; neither do we.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	return b.Bytes(), nil
}
