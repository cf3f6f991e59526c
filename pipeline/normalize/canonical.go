package normalize

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/hostname"
)

// errScheme marks a URL whose scheme is not http or https; Normalize turns
// it into a dead letter rather than guessing.
var errScheme = errors.New("scheme is not http or https")

// CanonicalURL returns raw in the canonical form described in the package
// doc, using the built-in tracking-parameter list. It fails for anything
// that is not an absolute http(s) URL with a host.
func CanonicalURL(raw string) (string, error) {
	return canonicalURL(raw, trackingSet{})
}

func canonicalURL(raw string, track trackingSet) (string, error) {
	s := strings.TrimSpace(raw)
	if p, ok := splitPlainURL(s); ok {
		// The same host function as parsedCanonicalURL's: on its error that
		// route returns the error, worded as always.
		if host, err := hostname.Canonical(p.host); err == nil {
			if p.port != "" {
				host += ":" + p.port
			}
			return joinCanonical(p.scheme, host, p.path, p.rawQuery, "", track), nil
		}
	}
	return parsedCanonicalURL(s, raw, track)
}

// parsedCanonicalURL is canonicalURL through net/url: every URL took this
// way before splitPlainURL, and FuzzPlainURLMatchesParsed holds the
// shortcut to it. s is raw with its surrounding space trimmed.
func parsedCanonicalURL(s, raw string, track trackingSet) (string, error) {
	if s == "" {
		return "", errors.New("canonical url: empty")
	}
	u, err := url.Parse(fixStrayPercents(s))
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", clip(raw), err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		if scheme == "" {
			return "", fmt.Errorf("canonical url %q: not absolute: %w", clip(raw), errScheme)
		}
		return "", fmt.Errorf("canonical url %q: %q: %w", clip(raw), scheme, errScheme)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("canonical url %q: no host", clip(raw))
	}
	host, err := hostname.Canonical(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", clip(raw), err)
	}
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 {
			return "", fmt.Errorf("canonical url %q: invalid port %q", clip(raw), port)
		}
		if !(scheme == "http" && n == 80) && !(scheme == "https" && n == 443) {
			host = net.JoinHostPort(host, strconv.Itoa(n))
		} else if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}

	return joinCanonical(scheme, host, u.EscapedPath(), u.RawQuery, u.EscapedFragment(), track), nil
}

// joinCanonical writes a canonical URL from its parts as the URL spelled
// them: host is already canonical (with its port when not the scheme's
// default), path and fragment are escaped, and only a hashbang fragment
// ("#!/story") is kept.
func joinCanonical(scheme, host, escapedPath, rawQuery, escapedFragment string, track trackingSet) string {
	var b strings.Builder
	b.Grow(len(scheme) + 3 + len(host) + len(escapedPath) + 1 + len(rawQuery))
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(canonicalPath(escapedPath))
	if q := canonicalQuery(rawQuery, track); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	if strings.HasPrefix(escapedFragment, "!") {
		b.WriteByte('#')
		b.WriteString(normalizeEscapes(escapedFragment))
	}
	return b.String()
}

// canonicalPath normalizes escapes and removes dot segments (RFC 3986
// 5.2.4). Empty becomes "/".
func canonicalPath(p string) string {
	p = normalizeEscapes(p)
	if p == "" {
		return "/"
	}
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	p = strings.Join(out, "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// canonicalQuery drops empty and tracking parameters and sorts the rest by
// decoded key, then by value. Parameters keep their own encoding apart
// from escape normalization, so "a+b" and "a%20b" stay distinct, as they
// may be to the server.
func canonicalQuery(raw string, track trackingSet) string {
	if raw == "" {
		return ""
	}
	type param struct{ key, pair string }
	var params []param
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" || pair == "=" {
			continue
		}
		k, _, _ := strings.Cut(pair, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			dk = k
		}
		if dk == "" || track.drop(dk) {
			continue
		}
		params = append(params, param{key: dk, pair: normalizeEscapes(pair)})
	}
	if len(params) == 0 {
		return ""
	}
	slices.SortStableFunc(params, func(a, b param) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.pair, b.pair)
	})
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.pair)
	}
	return b.String()
}

// normalizeEscapes decodes percent-escapes of unreserved characters,
// uppercases the hex of the others, escapes a '%' that starts no valid
// escape, and escapes bytes that may not appear raw in a URL.
func normalizeEscapes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex[v>>4])
				b.WriteByte(upperHex[v&15])
			}
			i += 2
		case mustEscape[c]:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mustEscape marks the bytes normalizeEscapes writes as an escape (but for
// a '%' that starts a valid one): '%', controls, space, non-ASCII bytes and
// "<>\^`{|}. A table, since a call into IndexByte per byte of every URL
// was a tenth of a headline's normalize.
var mustEscape = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '%' || c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", byte(c)) >= 0
	}
	return t
}()

// fixStrayPercents escapes '%' signs that start no valid escape, which
// url.Parse rejects but browsers (and so publishers) tolerate.
func fixStrayPercents(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// isUnreserved is RFC 3986's unreserved set: escaping these never changes
// meaning, so decoding them is always safe.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const n = 200
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
