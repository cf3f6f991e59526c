package normalize

import (
	"strings"
	"testing"
	"unicode"

	"github.com/wirestream/wirestream/sources/feed"
)

// A character reference a feed escaped once more than it meant ("Beyonc&#233;"
// as an RSS title's text, a JSON Feed title written with HTML's "&#233;", an
// RSS title escaped twice) reaches the story record decoded: normalize
// undoes entity escaping up to maxDecodeDepth layers in every text field,
// after the feed parser undid the format's own (round 37: set 42's uci-news
// 4188 "Beyonc&#233;" reached the recognizer undecoded, but eval builds
// records from the CSV without normalize; a live feed's record does not
// carry it). A reference to markup or a control character never becomes
// one.
func TestAFeedsCharacterReferencesReachTheRecordDecoded(t *testing.T) {
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link>
<item><title>Beyonc&amp;#233; and Jay Z</title><link>https://example.com/1</link><description>Beyonc&amp;eacute; said</description></item>
<item><title>Beyonc&amp;amp;#233; tours</title><link>https://example.com/2</link><description>caf&amp;amp;eacute;</description></item>
<item><title>Beyonc&#233; sings</title><link>https://example.com/3</link></item>
<item><title>a &amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt; b &amp;#0; c &amp;#x202E; d &amp;#7;</title><link>https://example.com/4</link></item>
</channel></rss>`
	json := `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[
{"id":"5","url":"https://example.com/5","title":"Beyonc&#233; &amp; Jay Z","summary":"Beyonc&eacute; said"},
{"id":"6","url":"https://example.com/6","title":"Beyonc&amp;#233; tours","content_text":"caf&#xE9;"}]}`
	want := map[string][2]string{
		"https://example.com/1": {"Beyoncé and Jay Z", "Beyoncé said"},
		"https://example.com/2": {"Beyoncé tours", "café"},
		"https://example.com/3": {"Beyoncé sings", ""},
		"https://example.com/5": {"Beyoncé & Jay Z", "Beyoncé said"},
		"https://example.com/6": {"Beyoncé tours", "café"},
	}
	n := New(DefaultConfig(), nil)
	seen := 0
	for _, body := range []struct{ text, contentType string }{{rss, "application/rss+xml"}, {json, "application/feed+json"}} {
		doc, err := feed.Parse([]byte(body.text), body.contentType, "https://example.com/feed", testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			s := mustNormalize(t, n, it)
			if s.URL == "https://example.com/4" {
				for _, r := range s.Title {
					if unicode.IsControl(r) || r == '\u202E' {
						t.Errorf("title %q holds %U", s.Title, r)
					}
				}
				if strings.Contains(s.Title, "<script") {
					t.Errorf("title %q holds markup", s.Title)
				}
				seen++
				continue
			}
			w, ok := want[s.URL]
			if !ok {
				t.Fatalf("unexpected item %q", s.URL)
			}
			seen++
			summary := s.Summary
			if summary == "" {
				summary = s.Body
			}
			if s.Title != w[0] || (w[1] != "" && summary != w[1]) {
				t.Errorf("%s: title %q summary %q body %q, want %q, %q", s.URL, s.Title, s.Summary, s.Body, w[0], w[1])
			}
		}
	}
	if seen != 6 {
		t.Fatalf("read %d items, want 6", seen)
	}
}
