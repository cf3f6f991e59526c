package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// regnalTitles are the titles a regnal number follows the name of:
// royalTitles, a pope's and an emperor's ("Pope Benedict XVI", "Emperor
// Napoleon III").
var regnalTitles = set(`prince princess king queen duke duchess pope emperor empress tsar czar`)

// regnalNumeral: t is a regnal number in capitals, possessive or not:
// "II" to "XXXIX" in roman digits as numbers are written ("VIII", "XIV";
// not "IIII", "VV"), or "I", "V", "X" alone where alone says so.
func regnalNumeral(t tokens.Token, alone bool) bool {
	s := stripPossessive(t.Text)
	if len(s) == 1 {
		return alone && (s == "I" || s == "V" || s == "X")
	}
	s = strings.TrimLeft(s, "X")
	if len(t.Text)-len(s) > 3 && !possessive(t.Text) || len(s) > 4 {
		return false
	}
	switch s {
	case "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX":
		return len(stripPossessive(t.Text)) >= 2
	}
	return false
}

// regnalName returns where a name with its regnal number stands in the
// run c: from, the title's index or the name's first word; at, the
// name's first word; end, one past the number. A regnal title and one or
// two given names before it ("Queen Elizabeth II", "King Juan Carlos I"),
// or with no title a given name ("Napoleon III", "Henry VIII") or two
// words no dictionary holds ("Frasier Robinson III"): the number is the
// person's, not a sequel's, a war's or a model's ("World War II", "Galaxy
// Note III"). ok is false for none.
func regnalName(c []tokens.Token) (from, at, end int, ok bool) {
	for j := 1; j < len(c); j++ {
		// "I" alone is a number only two or three words after a title
		// ("King Juan Carlos I")
		afterTitle := j >= 2 && regnalTitles[foldTok(c[j-2])] || j >= 3 && regnalTitles[foldTok(c[j-3])]
		if !regnalNumeral(c[j], afterTitle) {
			continue
		}
		for n := 2; n >= 1; n-- { // the longer name first: "Frasier Robinson III", not "Robinson III"
			if j-n < 0 {
				continue
			}
			at := j - n
			titled := at > 0 && regnalTitles[foldTok(c[at-1])] && !possessive(c[at-1].Text)
			if !regnalWords(c[at:j]) || len(stripPossessive(c[j].Text)) == 1 && !titled {
				continue
			}
			given := knownGivenName(foldTok(c[at]))
			if !given && !(n == 2 && !titled && !commonWord(foldTok(c[at])) && !commonWord(foldTok(c[at+1]))) {
				continue
			}
			from := at
			if titled {
				from = at - 1
			}
			return from, at, j + 1, true
		}
	}
	return 0, 0, 0, false
}

// regnalWords: the words of a name before its regnal number, each
// capitalised as a name is, none a possessive, a number or an ordinary
// word other than a given name ("Star Wars VII", "Galaxy Note III").
func regnalWords(c []tokens.Token) bool {
	for _, t := range c {
		f := foldTok(t)
		if !t.Capitalized() || t.AllCaps() || possessive(t.Text) || hasDigit(t.Text) || commonWord(f) && !knownGivenName(f) {
			return false
		}
	}
	return true
}

// regnalPerson appends the mentions of a run that holds a name with its
// regnal number (regnalName): the words before it read as a run of their
// own, the person keyed by the name and the number without the title
// ("person:elizabeth_ii", as the gazetteer's "person:charles_iii"), or the
// gazetteer's entry where it knows the name, and the words after it —
// in a title-case headline only the names the lists know, as after a
// subject's verb ("Queen Elizabeth II Opens Parliament").
func (x *Extractor) regnalPerson(dst []mention, c []tokens.Token, prev, next *tokens.Token, ofPlace, listedPerson, inTitle, guarded, shouting bool, lang string) ([]mention, bool) {
	from, at, end, ok := regnalName(c)
	if !ok {
		return dst, false
	}
	out := dst
	if from > 0 {
		out = x.chunk(out, c[:from], prev, &c[from], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
	}
	// the gazetteer's entry by the title and name, else by the name alone
	e := x.gaz.lookup(c[from:end], shouting)
	if (e == nil || e.kind != Person) && at != from {
		e = x.gaz.lookup(c[at:end], shouting)
	}
	if e != nil && e.kind == Person {
		out = append(out, mention{kind: Person, e: e, name: e.name, inTitle: inTitle})
	} else {
		out = append(out, mention{kind: Person, name: stripPossessive(joinText(c[at:end])), toks: folds(c[at:end]), inTitle: inTitle, cued: true})
	}
	if end == len(c) {
		return out, true
	}
	if guarded {
		return x.knownAfterVerb(out, c[end:], inTitle, shouting), true
	}
	return x.chunk(out, c[end:], nil, next, false, false, inTitle, guarded, shouting, lang), true
}
