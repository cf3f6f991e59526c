package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// titleSmallWords are the words a work's title keeps in lower case
// between its capitalised ones ("House of Cards", "Game of Thrones",
// "Pirates of the Caribbean", "War and Peace").
var titleSmallWords = set(`of and the a an in on to for at with from`)

// quotedWork reports whether the run ts[i:j] is wholly inside quotes and
// keeps a title's small word inside it: "'House of Cards' Comes to
// Comcast Store" names a show, which no label set counts, where the head
// word alone ("House") would make it a body. The caller asks the
// gazetteer first, so a known body in quotes stays one ("the 'Bank of
// England'"); a quoted name without a small word ("'Divergent'", "'Jihadi
// John'") is left to the other rules.
func quotedWork(text string, ts []tokens.Token, i, j int) bool {
	if j-i < 3 || !openQuoteBefore(text, ts[i].Start) || !closeQuoteAfter(text, ts[j-1].End) {
		return false
	}
	for _, t := range ts[i+1 : j-1] {
		if titleSmallWords[t.Lower] {
			return true
		}
	}
	return false
}

// openQuotes and closeQuotes are the quotes that open and close a quoted
// name: straight, and typographic single and double (nickname's too).
var (
	openQuotes  = []string{"'", "\"", "\u2018", "\u201c"}
	closeQuotes = []string{"'", "\"", "\u2019", "\u201d"}
)

// openQuoteBefore: a quote right before byte at, itself at the text's
// start or after a space or a bracket (so no apostrophe inside a word).
func openQuoteBefore(text string, at int) bool {
	for _, q := range openQuotes {
		if strings.HasSuffix(text[:at], q) {
			k := at - len(q)
			return k == 0 || strings.ContainsAny(text[k-1:k], " ([")
		}
	}
	return false
}

// closeQuoteAfter: a closing quote right at byte at.
func closeQuoteAfter(text string, at int) bool {
	rest := text[at:]
	return slices.ContainsFunc(closeQuotes, func(q string) bool { return strings.HasPrefix(rest, q) })
}
