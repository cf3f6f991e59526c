// Package hostname spells a URL's host one way: the canonical URLs of
// pipeline/normalize and the per-host key of sources/feed's limits both
// read it, so two spellings of one server (müller.de, XN--MLLER-KVA.DE.)
// are one host in a story's id and one host to the fetcher's slots. It
// sits below both: a source does not import the pipeline. It also answers
// a host's registrable domain (RegistrableDomain, cached) for both the
// feed's declared site (sources/feed) and dedupe's claim rule.
package hostname

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// idnaProfile maps and converts internationalized hosts. It is lenient
// about STD3 rules because real hosts carry underscores
// ("my_blog.example.com") that browsers accept.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.BidiRule(),
)

// Canonical is a host name as a canonical URL spells it: lower case,
// without a trailing dot, IDNA labels in punycode (the name DNS is asked
// for, whichever spelling a URL used). IPv6 literals come back without
// brackets.
func Canonical(h string) (string, error) {
	h = strings.TrimSuffix(h, ".")
	if strings.Trim(h, ".") == "" {
		// "..." named no host, yet came out as "http://./", which the
		// next pass refused: canonical URLs must be canonical again (fuzz).
		return "", errors.New("no host")
	}
	if mayBeIP(h) {
		if ip := net.ParseIP(h); ip != nil {
			return ip.String(), nil
		}
	}
	if strings.ContainsRune(h, '%') {
		dec, err := url.PathUnescape(h)
		if err != nil {
			return "", fmt.Errorf("host %q: %w", h, err)
		}
		h = dec
	}
	ascii, err := hostToASCII(h)
	if err != nil {
		return "", fmt.Errorf("host %q: %w", h, err)
	}
	ascii = strings.ToLower(strings.TrimSuffix(ascii, "."))
	if ascii == "" || strings.ContainsAny(ascii, " /\\?#@") {
		return "", fmt.Errorf("host %q: invalid", h)
	}
	return ascii, nil
}

// hostToASCII is the host's IDNA (punycode) form, before lower-casing.
// A host of ASCII letters, digits, hyphens and dots with no "xn--" label
// — nearly every feed's — skips the IDNA profile, which maps it to
// itself lower-cased when it validates and is left as it is when it
// does not (profileToASCII): lower-casing follows either way. The profile
// cost a headline more than the rest of its URL.
// TestPlainHostsSkipIDNAWithTheSameHost holds the shortcut to the profile.
func hostToASCII(h string) (string, error) {
	if plainHost(h) {
		return h, nil
	}
	return profileToASCII(h)
}

// profileToASCII is h through the IDNA profile: every host took this way
// before the plainHost shortcut, and the tests hold the shortcut to it.
func profileToASCII(h string) (string, error) {
	ascii, err := idnaProfile.ToASCII(h)
	if err != nil {
		if !isASCII(h) {
			return "", err
		}
		// Lenient: an ASCII host that fails IDNA validation (a label
		// starting with "-", say) still names exactly one host.
		ascii = h
	}
	return ascii, nil
}

// plainHost reports whether h is made of ASCII letters, digits, '-' and
// '.' only, with no label that starts "xn--" in any case (punycode, which
// the profile decodes and checks).
func plainHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.':
		case c == '-':
			if i >= 3 && h[i-1] == '-' && h[i-2]|0x20 == 'n' && h[i-3]|0x20 == 'x' && (i == 3 || h[i-4] == '.') {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// mayBeIP says whether net.ParseIP could read h: an IPv6 literal has a
// colon, an IPv4 one only digits and dots. A name is spared the parse,
// which allocates the error it drops (one allocation a story).
func mayBeIP(h string) bool {
	if strings.IndexByte(h, ':') >= 0 {
		return true
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
