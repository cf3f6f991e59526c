package normalize

import (
	"errors"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" means an error is expected
	}{
		{"an already canonical url is unchanged", "https://example.com/news/1", "https://example.com/news/1"},
		{"scheme and host are lowercased", "HTTPS://WWW.Example.COM/News/1", "https://www.example.com/News/1"},
		{"the path keeps its case", "https://example.com/Politics/Story", "https://example.com/Politics/Story"},
		{"the default https port is dropped", "https://example.com:443/a", "https://example.com/a"},
		{"the default http port is dropped", "http://example.com:80/a", "http://example.com/a"},
		{"a non-default port is kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"port 80 on https is not a default and is kept", "https://example.com:80/a", "https://example.com:80/a"},
		{"an empty port is dropped", "https://example.com:/a", "https://example.com/a"},
		{"the fragment is dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"a hashbang fragment is kept because single-page sites route on it", "https://example.com/#!/story/42", "https://example.com/#!/story/42"},
		{"userinfo is dropped", "https://user:secret@example.com/a", "https://example.com/a"},
		{"utm parameters are removed", "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a"},
		{"utm parameters are removed whatever their case", "https://example.com/a?UTM_Source=rss&id=3", "https://example.com/a?id=3"},
		{"click ids are removed", "https://example.com/a?fbclid=IwAR0&gclid=Cj0&dclid=1&msclkid=2&yclid=3&igshid=4", "https://example.com/a"},
		{"mailer ids are removed", "https://example.com/a?mc_cid=1&mc_eid=2&_hsenc=3&mkt_tok=4", "https://example.com/a"},
		{"analytics and referrer tags are removed", "https://example.com/a?_ga=2.1&ref_src=twsrc&cmpid=rss&ocid=msn", "https://example.com/a"},
		{"BBC at_ parameters are removed", "https://www.bbc.co.uk/news/world-68478209?at_medium=RSS&at_campaign=KARANGA", "https://www.bbc.co.uk/news/world-68478209"},
		{"Guardian CMP is removed", "https://www.theguardian.com/world/2024/mar/05/x?CMP=share_btn_tw", "https://www.theguardian.com/world/2024/mar/05/x"},
		{"real parameters are kept and sorted", "https://example.com/article?page=2&id=77", "https://example.com/article?id=77&page=2"},
		{"repeated keys are ordered by value", "https://example.com/a?tag=b&tag=a", "https://example.com/a?tag=a&tag=b"},
		{"tracking removal keeps the other parameters", "https://example.com/a?id=5&utm_source=x&p=1", "https://example.com/a?id=5&p=1"},
		{"an empty query is dropped", "https://example.com/a?", "https://example.com/a"},
		{"empty parameters are dropped", "https://example.com/a?&&id=1&", "https://example.com/a?id=1"},
		{"a key without a value is kept", "https://example.com/a?amp", "https://example.com/a?amp"},
		{"an empty path becomes a slash", "https://example.com", "https://example.com/"},
		{"a trailing slash is kept", "https://example.com/news/", "https://example.com/news/"},
		{"index.html is kept", "https://edition.cnn.com/2024/03/05/politics/story/index.html", "https://edition.cnn.com/2024/03/05/politics/story/index.html"},
		{"www is kept", "https://www.example.com/a", "https://www.example.com/a"},
		{"dot segments are resolved", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"dot segments cannot climb above the root", "https://example.com/../../a", "https://example.com/a"},
		{"escaped unreserved characters are decoded", "https://example.com/%7Euser/%41bc", "https://example.com/~user/Abc"},
		{"escape hex is uppercased", "https://example.com/a%2fb?q=%e2%82%ac", "https://example.com/a%2Fb?q=%E2%82%AC"},
		{"non-ASCII path characters are percent-encoded", "https://de.wikipedia.org/wiki/Köln", "https://de.wikipedia.org/wiki/K%C3%B6ln"},
		{"a space in the path is encoded", "https://example.com/a b", "https://example.com/a%20b"},
		{"a stray percent sign is escaped", "https://example.com/100%-sure", "https://example.com/100%25-sure"},
		{"plus and %20 in the query stay distinct", "https://example.com/s?q=a+b", "https://example.com/s?q=a+b"},
		{"an IDN host becomes punycode", "https://bücher.example/a", "https://xn--bcher-kva.example/a"},
		{"an uppercase IDN host becomes lowercase punycode", "https://BÜCHER.example/", "https://xn--bcher-kva.example/"},
		{"a punycode host stays as it is", "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"a trailing dot on the host is dropped", "https://example.com./a", "https://example.com/a"},
		{"an IPv4 host is kept", "http://192.0.2.7:8080/a", "http://192.0.2.7:8080/a"},
		{"an IPv6 host keeps its brackets and drops the default port", "http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"surrounding whitespace is trimmed", "  https://example.com/a \n", "https://example.com/a"},
		{"a host with an underscore is accepted", "https://my_blog.example.com/post", "https://my_blog.example.com/post"},
		{"a non-http scheme is an error", "ftp://example.com/a", ""},
		{"a javascript url is an error", "javascript:alert(1)", ""},
		{"a mailto url is an error", "mailto:desk@example.com", ""},
		{"a relative url is an error", "/news/1", ""},
		{"a protocol-relative url is an error", "//example.com/a", ""},
		{"an empty string is an error", "", ""},
		{"a url without a host is an error", "https:///a", ""},
		{"an opaque http url is an error", "http:example.com", ""},
		{"an invalid port is an error", "https://example.com:99999/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("CanonicalURL(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("CanonicalURL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := CanonicalURL(got)
			if err != nil || again != got {
				t.Fatalf("not idempotent: CanonicalURL(%q) = %q, %v", got, again, err)
			}
		})
	}
}

func TestCanonicalURLSchemeErrorIsRecognizable(t *testing.T) {
	_, err := CanonicalURL("javascript:alert(1)")
	if !errors.Is(err, errScheme) || !strings.Contains(err.Error(), "javascript") {
		t.Fatalf("err = %v, want a scheme error naming the scheme", err)
	}
}

func TestExtraTrackingParams(t *testing.T) {
	n := New(Config{MaxTextBytes: 1 << 16, ExtraTrackingParams: []string{"Partner", "xtr*"}}, nil)
	got, err := n.CanonicalURL("https://example.com/a?partner=rss&XTREF=1&xtor=RSS-3&id=4")
	if err != nil || got != "https://example.com/a?id=4" {
		t.Fatalf("got %q, %v", got, err)
	}
	// The package function knows only the built-in list.
	got, _ = CanonicalURL("https://example.com/a?partner=rss&id=4")
	if got != "https://example.com/a?id=4&partner=rss" {
		t.Fatalf("package CanonicalURL = %q, want partner kept", got)
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a?utm_source=x&b=2#f", "HTTP://Ex.COM:80/%7e/./../a?", "https://bücher.de/ä?ö=ü",
		"javascript:alert(1)", "http://[::1]:443/", "https://a.b/%zz%", "https://x.y/#!/p", "http://a@b:c@d/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := CanonicalURL(in)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "http://") && !strings.HasPrefix(got, "https://") {
			t.Fatalf("CanonicalURL(%q) = %q: not http(s)", in, got)
		}
		if strings.Contains(got, "#") && !strings.Contains(got, "#!") {
			t.Fatalf("CanonicalURL(%q) = %q kept a fragment", in, got)
		}
		for i := 0; i < len(got); i++ {
			if c := got[i]; c <= ' ' || c >= 0x7f {
				t.Fatalf("CanonicalURL(%q) = %q has raw byte %#x", in, got, c)
			}
		}
		again, err := CanonicalURL(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", in, got, again, err)
		}
		// Normalize's id skips the second canonicalization StoryID does.
		n := New(Config{MaxTextBytes: 1 << 16, ExtraTrackingParams: []string{"Partner", "xtr*", "id"}}, nil)
		if got, err := n.CanonicalURL(in); err == nil {
			if again, err := CanonicalURL(got); err != nil || again != got {
				t.Fatalf("not idempotent with extra parameters: %q -> %q -> %q (%v)", in, got, again, err)
			}
			if storyID(got, "g", "https://f.example/") != StoryID(got, "g", "https://f.example/") {
				t.Fatalf("storyID(%q) differs from StoryID", got)
			}
		}
	})
}
