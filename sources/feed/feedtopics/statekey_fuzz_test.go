package feedtopics

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzStateKey: a StateKey is never taken for an old key (it would be moved again, its state
// lost), and a key round 32 or 33 wrote for a URL is found and moved to the URL's StateKey by
// the key alone (oldKeyMove) — except round 33's TOKEN:xxxxx@ key of a token with an empty
// password, which only the URL tells (Store.DropOrphans moves it). A secret query value or
// password of at least 6 characters is never in a StateKey.
func FuzzStateKey(f *testing.F) {
	for _, s := range []string{
		"https://host/feed", "https://u:p4ssword@host/f?token=T0KEN12", "https://T0KEN12@host/f?api_key=K3Y456",
		"https://host/f?access_token=S3CRET&lang=en", "https://T0KEN12:@host/f?token=abcdef", "https://host/f?token=xxxxx",
		"https://u:xxxxx@host/f?sig=a b", "https://host/my feed?q=a b&token=S3CRET1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		p, err := url.Parse(u)
		if err != nil || p.Opaque != "" || p.Host == "" || len(u) > 200 {
			return // no feed URL (the list refuses it)
		}
		k := StateKey(u)
		if isOldKey(k) {
			t.Fatalf("StateKey(%q) = %q is taken for an old key", u, k)
		}
		if pw, ok := p.User.Password(); ok && len(pw) >= 6 && pw != "xxxxx" && strings.Contains(k, pw) {
			t.Fatalf("StateKey(%q) = %q says the password", u, k)
		}
		for name, values := range p.Query() {
			for _, v := range values {
				if isSecretName(name) && len(v) >= 6 && v != "xxxxx" && strings.Contains(k, v) {
					t.Fatalf("StateKey(%q) = %q says %s's value", u, k, name)
				}
			}
		}
		r33 := round33Key(u, k)
		if r33 == k {
			return
		}
		if pw, ok := p.User.Password(); ok && pw == "" {
			return // round 33's TOKEN:xxxxx@ key: moved by the URL
		}
		if moved, ok := oldKeyMove(r33); !ok || moved != k {
			t.Fatalf("round 33's key %q of %q moves to %q (%v), want its StateKey %q", r33, u, moved, ok, k)
		}
	})
}

// isSecretName is a query parameter record.RedactURL says as xxxxx: its value redacted in
// the URL as a StateKey says it.
func isSecretName(name string) bool {
	said := StateKey("https://h.example/?" + url.QueryEscape(name) + "=v4lue12")
	return !strings.Contains(said, "v4lue12")
}
