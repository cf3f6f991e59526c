package record

import (
	"strings"
	"testing"
)

// A feed URL without a secret may end in a space and 32 hex digits (a search query, a path
// with a space): its key was the URL itself, which reads as an account's key — the URL as
// logs say it, a space and a hash — so `feeds status` took it for one account of a paid feed,
// and a key told no feed of the first kind from one of the second. Now no key of a URL
// without a secret ends so: an account's key is one of a URL with a secret only, and keys
// stay one per URL.
func TestAFeedURLWithoutASecretEndingInAHashIsNoAccountsKey(t *testing.T) {
	const hash = "0123456789abcdef0123456789abcdef"
	plain := []string{
		"https://h.example/search?q=a " + hash,
		"https://h.example/my feed " + hash,
		"https://h.example/search?q=a " + hash + " ",
		"https://h.example/search?q=a " + hash + "  ",
		"https://h.example/search?q=a",
	}
	keys := map[string]string{}
	for _, u := range plain {
		if RedactURL(u) != u {
			t.Fatalf("%q has a secret; the test wants URLs without one", u)
		}
		k := FeedKey(u)
		if said, h, ok := CutAccountKey(k); ok {
			t.Errorf("FeedKey(%q) = %q reads as an account's key (%q, %q)", u, k, said, h)
		}
		if other, ok := keys[k]; ok {
			t.Errorf("%q and %q share the key %q", u, other, k)
		}
		keys[k] = u
		var c FeedKeys
		if got := c.Of(u); got != k {
			t.Errorf("FeedKeys.Of(%q) = %q, want FeedKey's %q", u, got, k)
		}
	}
	secret := "https://h.example/search?q=a&token=S3CRET"
	said, h, ok := CutAccountKey(FeedKey(secret))
	if !ok || said != RedactURL(secret) || len(h) != 32 || strings.Contains(said+h, "S3CRET") {
		t.Errorf("CutAccountKey(FeedKey(%q)) = %q, %q, %v; want the URL as said and its hash", secret, said, h, ok)
	}
}

// The key rounds 35 and 36 gave a URL without a secret that ends in a space and a hash (the
// URL itself, which reads as an account's) is one the start tombstones once it holds a record.
func TestTheEarlierKeyOfAURLEndingInAHashIsLegacy(t *testing.T) {
	u := "https://h.example/search?q=a 0123456789abcdef0123456789abcdef"
	if got := LegacyFeedKeys(u, "https://h.example/rss"); len(got) != 1 || got[0] != u {
		t.Errorf("LegacyFeedKeys = %q, want [%q]", got, u)
	}
}

// A start's mark names the set of legacy keys it found gone without saying any: the same set
// the same mark, another set another.
func TestLegacyKeysMarkSaysNoSecret(t *testing.T) {
	a := LegacyFeedKeys("https://h.example/rss?token=S3CRET")
	b := LegacyFeedKeys("https://h.example/rss?token=S3CRET", "https://u:S3CRET@h.example/x")
	ma, mb := LegacyKeysMark(a), LegacyKeysMark(b)
	if ma == "" || ma != LegacyKeysMark(a) || ma == mb || strings.Contains(ma+mb, "S3CRET") || strings.Contains(ma, "h.example") {
		t.Errorf("marks %q, %q", ma, mb)
	}
	if LegacyKeysMark(nil) != "" {
		t.Errorf("a mark for no keys")
	}
}
