package events

import (
	"net/url"
	"strings"
)

// slugWords returns the words of a link's slug — the path segment made of
// the most words joined by hyphens or underscores — separated by spaces,
// or "" when the link has no segment of at least minSlugWords such words.
// A word is a run of letters: pieces holding digits are dates, ids and
// hashes ("20140310", "idINL2N0M70ZW20140310", "fe82b271"), not words.
func slugWords(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	best, bestN := "", 0
	for seg := range strings.SplitSeq(u.Path, "/") {
		if i := strings.LastIndexByte(seg, '.'); i > 0 {
			seg = seg[:i] // .html, .story, .cms
		}
		n := 0
		for w := range strings.FieldsFuncSeq(seg, isSlugSep) {
			if slugWord(w) {
				n++
			}
		}
		if n > bestN {
			best, bestN = seg, n
		}
	}
	if bestN < minSlugWords {
		return ""
	}
	var b strings.Builder
	for w := range strings.FieldsFuncSeq(best, isSlugSep) {
		if slugWord(w) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// minSlugWords is how many words make a segment a slug: fewer are a
// section ("business", "world-news") or a name.
const minSlugWords = 3

func isSlugSep(r rune) bool { return r == '-' || r == '_' || r == '+' || r == ',' || r == '.' }

// slugWord: three or more ASCII letters.
func slugWord(w string) bool {
	if len(w) < 3 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
