package normalize

import (
	"strings"
	"unicode/utf8"
)

// readMorePhrases are the link texts of a trailing "Continue reading..."
// or "Read more »", which in a teaser points at the story the record
// already is. Where one phrase ends another, the longer comes first, so
// the whole link goes.
var readMorePhrases = []string{"read the full article", "read the full story", "continue reading", "keep reading", "read more", "full story"}

// asciiSpace is what \s matches in Go's regular expressions.
const asciiSpace = " \t\n\f\r"

// isASCIISpace reports a byte of asciiSpace, without the call into
// IndexByte that per-byte loops paid for each byte.
func isASCIISpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// trimReadMore removes such a link from the end of s, with the spaces and
// the arrow or ellipsis around it, and trims s. It is a scanner from the
// end of the text rather than a regular expression: an unanchored
// pattern tried at every position of a whole description cost a quarter
// of `process` on full-text feeds. It removes exactly what
// `(?i)\s*(?:continue reading|read more|read the full (?:story|article)|
// keep reading|full story)\s*(?:\.\.\.|…|»|→|>+)?\s*$` matched (see the
// test that compares them).
func trimReadMore(s string) string {
	u := strings.TrimRight(s, asciiSpace)
	marked := false // one marker at most
	for _, mark := range []string{"...", "…", "»", "→"} {
		if strings.HasSuffix(u, mark) {
			u, marked = u[:len(u)-len(mark)], true
			break
		}
	}
	if !marked {
		u = strings.TrimRight(u, ">")
	}
	u = strings.TrimRight(u, asciiSpace)
	for _, p := range readMorePhrases {
		if n, ok := foldSuffix(u, p); ok {
			return strings.TrimSpace(u[:len(u)-n])
		}
	}
	return strings.TrimSpace(s)
}

// foldSuffix reports whether s ends with phrase (ASCII lower case and
// spaces) under Unicode simple case folding, as (?i) compares, and how
// many bytes of s that suffix takes: folding maps 'k' to the Kelvin sign
// and 's' to the long s, which are longer in UTF-8.
func foldSuffix(s, phrase string) (int, bool) {
	i := len(s)
	for j := len(phrase) - 1; j >= 0; j-- {
		if i == 0 {
			return 0, false
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		p := rune(phrase[j])
		switch {
		case r == p, 'a' <= p && p <= 'z' && r == p-'a'+'A':
		case p == 'k' && r == '\u212a', p == 's' && r == '\u017f':
		default:
			return 0, false
		}
		i -= size
	}
	return len(s) - i, true
}
