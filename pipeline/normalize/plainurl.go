package normalize

import (
	"strconv"
	"strings"
)

// plainURL is a URL split by splitPlainURL: each part as the URL spelled
// it, which for a plain URL is what net/url would have answered.
type plainURL struct {
	scheme   string // "http" or "https"
	host     string // not yet canonical
	port     string // decimal without leading zeros; "" when absent or the scheme's default
	path     string // escaped, as url.URL.EscapedPath would give it
	rawQuery string
}

// splitPlainURL splits the common feed link — lower-case http(s) scheme, a
// host of letters, digits, '.', '-', '_', an optional numeric port, and
// printable ASCII after it with only valid percent-escapes — without
// net/url, whose Parse was the largest piece of a headline's normalize
// (≈ 2.5 % of its CPU, round 46). It answers ok=false for anything else
// (userinfo, IPv6 hosts, stray '%', spaces, non-ASCII, a hashbang
// fragment …), and canonicalURL then takes the net/url route, so a URL
// this does not fully understand is read exactly as before.
// FuzzPlainURLMatchesParsed holds the two routes to one answer.
func splitPlainURL(s string) (p plainURL, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "https://"):
		p.scheme, rest = "https", s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		p.scheme, rest = "http", s[len("http://"):]
	default:
		return p, false
	}
	i := 0
	for i < len(rest) && plainHostByte[rest[i]] {
		i++
	}
	if i == 0 {
		return p, false
	}
	p.host, rest = rest[:i], rest[i:]
	if rest != "" && rest[0] == ':' {
		j := 1
		for j < len(rest) && '0' <= rest[j] && rest[j] <= '9' {
			j++
		}
		if j > 1 {
			// A port Atoi cannot read or above 65535 is the net/url
			// route's error, worded there.
			n, err := strconv.Atoi(rest[1:j])
			if err != nil || n > 65535 {
				return p, false
			}
			if !(p.scheme == "http" && n == 80) && !(p.scheme == "https" && n == 443) {
				p.port = strconv.Itoa(n)
			}
		}
		rest = rest[j:]
	}
	i = 0
	for i < len(rest) && rest[i] != '?' && rest[i] != '#' {
		if !plainPathByte[rest[i]] || rest[i] == '%' && !validEscapeAt(rest, i) {
			return p, false
		}
		i++
	}
	if i > 0 && rest[0] != '/' {
		// ":8080x", "@", '[' …: not a plain authority.
		return p, false
	}
	p.path, rest = rest[:i], rest[i:]
	if rest != "" && rest[0] == '?' {
		i = 1
		for i < len(rest) && rest[i] != '#' {
			if !printableASCII(rest[i]) || rest[i] == '%' && !validEscapeAt(rest, i) {
				return p, false
			}
			i++
		}
		p.rawQuery, rest = rest[1:i], rest[i:]
	}
	if rest != "" {
		// A fragment, which is dropped unless it is a hashbang; a hashbang
		// keeps the net/url route's escaping of it.
		if len(rest) > 1 && rest[1] == '!' {
			return p, false
		}
		for i := 1; i < len(rest); i++ {
			if !printableASCII(rest[i]) || rest[i] == '%' && !validEscapeAt(rest, i) {
				return p, false
			}
		}
	}
	return p, true
}

// validEscapeAt reports whether s[i] ('%') starts a two-hex-digit escape.
// A stray '%' is left to the net/url route, whose fixStrayPercents changes
// it before the query's keys are decoded.
func validEscapeAt(s string, i int) bool {
	return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

func printableASCII(c byte) bool { return '!' <= c && c <= '~' }

// plainHostByte marks the host bytes splitPlainURL takes: ASCII letters,
// digits, '.', '-' and '_', which net/url passes through unchanged.
var plainHostByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isUnreserved(byte(c)) && c != '~'
	}
	return t
}()

// plainPathByte marks the path bytes splitPlainURL takes: unreserved,
// '/', '%' and RFC 3986's sub-delims, ':' and '@' — the bytes a path
// keeps as spelled in url.URL.EscapedPath.
var plainPathByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isUnreserved(byte(c)) || strings.IndexByte("/%!$&'()*+,;=:@", byte(c)) >= 0
	}
	return t
}()
