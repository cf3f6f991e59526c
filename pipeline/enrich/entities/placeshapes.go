package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// The words around a name that make it a place: a compass region, a
// place noun or "in" and a known place after it, "based" after it, a
// house number before it, a lower-case sea or river after it.

// continents are the places whose compass regions have names of their
// own ("East Asia", "North Africa", "Western Europe"): a compass word
// before any other place names a part of it ("southern Indian Ocean").
var continents = set(`place:asia place:africa place:europe`)

// compassWords open a region of a known place: "East Asia", "Northern
// California", "Southeast Asia".
var compassWords = set(`north south east west northeast northwest southeast southwest northern southern eastern western
central`)

// placeNounsAfter after a bare name in lower case make it a place ("Kyushu
// island", "Helmand province", "Miyagi prefecture").
var placeNounsAfter = set(`island province prefecture county region district`)

// placeAfter reports whether the words from ts[j] make the bare name
// before them a place: a place noun in lower case, or "in", perhaps a
// region's adjective, and a place the gazetteer knows ("Kandahar in
// southern Afghanistan").
func (x *Extractor) placeAfter(ts []tokens.Token, j int, shouting bool) bool {
	if j >= len(ts) || ts[j].Break || !lowerWord(ts[j]) {
		return false
	}
	if placeNounsAfter[ts[j].Lower] {
		return true
	}
	if ts[j].Lower != "in" {
		return false
	}
	k := j + 1
	if k < len(ts) && lowerWord(ts[k]) && compassWords[ts[k].Lower] {
		k++
	}
	if k >= len(ts) || ts[k].Break || !ts[k].Capitalized() {
		return false
	}
	e, _ := x.longest(ts[k:], shouting)
	return e != nil && e.kind == Place && !e.weak
}

// basedAfter reports whether "based" follows a name at ts[j], written
// apart ("Port Blair based forces"), and a word of the thing based
// there after it; not a verb's "based" ("Smith based his claim on").
func basedAfter(ts []tokens.Token, j int, lang string) bool {
	return j+1 < len(ts) && ts[j].Text == "based" && !ts[j].Break && !ts[j+1].Break && !stopwords.Is(lang, ts[j+1].Lower)
}

// houseNumber reports whether "at" and a number of one to five digits
// come right before ts[i], as in a street address ("at 1617 S.
// Beretania", "at 10 Downing Street").
func houseNumber(ts []tokens.Token, i int) bool {
	if i < 2 || ts[i].Break || ts[i-1].Break || ts[i-2].Lower != "at" || len(ts[i-1].Text) > 5 {
		return false
	}
	return allDigits(ts[i-1].Text)
}

// streetName: a run after a house number that may be a street's name:
// not opening with capitals (a time zone, "0600 GMT") or a sentence
// word ("In"), nor one ordinary word ("Overall").
func streetName(c []tokens.Token) bool {
	f := foldTok(c[0])
	return !c[0].AllCaps() && !capStop[f] && !(len(c) == 1 && commonWord(f))
}

// waterNoun: w, written in lower case after a place's name, makes a
// feature named from it ("the Indian ocean", "the Mississippi river"),
// which the gazetteer may know by the whole form; the ones in seaNouns
// name a sea whether or not it does ("the Arabian sea" is no Saudi
// Arabia). A switch, not a map: waterBody asks it after every run.
func waterNoun(w string) bool {
	switch w {
	case "ocean", "sea", "gulf", "bay", "strait", "straits", "river", "lake", "channel", "canal", "peninsula", "desert":
		return true
	}
	return false
}

var seaNouns = set(`ocean sea`)

// waterBody reads a known place followed by a lower-case geographic noun
// as the feature that place names, not the place: "southern Indian
// ocean" is the Indian Ocean, not India. A sea the gazetteer does not
// know by its whole form needs "the" or a compass word before it, since
// a place is also an adjective before a noun ("India sea ports").
func (x *Extractor) waterBody(prev *tokens.Token, c []tokens.Token, next *tokens.Token, inTitle, shouting bool) (mention, bool) {
	if next == nil || next.Capitalized() || !waterNoun(next.Lower) {
		return mention{}, false
	}
	whole := append(c[:len(c):len(c)], *next)
	if e := x.gaz.lookup(whole, shouting); e != nil && e.kind == Place {
		return mention{kind: Place, e: e, name: e.name, inTitle: inTitle}, true
	}
	named := prev != nil && (prev.Lower == "the" || compassWords[prev.Lower])
	if e := x.gaz.lookup(c, shouting); e != nil && e.kind == Place && seaNouns[next.Lower] && named {
		return mention{kind: Place, name: joinText(whole), toks: folds(whole), inTitle: inTitle}, true
	}
	return mention{}, false
}

const washingtonState = "Washington state"

// apStates are AP style's abbreviations of US states longer than two
// letters, written after a town and a comma ("Madison, Wis.", "Flint,
// Mich."): the state. Left out are those that spell a word or a title
// too (Del., Ind., La., Miss., Mo., Mont., Pa., Va., Ga.).
var apStates = map[string]string{
	"Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
	"Conn": "Connecticut", "Fla": "Florida", "Ill": "Illinois", "Kan": "Kansas", "Ky": "Kentucky",
	"Md": "Maryland", "Mass": "Massachusetts", "Mich": "Michigan", "Minn": "Minnesota", "Neb": "Nebraska",
	"Nev": "Nevada", "Okla": "Oklahoma", "Ore": "Oregon", "Tenn": "Tennessee", "Vt": "Vermont",
	"Wash": washingtonState, "Wis": "Wisconsin", "Wyo": "Wyoming",
}

// apStateAfterTown returns the state an AP abbreviation at ts[i] (the
// run ts[i:j], one word) names: written with its dot, after a comma and
// a capitalised word ("Madison, Wis."), as AP style places a town. The
// gazetteer has no "Washington state": "Wash." is named as "in
// Washington state" is (lowerStateAfter), not looked up.
func (x *Extractor) apStateAfterTown(text string, ts []tokens.Token, i, j int, inTitle bool) (mention, bool) {
	// the dot after the word first: most one-word runs have none, told
	// before the map of abbreviations
	if j != i+1 || i == 0 || !strings.HasPrefix(text[ts[i].End:], ".") {
		return mention{}, false
	}
	name, ok := apStates[ts[i].Text]
	if !ok || strings.TrimSpace(text[ts[i-1].End:ts[i].Start]) != "," || !ts[i-1].Capitalized() {
		return mention{}, false
	}
	if name == washingtonState {
		return mention{kind: Place, name: "Washington State", toks: []string{"washington", "state"}, inTitle: inTitle}, true
	}
	e := x.gaz.lookup(tokens.Split(name), false)
	if e == nil {
		return mention{}, false
	}
	return mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle}, true
}
