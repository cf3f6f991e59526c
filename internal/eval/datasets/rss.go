package datasets

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// WriteRSS writes items as an RSS 2.0 document at path, channel link
// link: title, link, guid, pubDate, description, and the full text in
// content:encoded — what a feed would have carried, for tools that read
// feed files (`wirestream process`, the library-ceiling comparison of
// cmd/loadtest).
func WriteRSS(path, link string, items []record.Item) error {
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s)) // replaces what XML cannot hold with U+FFFD
		return e.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>` + "\n")
	fmt.Fprintf(&b, "<title>%s</title><link>%s</link><description>library ceiling input</description>\n", esc(filepath.Base(path)), esc(link))
	for _, it := range items {
		b.WriteString("<item>")
		fmt.Fprintf(&b, "<title>%s</title><link>%s</link>", esc(it.Title), esc(it.Link))
		if it.GUID != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, esc(it.GUID))
		}
		if it.PublishedParsed != nil {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.PublishedParsed.Format(time.RFC1123Z))
		}
		if it.Description != "" {
			fmt.Fprintf(&b, "<description>%s</description>", esc(it.Description))
		}
		if it.Content != "" {
			fmt.Fprintf(&b, "<content:encoded><![CDATA[%s]]></content:encoded>", strings.ReplaceAll(xmlSafe(it.Content), "]]>", "]]]]><![CDATA[>"))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// xmlSafe replaces what an XML document cannot hold — invalid UTF-8, most
// control characters — with U+FFFD, as xml.EscapeText does for escaped text.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != utf8.RuneError && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return '\uFFFD'
	}, s)
}

// FeedFile is a data set written as a feed document.
type FeedFile struct {
	Path  string
	Items int
}

// WriteFeedFiles writes two feed documents into dir from the data under
// data: articles.xml, WikiRef220's 220 full-text articles (≈ 5 KB each:
// a teaser description and the text in content:encoded), and
// headlines.xml, uci-news' headlines as headline-only items (title, link,
// date). Articles are dated 10 minutes apart from wikiRefFetched. They are the inputs of the library-ceiling comparison
// (cmd/loadtest ceiling) and of the daemon's process benchmark.
func WriteFeedFiles(data, dir string) (articles, headlines FeedFile, err error) {
	wiki, err := LoadWikiRef(filepath.Join(data, "wikiref220"))
	if err != nil {
		return articles, headlines, err
	}
	uci, err := LoadUCI(filepath.Join(data, "uci-news", "dev.csv"))
	if err != nil {
		return articles, headlines, err
	}
	for i := range wiki {
		// WikiRef220 has no dates; a feed would carry one, and a fixed one
		// keeps event and alert times reproducible from run to run.
		t := wikiRefFetched.Add(time.Duration(i) * 10 * time.Minute)
		wiki[i].PublishedParsed = &t
	}
	for i := range uci {
		uci[i].Description, uci[i].Content, uci[i].Categories = "", "", nil
	}
	articles = FeedFile{Path: filepath.Join(dir, "articles.xml"), Items: len(wiki)}
	headlines = FeedFile{Path: filepath.Join(dir, "headlines.xml"), Items: len(uci)}
	if err := WriteRSS(articles.Path, "https://wikiref220.invalid/", wiki); err != nil {
		return articles, headlines, err
	}
	return articles, headlines, WriteRSS(headlines.Path, "https://uci-news.invalid/", uci)
}
