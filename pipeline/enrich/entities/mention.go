package entities

import (
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// The mention a run of text yields before coreference, the token tests
// every rule asks (a caseless script, a word that may be a name, a
// title-case headline), and the gazetteer's longest match.

// mention is one recognised name in the text, before coreference.
type mention struct {
	kind    string // Person, Organization, Place, or "" for a bare capitalised word awaiting coreference
	e       *entry // set when the gazetteer knows it
	name    string // surface form with titles stripped
	toks    []string
	inTitle bool
	female  bool // a female title preceded it
	cued    bool // a title or speech verb marks it as a person
	place   bool // a preposition ("in", "near") marks it as a place
	listOrg bool // listed with an organization ("Huawei, Lenovo and ZTE")
	club    bool // a football story's city its words make a club ("beat Cardiff"): see clubsOfTowns
	shape   bool // an unknown acronym or camel-case word, an organization by its shape alone: see dropSpecTerms
	product bool // a camel-case shape the story calls a product where it stands: see dropProducts
	maiden  bool // a name one was born with ("the former Michelle Robinson"): see mergeMaidenNames
	// opener: a title-case run read as this body may open on a person
	// the stream knows, its first word or its first two (see
	// personOpeningBody); resolve asks the alias map, in stream order
	opener openerWords
	// givenSubject: a sentence's first word, a given name before a verb,
	// guessed a person (givenNameSubject: "Lindsay starts soft on OWN",
	// but also "Christian leaders gather"); a guess, which teaches the
	// alias map no one-name star (resolve)
	givenSubject bool
}

// caseless reports whether a token's script has no letter case (Arabic,
// Hebrew, CJK): there, only the gazetteer can find names.
func caseless(t tokens.Token) bool {
	if t.Text != "" && t.Text[0] < utf8.RuneSelf {
		return false // an ASCII letter has a case; anything else is no letter
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r)
}

// nameLike: a token that may be part of a name.
func nameLike(t tokens.Token) bool {
	return (t.Capitalized() || particleName(t)) && !contraction(t)
}

// titleCase reports whether most words of a headline are capitalised
// ("Apple Releases iOS 7.1 Update") or in capitals: then capitals say
// little, and only the gazetteer and strong cues are trusted.
func titleCase(ts []tokens.Token) bool {
	content, caps := 0, 0
	for _, t := range ts {
		if len(t.Lower) <= 3 && stopwords.IsAny(t.Lower) {
			continue
		}
		content++
		if t.Capitalized() {
			caps++
		}
	}
	return content >= 3 && caps*10 >= content*7
}

// longest returns the gazetteer entry with the longest alias at the start of ts.
func (x *Extractor) longest(ts []tokens.Token, caseRule bool) (*entry, int) {
	if len(ts) == 0 {
		return nil, 0
	}
	// no form begins with the first word: no length can match; none longer
	// than the longest that does
	n, noted := startLenFact(ts[0])
	if noted && n == 0 {
		return nil, 0 // most words: readWords noted that no form starts so
	}
	f := foldTok(ts[0])
	if !noted {
		n = x.gaz.startLenOf(f)
	}
	n = min(len(ts), n)
	if n == 0 {
		return nil, 0
	}
	// Each length's key is a prefix of the longest's: the words are
	// folded once, not once per length tried.
	var buf [128]byte
	var endsBuf [16]int
	key, ends := append(buf[:0], f...), endsBuf[:0]
	ends = append(ends, len(key))
	for _, t := range ts[1:n] {
		key = append(key, ' ')
		key = append(key, foldTok(t)...)
		ends = append(ends, len(key))
	}
	cl := caseless(ts[0]) || caseRule
	for l := n; l >= 1; l-- {
		if e := x.gaz.lookupKey(ts[:l], key[:ends[l-1]], cl); e != nil {
			return e, l
		}
	}
	return nil, 0
}
