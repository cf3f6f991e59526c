package normalize

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// checkPlainURL fails unless canonicalURL (which tries splitPlainURL
// first) and parsedCanonicalURL (the net/url route every URL took before)
// give in the same answer, error text included, with and without extra
// tracking parameters.
func checkPlainURL(t *testing.T, in string) {
	t.Helper()
	for _, track := range []trackingSet{{}, newTrackingSet([]string{"Partner", "xtr*", "id"})} {
		got, gotErr := canonicalURL(in, track)
		want, wantErr := parsedCanonicalURL(strings.TrimSpace(in), in, track)
		if got != want || errText(gotErr) != errText(wantErr) {
			t.Fatalf("canonicalURL(%q) = %q, %v; the net/url route gives %q, %v", in, got, gotErr, want, wantErr)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestPlainURLMatchesParsed(t *testing.T) {
	for _, in := range []string{
		"https://www.Example.com:443/news/2024/03/05/story/?utm_source=rss&id=7&fbclid=abc#top",
		"https://example.com",
		"https://example.com?",
		"https://example.com?a=1",
		"https://example.com#x",
		"https://example.com/#!/story/42",
		"https://example.com/a#",
		"https://example.com/a#!",
		"http://example.com:80/a",
		"http://example.com:0080/a",
		"https://example.com:80/a",
		"https://example.com:/a",
		"https://example.com:8443",
		"https://example.com:65536/",
		"https://example.com:99999999999999999999999/",
		"https://example.com:8080x/",
		"https://example.com:-1/",
		"https://example.com./a",
		"https://.../a",
		"https://./a",
		"https://my_blog.example.com/post",
		"https://xn--bcher-kva.example/",
		"https://XN--BCHER-KVA.example/",
		"https://xn--zz.example/",
		"https://-lead.example.com/",
		"http://192.0.2.7:8080/a",
		"http://192.0.2.7/a",
		"http://1.2.3/a",
		"http://999.1.1.1/a",
		"http://[2001:DB8::1]:80/a",
		"https://user:secret@example.com/a",
		"https://user@example.com/a",
		"https://example.com/a/./b/../c",
		"https://example.com/../../a",
		"https://example.com/%7Euser/%41bc",
		"https://example.com/a%2fb?q=%e2%82%ac",
		"https://example.com/100%-sure",
		"https://example.com/a?q=100%",
		"https://example.com/a?%zz%41=1&b=2",
		"https://example.com/a?%41=1&A=0",
		"https://example.com/a#100%",
		"https://example.com/a b",
		"https://example.com/a?b c",
		"https://de.wikipedia.org/wiki/Köln",
		"https://bücher.example/a",
		"https://example.com/a[1]",
		"https://example.com/a|b",
		"https://example.com/a?b=[1]&c=|",
		"https://example.com/a?b=\"x\"",
		"https://example.com/a#b#c",
		"https://example.com/it's/(a)*!$;=,+:@",
		"https://example.com/a?x=1?y=2",
		"https://example.com/%00",
		"https://example.com/%2e%2e/a",
		"https://example.com//a//b",
		"https://example.com/a?+=1&%2B=2",
		"https://example.com/a?utm_source=x&UTM_medium=y",
		"HTTPS://example.com/a",
		"Https://example.com/a",
		"https:/example.com/a",
		"https:example.com",
		"https:///a",
		"https://",
		"http://a.b\x7f/",
		"http://a.b/\x00",
		"  https://example.com/a \n",
		"ftp://example.com/a",
		"",
	} {
		checkPlainURL(t, in)
	}
}

func FuzzPlainURLMatchesParsed(f *testing.F) {
	for _, s := range []string{
		"https://www.Example.com:443/news/2024/03/05/story/?utm_source=rss&id=7&fbclid=abc#top",
		"http://a.b:0080/%7e/./../a?%zz%41=1&b=2#!x", "https://a_b.c./(x)?q=a+b&q=a%20b#f%",
		"http://1.2.3.4:65536/", "https://xn--bcher-kva.example/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkPlainURL(t, in)
	})
}

// TestPlainURLTakesCommonFeedLinks holds the shortcut to the links it was
// made for: were it to refuse them, nothing would fail but the CPU.
func TestPlainURLTakesCommonFeedLinks(t *testing.T) {
	for _, in := range []string{
		"https://www.bbc.co.uk/news/world-68478209?at_medium=RSS&at_campaign=KARANGA",
		"https://www.theguardian.com/world/2024/mar/05/x?CMP=share_btn_tw",
		"https://www.Example.com:443/news/2024/03/05/story/?utm_source=rss&id=7&fbclid=abc#top",
		"http://example.com",
		"https://example.com/a%2Fb?q=%E2%82%AC",
	} {
		if _, ok := splitPlainURL(in); !ok {
			t.Errorf("splitPlainURL(%q) refused a plain link", in)
		}
	}
	for _, in := range []string{
		"https://user@example.com/", "http://[::1]/", "https://example.com/100%-sure",
		"https://example.com/a b", "https://bücher.example/", "https://example.com/#!/a", "HTTPS://example.com/",
	} {
		if _, ok := splitPlainURL(in); ok {
			t.Errorf("splitPlainURL(%q) took a link it should leave to net/url", in)
		}
	}
}

// TestPlainURLMatchesParsedOnRealLinks holds the two routes to one answer
// over uci-news dev's links and reports the share the shortcut takes.
func TestPlainURLMatchesParsedOnRealLinks(t *testing.T) {
	items := shareddata.UCI(t)
	plain := 0
	for _, it := range items {
		checkPlainURL(t, it.Item.Link)
		if _, ok := splitPlainURL(strings.TrimSpace(it.Item.Link)); ok {
			plain++
		}
	}
	t.Logf("uci-news dev: %d links, %s split by hand", len(items), shareddata.Pct(plain, len(items)))
}
