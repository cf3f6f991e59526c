package normalize

import (
	"strings"
	"unicode/utf8"
)

// cp1252 maps the runes of Windows-1252's 0x80–0x9F block back to bytes;
// Latin-1 runes map to themselves.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
	'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

func cp1252Byte(r rune) (byte, bool) {
	if r >= 0x80 && r <= 0xff {
		return byte(r), true
	}
	b, ok := cp1252[r]
	return b, ok
}

// repairMojibake fixes UTF-8 that was decoded as Windows-1252 or Latin-1
// ("Ã©" for "é", "â€™" for "’"). It rewrites only a run of such runes
// whose bytes form valid multi-byte UTF-8, which real text in those
// scripts practically never does (a lead byte such as "Ã" followed by the
// exact continuation bytes).
func repairMojibake(s string) string {
	if !mayHoldMojibake(s) {
		return s
	}
	return rewriteMojibake(s)
}

// rewriteMojibake is repairMojibake without the check that spares text
// it would not change.
func rewriteMojibake(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); {
		lead, ok := cp1252Byte(rs[i])
		n := utf8SeqLen(lead)
		if !ok || n < 2 || i+n > len(rs) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		buf := [4]byte{lead}
		good := true
		for j := 1; j < n; j++ {
			c, ok := cp1252Byte(rs[i+j])
			if !ok || c < 0x80 || c > 0xbf {
				good = false
				break
			}
			buf[j] = c
		}
		if good {
			if r, size := utf8.DecodeRune(buf[:n]); r != utf8.RuneError && size == n {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// mayHoldMojibake reports whether repairMojibake could change s: a rune
// that stands for a lead byte (U+00C2–U+00F4, in UTF-8 C3 82–C3 B4) right
// before one that stands for a continuation byte, or invalid UTF-8 (which
// the rewrite turns into U+FFFD) beside any such lead. Accented letters
// alone ("é" is C3 A9) are leads: text in most European languages held
// them, and each such field was decoded to runes and written again.
func mayHoldMojibake(s string) bool {
	lead := false
	for i := strings.IndexByte(s, 0xc3); i >= 0; {
		if i+1 < len(s) && s[i+1] >= 0x82 && s[i+1] <= 0xb4 {
			lead = true
			r, _ := utf8.DecodeRuneInString(s[i+2:])
			if c, ok := cp1252Byte(r); ok && c >= 0x80 && c <= 0xbf {
				return true
			}
		}
		j := strings.IndexByte(s[i+1:], 0xc3)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return lead && !utf8.ValidString(s)
}

func utf8SeqLen(b byte) int {
	switch {
	case b >= 0xc2 && b <= 0xdf:
		return 2
	case b >= 0xe0 && b <= 0xef:
		return 3
	case b >= 0xf0 && b <= 0xf4:
		return 4
	}
	return 0
}
