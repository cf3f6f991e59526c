package normalize

// The last pass over all text (cleanText): invisible and control
// characters, exotic spaces, separators, "<script" disarmed, NFC.

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Rune classes for cleanText.
const (
	keepRune = iota
	spaceRune
	lineRune
	dropRune
)

func classify(r rune) int {
	switch {
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		// A lone "\r" (old Mac line ends) is a line break too.
		return lineRune
	case r == ' ' || r == '\t' || r == '\u00a0' || r == '\u1680' || (r >= '\u2000' && r <= '\u200a') ||
		r == '\u202f' || r == '\u205f' || r == '\u3000' || r == '\u0085':
		return spaceRune
	case r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' || r == '\u180e':
		// Zero-width space, word joiner, BOM, soft hyphen: invisible, and
		// they split words for every later comparison.
		return dropRune
	case r < ' ' || (r >= 0x7f && r < 0xa0):
		// Control characters.
		return dropRune
	case isBidiControl(r):
		return dropRune
	}
	return keepRune
}

// isBidiControl reports the explicit bidirectional embeddings, overrides
// and isolates (U+202A–U+202E, U+2066–U+2069). They reorder the text
// after them, so a headline can display something else than it says
// ("Invoice\u202Egnp.exe" shows as "Invoiceexe.png"): the "Trojan
// Source" spoof. Text in right-to-left scripts displays correctly without
// them; the marks (U+200E, U+200F, U+061C), which cannot reorder a run,
// are kept.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// cleanText is the last step for all text, in one pass: repair mojibake,
// turn exotic spaces into spaces, drop invisible and control characters,
// trim lines, collapse runs of spaces to one and of blank lines to one
// paragraph break ("\n\n"); then NFC.
func cleanText(s string) string {
	s = repairMojibake(s)
	if !isClean(s) {
		s = cleanRunes(s)
	}
	if d := disarmScript(s); d != s {
		// The "<" it takes out can leave the space after it leading or
		// doubled ("&lt sCript…" came out " sCript…", fuzz): clean again.
		s = d
		if !isClean(s) {
			s = cleanRunes(s)
		}
	}
	if !isNFC(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// isNFC is norm.NFC.IsNormalString, which allocates on every call (its
// input escapes into a closure), asked only when the quick check that
// allocates nothing cannot tell: QuickSpanString(s) == len(s) means s is
// NFC.
func isNFC(s string) bool {
	return norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
}

// isClean reports whether cleanRunes would return s unchanged: no
// leading or trailing separator, every separator a single space, "\n" or
// "\n\n", and every other rune kept as it is (no invalid byte, control,
// invisible or exotic space). Titles, names and the text of plain markup
// mostly are, and skip cleanRunes' copy.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	sep := true // a separator here would be a leading one
	for i := 0; i < len(s); {
		c := s[i]
		if ' ' < c && c < 0x7f {
			sep = false
			i++
			continue
		}
		switch c {
		case ' ':
			if sep || i+1 == len(s) {
				return false
			}
			sep = true
			i++
			continue
		case '\n':
			if sep || i+1 == len(s) {
				return false
			}
			sep = true
			i++
			if s[i] == '\n' {
				i++
			}
			if i == len(s) {
				return false
			}
			continue
		}
		if c < utf8.RuneSelf {
			return false // a control character or DEL
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || classify(r) != keepRune {
			return false
		}
		sep = false
		i += size
	}
	return true
}

// cleanRunes is cleanText's pass over the runes (see there), without
// mojibake repair, script disarming and NFC.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	for i := 0; i < len(s); {
		c := s[i]
		if ' ' < c && c < 0x7f {
			// A run of printable ASCII is kept whole, as the rune loop
			// below would keep it byte by byte, and so is one space
			// between two such bytes, which it would write back as the
			// separator: a paragraph is then one write, not one a word.
			j := i + 1
			for j < len(s) {
				if ' ' < s[j] && s[j] < 0x7f {
					j++
				} else if s[j] == ' ' && j+1 < len(s) && ' ' < s[j+1] && s[j+1] < 0x7f {
					j += 2
				} else {
					break
				}
			}
			if b.Len() > 0 {
				b.WriteString(separator(space, newlines))
			}
			space, newlines = false, 0
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch classify(r) {
		case lineRune:
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			newlines++
			continue
		case spaceRune:
			space = true
			continue
		case dropRune:
			continue
		}
		if b.Len() > 0 {
			b.WriteString(separator(space, newlines))
		}
		space, newlines = false, 0
		switch {
		case size == 1 && c < utf8.RuneSelf:
			b.WriteByte(c)
		case r == utf8.RuneError && size == 1:
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i-size : i])
		}
	}
	return b.String()
}

// separator is what cleanText writes between two kept runs: a
// paragraph break after two line breaks or more, a line break after one,
// else a space after spaces.
func separator(space bool, newlines int) string {
	switch {
	case newlines > 1:
		return "\n\n"
	case newlines == 1:
		return "\n"
	case space:
		return " "
	}
	return ""
}

var scriptRe = regexp.MustCompile(`(?i)<(/?\s*script)`)

// disarmScript removes the '<' of any "<script" left in plain text, which
// can only survive as a deliberate attack (text is decoded until no markup
// remains), so consumers that mistakenly render text as HTML stay safe.
func disarmScript(s string) string {
	if !strings.Contains(s, "<") || !strings.Contains(asciiLower(s), "script") {
		return s
	}
	return scriptRe.ReplaceAllString(s, "$1")
}
