package topics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSmallWords stay lowercase inside a title ("Lord of the Rings").
var titleSmallWords = map[string]bool{"a": true, "an": true, "and": true, "at": true, "by": true, "for": true, "from": true, "in": true, "of": true, "on": true, "or": true, "the": true, "to": true, "with": true}

// quotesAWork reports whether an English headline quotes the title of a
// work — a film, show, book, song or game: "Zac Efron's 'Neighbors'
// tops the box office", "First look at the 'Mean Girls' reunion". English
// headlines put such titles in quotes and capitalise their words; in a
// headline that is itself in title case every quoted phrase is
// capitalised, so only a sentence-case headline (a lowercase word of four
// letters or more outside the quotes) says anything. A quote that reads as
// speech — ending in punctuation, or with a lowercase word — is no title.
func quotesAWork(headline string) bool {
	var buf [4]quoted
	spans := quotedSpans(headline, buf[:0])
	if len(spans) == 0 {
		return false // most headlines
	}
	var outside strings.Builder
	at := 0
	for _, q := range spans {
		outside.WriteString(headline[at:q.start])
		outside.WriteByte(' ')
		at = q.end
	}
	outside.WriteString(headline[at:])
	if !sentenceCase(outside.String()) {
		return false
	}
	for _, q := range spans {
		if titleCase(headline[q.from:q.to]) {
			return true
		}
	}
	return false
}

// sentenceCase reports a lowercase word of four letters or more in s.
func sentenceCase(s string) bool {
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		if len(r) >= 4 && unicode.IsLower(r[0]) {
			return true
		}
	}
	return false
}

// quoted is a span in quotes that stand at word boundaries, [start, end),
// with what the quotes hold, [from, to).
type quoted struct{ start, end, from, to int }

// quotedSpans appends the spans the regular expression
//
//	(?:^|[\s:(\[])['‘"“]([^'‘’"“”]{1,60}?)['’"”](?:$|[\s,.:;!?)\]])
//
// finds in s, left to right without overlap, as FindAllStringSubmatchIndex
// gives them: an opening quote at the start or after ASCII white space, a
// colon or an opening bracket (which the span includes), one to sixty
// characters that are no quote, a closing quote, then the end or one of
// the characters after it (included). An apostrophe inside a word ("Zac's")
// opens none. Since the quoted text holds no quote, the first quote after
// the opening one is the only one that can close it: lazy or not, there
// is one candidate per opening.
//
// It visits the opening quotes only (an ASCII quote, or the first byte of
// "‘" or "“"), and tries a span where the byte before one may lead it:
// most headlines hold none, and a scan that asked of every byte whether
// it leads a span read all of each.
func quotedSpans(s string, spans []quoted) []quoted {
	next := 0 // spans do not overlap: the next one starts here or later
	for open := 0; open < len(s); open++ {
		if c := s[open]; c != '\'' && c != '"' && c != 0xE2 {
			continue
		}
		var q quoted
		ok := false
		switch {
		case open == 0:
			q, ok = quotedAt(s, 0, 0) // "^" is tried first, and only there
		case open-1 >= next && isQuoteLead(s[open-1]):
			q, ok = quotedAt(s, open-1, open)
		}
		if ok {
			spans = append(spans, q)
			next, open = q.end, q.end
		}
	}
	return spans
}

// quotedAt is the span starting at start whose opening quote is at open.
func quotedAt(s string, start, open int) (quoted, bool) {
	var n int
	switch {
	case open >= len(s):
		return quoted{}, false
	case s[open] == '\'' || s[open] == '"':
		n = 1
	case strings.HasPrefix(s[open:], "‘") || strings.HasPrefix(s[open:], "“"):
		n = len("‘")
	default:
		return quoted{}, false
	}
	from := open + n
	i, chars := from, 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(`'‘’"“”`, r) {
			if r == '‘' || r == '“' || chars == 0 {
				return quoted{}, false // no closing quote, or nothing quoted
			}
			end := i + w
			if end < len(s) {
				if strings.IndexByte(" \t\n\f\r,.:;!?)]", s[end]) < 0 {
					return quoted{}, false
				}
				end++
			}
			return quoted{start, end, from, i}, true
		}
		if chars++; chars > 60 {
			return quoted{}, false
		}
		i += w
	}
	return quoted{}, false
}

// isQuoteLead reports a byte after which a quote can open a span.
func isQuoteLead(c byte) bool { return strings.IndexByte(" \t\n\f\r:([", c) >= 0 }

// titleCase reports whether s is one to six words, each capitalised
// (or a digit) but for small words after the first, ending in no
// punctuation.
func titleCase(s string) bool {
	if strings.ContainsAny(s[len(s)-1:], "!?.,") {
		return false
	}
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 6 {
		return false
	}
	for i, w := range ws {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && (i == 0 || !titleSmallWords[w]) {
			return false
		}
	}
	return true
}
