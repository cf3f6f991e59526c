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
	if !hasMojibakeLead(s) {
		return s
	}
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

func hasMojibakeLead(s string) bool {
	for _, r := range s {
		if r >= 0xc2 && r <= 0xf4 {
			return true
		}
	}
	return false
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
