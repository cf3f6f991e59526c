package hostname

import (
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// checkPlainHost fails unless the shortcut and the profile give h the
// same canonical host (both lower-case the result and trim one dot after).
func checkPlainHost(t *testing.T, h string) {
	t.Helper()
	fast, ferr := hostToASCII(h)
	slow, serr := profileToASCII(h)
	if (ferr == nil) != (serr == nil) {
		t.Fatalf("%q: shortcut error %v, profile error %v", h, ferr, serr)
	}
	canon := func(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }
	if canon(fast) != canon(slow) {
		t.Fatalf("%q: shortcut %q, profile %q", h, canon(fast), canon(slow))
	}
}

// TestPlainHostsSkipIDNAWithTheSameHost pins hostToASCII's rule: a host of
// ASCII letters, digits, '-' and '.' without an "xn--" label comes out
// as the IDNA profile would make it — for every uci-news link's host, hand
// cases of every way a label can fail validation, and random hosts over
// the characters the shortcut takes.
func TestPlainHostsSkipIDNAWithTheSameHost(t *testing.T) {
	hand := []string{
		"example.com", "WWW.Example.COM", "a", "1.2.3", "a..b", ".a", "a.", "-a.com", "a-.com", "a--b.com",
		"ab--c.com", "xn--bcher-kva.example", "XN--bcher-kva.example", "a.xn--p1ai", "xn--", "xn--a", "axn--b.com",
		"x.xn--zz", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 200) + "com", "0", "0.0.0.0.0",
		"münchen.de", "a_b.com", "a b.com",
	}
	for _, h := range hand {
		checkPlainHost(t, h)
	}
	for _, r := range shareddata.UCI(t) {
		u, err := url.Parse(r.Item.Link)
		if err != nil {
			continue
		}
		checkPlainHost(t, u.Hostname())
	}
	rng := rand.New(rand.NewPCG(21, 12))
	const alphabet = "aAbxXnN09-."
	for range 200_000 {
		checkPlainHost(t, randomHost(rng, alphabet, 12))
	}
}

// TestPlainHostTellsPunycodeLabels pins which hosts the shortcut takes.
func TestPlainHostTellsPunycodeLabels(t *testing.T) {
	for h, want := range map[string]bool{
		"example.com": true, "Example.COM": true, "a-b.c-d": true, "axn--b.com": true, "x.yxn--z": true,
		"xn--bcher-kva.example": false, "a.XN--p1ai": false, "a.Xn--": false, "münchen.de": false, "a_b": false, "a:b": false,
	} {
		if got := plainHost(h); got != want {
			t.Errorf("plainHost(%q) = %v, want %v", h, got, want)
		}
	}
}

// mayBeIP must hold for every host net.ParseIP reads, or Canonical
// would spell an IP literal as a name.
func TestMayBeIPHoldsForEveryIPLiteral(t *testing.T) {
	for _, h := range []string{"127.0.0.1", "::1", "2001:db8::1", "::ffff:10.0.0.1", "0.0.0.0", "1.2.3.4",
		"fe80::1%eth0", "1.2.3", "example.com", "10.0.0.1.nip.io", "a:b", "", "1e2.3.4.5"} {
		if net.ParseIP(h) != nil && !mayBeIP(h) {
			t.Errorf("mayBeIP(%q) is false; net.ParseIP reads it", h)
		}
	}
	if mayBeIP("www.reuters.com") || mayBeIP("10.0.0.1.nip.io") {
		t.Error("a name was taken for an IP literal")
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789abcdefx.:%[]"
	for range 200_000 {
		if h := randomHost(r, alphabet, 16); net.ParseIP(h) != nil && !mayBeIP(h) {
			t.Fatalf("mayBeIP(%q) is false; net.ParseIP reads it", h)
		}
	}
}

// randomHost is 1 to maxLen characters drawn from alphabet: the random
// hosts both tests' shortcuts are checked on.
func randomHost(r *rand.Rand, alphabet string, maxLen int) string {
	b := make([]byte, 1+r.IntN(maxLen))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
