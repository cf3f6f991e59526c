package events

import "strings"

// slugWords appends to dst the words of a link's slug — the path segment
// made of the most words joined by hyphens or underscores, the last of
// equals (a section comes before the story: /science-and-technology/
// new-phone-launched-today is about the phone) — or nothing
// when the link has no segment of at least minSlugWords such words. A
// word is a run of letters: pieces holding digits are dates, ids and
// hashes ("20140310", "idINL2N0M70ZW20140310", "fe82b271"), not words.
// The words are slices of link.
//
// It scans bytes: every separator is ASCII and a word is ASCII letters,
// so a byte scan cuts where strings.FieldsFunc over runes would (a
// multi-byte or invalid sequence is never a separator) without its
// per-rune decoding and calls; slugWordsFields in the tests is the
// definition it is checked against.
func slugWords(dst []string, link string) []string {
	best, bestN := "", 0
	rest := linkPath(link)
	for {
		seg, tail, more := strings.Cut(rest, "/")
		if i := strings.LastIndexByte(seg, '.'); i > 0 && !strings.ContainsAny(seg[i:], "-_") {
			seg = seg[:i] // .html, .story, .cms; not the ".1-lands-with" of "ios-7.1-lands-with"
		}
		if n := countSlugWords(seg); n >= bestN {
			best, bestN = seg, n
		}
		if !more {
			break
		}
		rest = tail
	}
	if bestN < minSlugWords {
		return dst
	}
	for start := 0; start < len(best); {
		end := start
		for end < len(best) && !isSlugSepByte(best[end]) {
			end++
		}
		if w := best[start:end]; slugWord(w) {
			dst = append(dst, w)
		}
		start = end + 1
	}
	return dst
}

// countSlugWords is how many of seg's pieces between separators are slug
// words.
func countSlugWords(seg string) int {
	n, start := 0, 0
	for i := 0; i <= len(seg); i++ {
		if i == len(seg) || isSlugSepByte(seg[i]) {
			if slugWord(seg[start:i]) {
				n++
			}
			start = i + 1
		}
	}
	return n
}

// linkPath is the path of an absolute link, without its query and
// fragment: what url.Parse would give, escapes left as they are (a piece
// with an escape holds digits, so it is no word), without its allocations.
func linkPath(link string) string {
	scheme, rest, ok := strings.Cut(link, "://")
	if !ok || !isScheme(scheme) {
		return "" // not absolute: the "://" is in a path or query
	}
	i := strings.IndexAny(rest, "/?#")
	if i < 0 || rest[i] != '/' {
		return "" // a host alone
	}
	rest = rest[i:]
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// isScheme: a URL scheme's letters, digits, "+", "-" and ".", after a letter.
func isScheme(s string) bool {
	if s == "" || (s[0]|0x20) < 'a' || (s[0]|0x20) > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// minSlugWords is how many words make a segment a slug: fewer are a
// section ("business", "world-news") or a name.
const minSlugWords = 3

func isSlugSepByte(c byte) bool { return c == '-' || c == '_' || c == '+' || c == ',' || c == '.' }

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

// LinkWords is the words of link's slug as the clusterer reads them
// (slugWords), for evaluation.
func LinkWords(link string) []string { return slugWords(nil, link) }
