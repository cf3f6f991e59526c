package normalize

import (
	"slices"
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
	f.Add("Invoice \u202egnp.exe", "<p>\u2066x\u2069 updated 5 minutes ago</p>", "1,234 views", "1970-01-01T00:00:01Z", "https://a.example/?v=1", "")
	f.Add(strings.Repeat("<&> ", 400), strings.Repeat("<p>x</p>", 300), "Last updated: 14:32 GMT", "2024-03-05T10:00:00+2400", "https://a.example/"+strings.Repeat("p", 9000), strings.Repeat("g", 2000))
	n := New(DefaultConfig(), nil)
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
			if x != s.GUID && strings.ContainsFunc(x, isBidiControl) {
				t.Fatalf("text keeps a bidi control: %q", x)
			}
		}
		for _, c := range []struct {
			v   string
			max int
		}{{s.Title, maxTitleBytes}, {s.GUID, maxGUIDBytes}, {s.URL, maxURLBytes}, {s.Publisher, maxNameBytes},
			{s.PublishedRaw, maxRawDateBytes}, {s.UpdatedRaw, maxRawDateBytes}} {
			if record.JSONBytes(c.v) > c.max {
				t.Fatalf("%d JSON bytes over the cap %d: %q", record.JSONBytes(c.v), c.max, c.v)
			}
		}
		if s.Published.Before(record.MinPlausibleDate) {
			t.Fatalf("published %v is implausible", s.Published)
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

// FuzzResolveDates drives the date rules with any raw strings and source
// parses: the published time is always plausible, never past the skew,
// always UTC, and a flag explains every departure from the raw date.
func FuzzResolveDates(f *testing.F) {
	for _, raw := range []string{"Tue, 05 Mar 2024 11:43:27 EST", "1970-01-01T00:00:01Z", "1970-06-15", "2024-03-05T10:00:00+2400",
		"2024-03-05T10:00:00-13:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "le 1er mars 2024 à 10h30", "05.03.2024 10:15", "", "soon"} {
		f.Add(raw, raw, int64(0), false)
		f.Add(raw, "", int64(-62135596800), true)
	}
	fetched := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, pubRaw, updRaw string, parsedUnix int64, hasParsed bool) {
		it := record.Item{PublishedRaw: pubRaw, UpdatedRaw: updRaw}
		if hasParsed {
			p := time.Unix(parsedUnix, 0).UTC()
			it.PublishedParsed, it.UpdatedParsed = &p, &p
		}
		s := &record.Story{FetchedAt: fetched, FirstSeen: fetched.Add(1234567891 * time.Nanosecond)}
		resolveDates(s, &it, 10*time.Minute)
		if s.Published.Location() != time.UTC || s.Published.Before(record.MinPlausibleDate) || s.Published.After(fetched.Add(10*time.Minute)) {
			t.Fatalf("published %v from %q", s.Published, pubRaw)
		}
		if s.Updated != nil && (s.Updated.Before(record.MinPlausibleDate) || s.Updated.After(fetched.Add(10*time.Minute))) {
			t.Fatalf("updated %v from %q", s.Updated, updRaw)
		}
		if badOffset(pubRaw) && !slices.Contains(s.DateFlags, record.DateImplausible) && !slices.Contains(s.DateFlags, record.DateUnparsed) {
			t.Fatalf("an impossible offset in %q passed unflagged: %q", pubRaw, s.DateFlags)
		}
		if s.Published.Equal(s.FirstSeen) && len(s.DateFlags) == 0 {
			t.Fatalf("first-seen used without a flag for %q", pubRaw)
		}
	})
}
