package feed

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/wirestream/wirestream/pipeline/record"
)

// itemMedia collects an item's attachments from Media RSS (media:content,
// media:group, media:thumbnail), RSS enclosures / JSON Feed attachments, and
// the item image, once per URL, in that order of richness.
func itemMedia(gi *gofeed.Item, base *url.URL) []record.Media {
	var out []record.Media
	index := map[string]int{}
	add := func(m record.Media) {
		m.URL = resolve(base, m.URL)
		if m.URL == "" {
			return
		}
		if m.Medium == "" {
			m.Medium = mediumOf(m.Type)
		}
		if i, ok := index[m.URL]; ok {
			mergeMedia(&out[i], m)
			return
		}
		index[m.URL] = len(out)
		out = append(out, m)
	}
	if mrss := gi.Extensions["media"]; mrss != nil {
		for _, c := range mrss["content"] {
			addMediaContent(c, add)
		}
		for _, g := range mrss["group"] {
			for _, c := range g.Children["content"] {
				addMediaContent(c, add)
			}
			for _, th := range g.Children["thumbnail"] {
				add(thumbnail(th))
			}
		}
		for _, th := range mrss["thumbnail"] {
			add(thumbnail(th))
		}
	}
	for _, e := range gi.Enclosures {
		if e == nil {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		add(record.Media{URL: e.URL, Type: strings.TrimSpace(e.Type), Length: max(n, 0)})
	}
	if gi.Image != nil {
		add(record.Media{URL: gi.Image.URL, Title: gi.Image.Title, Medium: "image"})
	}
	return out
}

func addMediaContent(c ext.Extension, add func(record.Media)) {
	m := record.Media{
		URL:    c.Attrs["url"],
		Type:   c.Attrs["type"],
		Medium: strings.ToLower(c.Attrs["medium"]),
		Width:  atoi(c.Attrs["width"]),
		Height: atoi(c.Attrs["height"]),
		Length: int64(atoi(c.Attrs["fileSize"])),
		Title:  childText(c, "title"),
		Credit: childText(c, "credit"),
	}
	m.Captions = childText(c, "description")
	add(m)
	for _, th := range c.Children["thumbnail"] {
		add(thumbnail(th))
	}
}

func thumbnail(th ext.Extension) record.Media {
	return record.Media{
		URL:    th.Attrs["url"],
		Medium: "image",
		Width:  atoi(th.Attrs["width"]),
		Height: atoi(th.Attrs["height"]),
		Thumb:  true,
	}
}

func childText(e ext.Extension, name string) string {
	if c := e.Children[name]; len(c) > 0 {
		return strings.TrimSpace(c[0].Value)
	}
	return ""
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func mediumOf(mime string) string {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return "image"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	case strings.HasPrefix(mime, "audio/"):
		return "audio"
	}
	return ""
}

// mergeMedia fills the gaps of a with what b knows about the same URL.
func mergeMedia(a *record.Media, b record.Media) {
	if a.Type == "" {
		a.Type = b.Type
	}
	if a.Medium == "" {
		a.Medium = b.Medium
	}
	if a.Width == 0 {
		a.Width, a.Height = b.Width, b.Height
	}
	if a.Title == "" {
		a.Title = b.Title
	}
	if a.Length == 0 {
		a.Length = b.Length
	}
	if a.Credit == "" {
		a.Credit = b.Credit
	}
	if a.Captions == "" {
		a.Captions = b.Captions
	}
}
