package events

import (
	"unicode/utf8"

	enrichtokens "github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// termsOfField is tokens(dst, text, lang) read from f when f is the split
// of text itself (enrichment's, which may have cut a long text short):
// the words enrichment found instead of a second pass over every rune and
// a second lower-cased copy of the text.
func termsOfField(dst []string, text string, f *enrichtokens.Field, lang string) []string {
	if f == nil || f.Text != text {
		return tokens(dst, text, lang)
	}
	return termsOfSplit(dst, text, f.Tokens, lang)
}

// termsOfSplit is tokens(dst, text, lang) from toks = tokens.Split(text)
// (TestTermsOfSplitAreTokens, FuzzTermsOfSplit). The two tokenizers cut
// words by different rules — enrichment joins words over any hyphen,
// period or apostrophe before a letter and keeps spacing marks (Mc);
// events joins over a decimal or thousands separator, an apostrophe
// before s or t and a hyphen beside a one-letter part — but every letter,
// digit and mark events reads lies in one of enrichment's tokens. So the
// tokens fall into runs that events cannot join across: a run ends where
// the text after a token starts with a rune that ends any events word (no
// term rune, no separator events may join over). A run of one token of
// ASCII letters and digits only — most words — is one events word whose
// lower case enrichment made already; any other run is read by tokens'
// own scan over its span of the text, which starts where no word is open
// and ends where one is cut, as the scan of the whole text would.
func termsOfSplit(dst []string, text string, toks []enrichtokens.Token, lang string) []string {
	for k := 0; k < len(toks); {
		j := k
		for j+1 < len(toks) && !endsWords(text, toks[j].End) {
			j++
		}
		if j == k && plainASCII(toks[k].Text) {
			dst = appendTerm(dst, toks[k].Lower, lang)
		} else {
			dst = scanTerms(dst, text, toks[k].Start, toks[j].End, lang, "", false, toks[k:j+1])
		}
		k = j + 1
	}
	return dst
}

// endsWords reports whether the rune at text[i] ends any word tokens
// reads: it is no term rune and none of the separators tokens may keep
// inside a word.
func endsWords(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r := rune(text[i])
	if r >= utf8.RuneSelf {
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	switch r {
	case '.', ',', '\'', '’', '-':
		return false
	}
	return !isTermRune(r)
}

// plainASCII reports whether w is ASCII letters and digits only.
func plainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf || !asciiTerm[w[i]] {
			return false
		}
	}
	return true
}

// isASCII reports whether w is ASCII only: its lower case is then a
// byte for each of its bytes.
func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
