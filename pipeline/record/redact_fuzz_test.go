package record

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRedactURL: RedactURL takes any string (a feed list's URL is anyone's writing) without
// panicking, says a URL that parses once for all (redacting what it said changes nothing), and what it says
// of a URL that parses holds neither its password, nor a user name given alone, nor a secret
// parameter's value.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{
		"https://host/feed", "https://u:p@host/f", "https://TOKEN@host/f", "https://host/f?token=abc&x=1",
		"https://host/f?%74oken=abc", "https://[::1]:8080/f?Token=abc#frag", "https://host/a@b?c=d@e",
		"mailto:a@b?token=x", "https://host/%zz?token=abc", "https://a%40b:c%25d@host/", "//u:p@host/?key=v",
		"https://host/f?token=a&token=b&token", "https://tok:@host/f", "https://host/f#x?token=abc",
		"https://ghp_T0KEN:@host/f?access_token=abc", "https://:@host/f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		said := RedactURL(u)
		p, err := url.Parse(u)
		if err != nil || p.Opaque != "" {
			return // no feed's name (config refuses it): said without panicking
		}
		// A feed's name, folded by it again (feedstatus): the same.
		if again := RedactURL(said); again != said {
			t.Fatalf("RedactURL(%q) = %q, and redacted again %q", u, said, again)
		}
		if p.User != nil {
			ps, err := url.Parse(said)
			if err != nil || ps.User == nil {
				t.Fatalf("RedactURL(%q) = %q, no URL with userinfo", u, said)
			}
			pw, hasPassword := ps.User.Password()
			if hasPassword && pw != "xxxxx" || !hasPassword && ps.User.Username() != "xxxxx" {
				t.Fatalf("RedactURL(%q) = %q keeps the userinfo's secret", u, said)
			}
			// A user name with an empty password is the secret (TOKEN:@host).
			if pw, ok := p.User.Password(); ok && pw == "" && ps.User.Username() != "xxxxx" {
				t.Fatalf("RedactURL(%q) = %q keeps a token given with an empty password", u, said)
			}
		}
		for name, values := range p.Query() {
			if !isSecretParam(name) {
				continue
			}
			q, err := url.ParseQuery(strings.SplitN(said, "?", 2)[len(strings.SplitN(said, "?", 2))-1])
			if err != nil {
				continue
			}
			for _, v := range q[name] {
				if v != "" && v != "xxxxx" && containsValue(values, v) {
					t.Fatalf("RedactURL(%q) = %q keeps %s=%q", u, said, name, v)
				}
			}
		}
	})
}

func containsValue(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
