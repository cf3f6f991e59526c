package topics

import (
	"regexp"
	"strings"
	"unicode"
)

// quotedSpan is a span in quotes that stand at word boundaries: an
// apostrophe inside a word ("Zac's") opens none.
var quotedSpan = regexp.MustCompile(`(?:^|[\s:(\[])['‘"“]([^'‘’"“”]{1,60}?)['’"”](?:$|[\s,.:;!?)\]])`)

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
	if !mayOpenQuote(headline) {
		return false // most headlines: quotedSpan cannot match
	}
	// One pass finds the spans; the text outside them is what
	// ReplaceAllString(headline, " ") would leave.
	spans := quotedSpan.FindAllStringSubmatchIndex(headline, -1)
	var outside strings.Builder
	at := 0
	for _, m := range spans {
		outside.WriteString(headline[at:m[0]])
		outside.WriteByte(' ')
		at = m[1]
	}
	outside.WriteString(headline[at:])
	if !sentenceCase(outside.String()) {
		return false
	}
	for _, m := range spans {
		if titleCase(headline[m[2]:m[3]]) {
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

// mayOpenQuote reports whether s has an opening quote where quotedSpan can
// start a match: a ' " ‘ or “ at the start or after ASCII white space, a
// colon or an opening bracket. Without one, the regexp finds nothing.
func mayOpenQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'' || s[i] == '"':
		case s[i] == 0xe2 && (strings.HasPrefix(s[i:], "‘") || strings.HasPrefix(s[i:], "“")):
		default:
			continue
		}
		if i == 0 || strings.IndexByte(" \t\n\f\r:([", s[i-1]) >= 0 {
			return true
		}
	}
	return false
}

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
