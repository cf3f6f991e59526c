package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The scanners below replace the regular expressions the date clean-up
// used to run on every date string (a fifth of normalize's CPU): each one
// rewrites exactly what its pattern, quoted in its comment, matched —
// see datetidy_test.go, which compares every scanner with its pattern.
// \b and \s are Go's ASCII word boundary and ASCII space.

// isWordByte reports an ASCII word character, what \b looks at. A byte of
// a multi-byte rune is none, as the rune is none.
func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// wordStart reports a \b before s[i] when s[i] is a word character.
func wordStart(s string, i int) bool { return i == 0 || !isWordByte(s[i-1]) }

// wordEnd reports a \b after s[:i] when s[i-1] is a word character.
func wordEnd(s string, i int) bool { return i == len(s) || !isWordByte(s[i]) }

// dropLeadingWeekday removes what `^\p{L}+\.?\s*,\s*` matched.
func dropLeadingWeekday(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	if i == 0 {
		return s
	}
	if i < len(s) && s[i] == '.' {
		i++
	}
	for i < len(s) && strings.IndexByte(asciiSpace, s[i]) >= 0 {
		i++
	}
	if i == len(s) || s[i] != ',' {
		return s
	}
	return strings.TrimLeft(s[i+1:], asciiSpace)
}

// rewriteGMTOffset rewrites a trailing "GMT+2", "UTC -5:30" or "UT+0100"
// as "+0200", "-0530", "+0100": what
// `(?i)\b(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$` matched,
// replaced by sign, two-digit hours and minutes.
func rewriteGMTOffset(s string) string {
	sign := strings.LastIndexAny(s, "+-")
	if sign < 0 {
		return s
	}
	var h, m string
	switch rest := s[sign+1:]; {
	case len(rest) == 1 && isDigit(rest[0]):
		h, m = "0"+rest, "00"
	case len(rest) == 2 && isDigit(rest[0]) && isDigit(rest[1]):
		h, m = rest, "00"
	case len(rest) == 3 && isDigit(rest[0]) && isDigit(rest[1]) && isDigit(rest[2]):
		h, m = "0"+rest[:1], rest[1:]
	case len(rest) == 4 && isDigit(rest[0]) && rest[1] == ':' && isDigit(rest[2]) && isDigit(rest[3]):
		h, m = "0"+rest[:1], rest[2:]
	case len(rest) == 4 && isDigit(rest[0]) && isDigit(rest[1]) && isDigit(rest[2]) && isDigit(rest[3]):
		h, m = rest[:2], rest[2:]
	case len(rest) == 5 && isDigit(rest[0]) && isDigit(rest[1]) && rest[2] == ':' && isDigit(rest[3]) && isDigit(rest[4]):
		h, m = rest[:2], rest[3:]
	default:
		return s
	}
	zoneEnd := len(strings.TrimRight(s[:sign], asciiSpace))
	for _, zone := range []string{"GMT", "UTC", "UT"} {
		start := zoneEnd - len(zone)
		if start >= 0 && strings.EqualFold(s[start:zoneEnd], zone) && wordStart(s, start) {
			return s[:start] + s[sign:sign+1] + h + m
		}
	}
	return s
}

// rewriteFrenchHour rewrites "10h30" as "10:30": what
// `\b(\d{1,2})h(\d{2})\b` matched, replaced by "$1:$2". A match starts
// and ends at a \b and holds only word characters, so it is a whole
// ASCII word.
func rewriteFrenchHour(s string) string {
	if strings.IndexByte(s, 'h') < 0 {
		return s
	}
	var b strings.Builder
	at := 0
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w := s[i:j]
		if h := strings.IndexByte(w, 'h'); (h == 1 || h == 2) && len(w) == h+3 && allDigits(w[:h]) && allDigits(w[h+1:]) {
			b.WriteString(s[at:i])
			b.WriteString(w[:h])
			b.WriteByte(':')
			b.WriteString(w[h+1:])
			at = j
		}
		i = j
	}
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// dropOrdinals removes ordinal suffixes and the dot of "5. März":
// `\b(\d{1,2})(?:st|nd|rd|th|er|\.)(\s)` replaced by "$1$2".
func dropOrdinals(s string) string {
	var b strings.Builder
	at := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || !wordStart(s, i) {
			continue
		}
		j := i + 1
		if j < len(s) && isDigit(s[j]) {
			j++
		}
		k := j // after the suffix
		switch {
		case j < len(s) && s[j] == '.':
			k = j + 1
		case j+1 < len(s):
			switch s[j : j+2] {
			case "st", "nd", "rd", "th", "er":
				k = j + 2
			}
		}
		if k == j || k >= len(s) || strings.IndexByte(asciiSpace, s[k]) < 0 {
			continue
		}
		b.WriteString(s[at:j])
		b.WriteByte(s[k])
		at = k + 1
		i = k
	}
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}

// trailingOffset finds a numeric zone offset after a time of day
// ("10:00:00+2400", "10:00 -05:00"), in a tidied date string: what
// `\d:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*([+-])(\d{2}):?(\d{2})$` matched,
// with its three groups. ok is false when there is none.
func trailingOffset(s string) (sign, hh, mm string, ok bool) {
	var at int // where the sign is
	switch n := len(s); {
	case n >= 6 && s[n-3] == ':' && isDigit(s[n-5]) && isDigit(s[n-4]) && isDigit(s[n-2]) && isDigit(s[n-1]):
		at, hh, mm = n-6, s[n-5:n-3], s[n-2:]
	case n >= 5 && allDigits(s[n-4:]):
		at, hh, mm = n-5, s[n-4:n-2], s[n-2:]
	default:
		return "", "", "", false
	}
	if s[at] != '+' && s[at] != '-' {
		return "", "", "", false
	}
	// Before the sign: spaces, an optional fraction, and a time ending in
	// "D:DD" (an optional ":DD" of seconds also ends so).
	t := strings.TrimRight(s[:at], asciiSpace)
	if endsInClock(t) {
		return s[at : at+1], hh, mm, true
	}
	frac := strings.TrimRight(t, "0123456789")
	if len(frac) < len(t) && len(frac) > 0 && (frac[len(frac)-1] == '.' || frac[len(frac)-1] == ',') && endsInClock(frac[:len(frac)-1]) {
		return s[at : at+1], hh, mm, true
	}
	return "", "", "", false
}

// endsInClock reports whether t ends in `\d:\d{2}`.
func endsInClock(t string) bool {
	n := len(t)
	return n >= 4 && isDigit(t[n-4]) && t[n-3] == ':' && isDigit(t[n-2]) && isDigit(t[n-1])
}
