package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// withoutWireTag reads a headline that opens with a wire service's tag
// glued to it by a hyphen ("HIGHLIGHTS-Bank of England's Carney …",
// "UPDATE 3-Pizza chain Sbarro files …", "US STOCKS-Wall Street edges
// …", "RPT-Mt. Gox files …"; issue 15, round 31) as the tag and a colon:
// the hyphen glued the tag's last word and the headline's first into one
// token, which hid a name ("HIGHLIGHTS-Bank of England" read as England
// alone) or made a wrong one ("STOCKS-Wall Street"). A headline's colon
// tag ("MARKET ANALYSIS: …") is already read as a tag. The tag's words
// that name nothing are read as spaces (see tagWord). The tag is words
// in capitals or a number, its last word before the hyphen a number or a
// word in capitals of three letters or more that is an ordinary word or
// a wire's code ("UPDATE 1", "GLOBAL MARKETS", "REFILE") — not a name
// joined to another ("NATO-Russia council", "US-China talks", "EU-Turkey
// deal"). The text keeps its length, so every offset stays the field's.
func withoutWireTag(f tokens.Field) tokens.Field {
	h := wireTagHyphen(f.Text)
	if h < 0 {
		return f
	}
	b := []byte(f.Text)
	b[h] = ':'
	for at := 0; at < h; {
		end := strings.IndexByte(f.Text[at:h], ' ')
		if end < 0 {
			end = h - at
		}
		if w := f.Text[at : at+end]; tagWord(w) {
			for k := at; k < at+end; k++ {
				b[k] = ' '
			}
		}
		at += end + 1
	}
	return tokens.NewField(string(b))
}

// tagWord is a word of a wire tag that names nothing: a number, a wire's
// code, or an ordinary word of three letters or more ("UPDATE",
// "GLOBAL", "MARKETS"); a tag's "US" or "ECB" still names its place or
// body.
func tagWord(w string) bool {
	return allDigits(w) || wireCodes[w] || len(w) >= 3 && commonWord(strings.ToLower(w))
}

// wireTagHyphen is the index of the hyphen that ends a headline's wire
// tag (see withoutWireTag), or -1.
func wireTagHyphen(s string) int {
	h := strings.IndexByte(s, '-')
	if h < 2 || h+1 >= len(s) || s[h+1] == ' ' || s[h+1] == '-' {
		return -1
	}
	words := strings.Split(s[:h], " ")
	for _, w := range words {
		if w == "" || !(allCapitals(w) || allDigits(w)) {
			return -1
		}
	}
	last := words[len(words)-1]
	switch {
	case allDigits(last):
		if len(words) < 2 || len(last) > 2 || allDigits(words[0]) {
			return -1 // "2012-13 Jeep …" is a span of years
		}
	case len(last) < 3:
		return -1
	case !tagWord(last):
		return -1
	}
	return h
}

// wireCodes are wire services' tags that are no English word.
var wireCodes = set(`RPT REFILE WRAPUP CORRECTED`)

func allCapitals(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return len(w) >= 2
}
