package entities

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// givenNamesText is lexicon/given-names.txt: given names from the US
// Social Security Administration's baby-names files (public domain),
// written by gen_names.go; its header says which.
//
//go:embed lexicon/given-names.txt
var givenNamesText string

// surnameWordsText is lexicon/surname-words.txt: the 1990 US census's
// surnames (public domain) that are also ordinary words ("white",
// "rust"), written by gen_names.go.
//
//go:embed lexicon/surname-words.txt
var surnameWordsText string

var (
	listedOnce   sync.Once
	listed       map[string]bool
	ordinary     map[string]bool
	surnameWords map[string]bool
)

// loadListed keeps the list's names that say a name by their capital
// alone: not an ordinary word ("will", "hope", "chase", "warren"), no
// word that opens sentences or names a month ("may"), and none the hand
// list givenNames already holds (which the rules ask first).
func loadListed() {
	listed = make(map[string]bool, 6000)
	ordinary = make(map[string]bool, 400)
	for _, w := range strings.Split(givenNamesText, "\n") {
		if w == "" || w[0] == '#' || givenNames[w] || capStop[w] || acronymStop[w] {
			continue
		}
		if commonWord(w) {
			ordinary[w] = true
			continue
		}
		listed[w] = true
	}
	surnameWords = make(map[string]bool, 4700)
	for _, w := range strings.Split(surnameWordsText, "\n") {
		if w != "" && w[0] != '#' {
			surnameWords[w] = true
		}
	}
}

// surnameWord reports whether the folded ordinary word is a surname too
// ("white", "wright"; not "nebula" nor "improvements").
func surnameWord(f string) bool {
	listedOnce.Do(loadListed)
	return surnameWords[f]
}

// listedGivenName reports whether the folded word is a given name of
// the generated list that is no ordinary word (see loadListed).
func listedGivenName(f string) bool {
	listedOnce.Do(loadListed)
	return listed[f]
}

// ordinaryGivenName reports whether the folded word is a given name of
// the generated list that is an ordinary word too ("hunter", "grace"):
// no name by its capital alone, but one before a known surname.
func ordinaryGivenName(f string) bool {
	listedOnce.Do(loadListed)
	return ordinary[f]
}

// firstName reports whether t opens a person's name by itself: a given
// name of the hand list, or one of the generated list that the gazetteer
// does not claim ("Mathias"; not "Paris", "Jordan" or "Isis", which the
// gazetteer knows as a place or a body). A one-word brand, which yields to
// a person anyway, claims none ("Arlo White", not the cameras).
func (x *Extractor) firstName(t tokens.Token) bool {
	f := foldTok(t)
	if givenNames[f] {
		return true
	}
	if !listedGivenName(f) {
		return false
	}
	// Asked of the form whatever its case: "Isis" is the ISIS the
	// gazetteer knows in capitals.
	a, ok := x.gaz.byForm[f]
	return !ok || a.e.weak && a.e.kind == Organization
}

// listedFirst: the run opens with a given name of the generated list
// (firstName) and, where its last word is an ordinary word too, that
// word is a surname: "Arlo White", "Mathias Rust", but not "Orion Nebula"
// nor "Siri Improvements", which the SSA's list would otherwise make
// persons, nor "Winfield House" or "Jackson Hole", whose last word ends a
// building's, a venue's or a place's name. A word between the first and
// the last is a given name, an initial or a word no dictionary holds
// ("Thaddeus J. Wolf", "Marisol Ana Gates"): a dictionary word there
// makes a venue's or a brand's name ("Madison Square Garden", "Kelley
// Blue Book", "Harvey Milk Plaza").
func (x *Extractor) listedFirst(c []tokens.Token) bool {
	if len(c) < 2 || !x.firstName(c[0]) {
		return false
	}
	last := foldTok(c[len(c)-1])
	if buildingEnds[last] {
		return false
	}
	for _, t := range c[1 : len(c)-1] {
		f := foldTok(t)
		if commonWord(f) && !isInitial(t) && !personConnectors[t.Lower] && !givenNames[f] && !listedGivenName(f) {
			return false
		}
	}
	return !commonWord(last) || surnameWord(last)
}

// buildingEnds end a building's, a venue's, a place's or a brand's name
// after a given name ("Winfield House", "Jackson Hole", "Tiffany Lamp",
// "Wendy Brands"): most are census surnames too, but after a name of the
// generated list more often the end of such a name. Surnames as often
// borne as read ("Lake", "Lane", "Court", "Hill") are not in it.
var buildingEnds = set(`house hall palace tower garden gardens hole park field fields square plaza book books lamp lamps
stadium center centre arena brand brands mall market street avenue road boulevard bridge gallery museum theatre theater
hotel airport station island valley bay`)

// possessiveWordName: ts[i] is the possessive of a noun for a group of
// people, capitalised ("Men's", "Children's"), and the word after it is a
// name's word that no dictionary holds ("Wearhouse"): one name, a
// store's or a brand's. Another word's possessive is its owner's
// ("Apple's CarPlay", "Japan's Miyagi", "Fed's Plosser"), and a
// dictionary word after it makes a phrase or an event ("Men's Final").
// So does a word the gazetteer knows or a competition's name ("Women's
// Wimbledon", "Men's Lausanne", "Women's Paralympics"), or any word that
// a competition noun follows ("the Women's Zorvath title"). A hyphenated
// word counts up to its hyphen ("Men's Wearhouse-Jos. A. Bank": see
// possessiveWordEnd).
func (x *Extractor) possessiveWordName(ts []tokens.Token, i int) bool {
	if i+1 >= len(ts) || !possessive(ts[i].Text) || ts[i].AllCaps() || !groupNouns[plainWord(ts[i])] {
		return false
	}
	u := ts[i+1]
	_, f := possessiveWordEnd(u)
	if !(!u.Break && !u.SentStart && u.Capitalized() && !u.AllCaps() && !possessive(u.Text) && len(f) >= 3 &&
		!commonWord(f) && !capStop[f] && !givenNames[f] && !listedGivenName(f) && !demonymShaped(f)) {
		return false
	}
	if _, known := x.gaz.byForm[f]; known || competitionNames[f] {
		return false
	}
	return i+2 >= len(ts) || ts[i+2].Break || !competitionNouns[plainWord(ts[i+2])]
}

// possessiveStore is the body c names, a group's possessive and the words
// possessiveWordName took after it ("Men's Wearhouse"); a hyphenated
// second word ends the name at its hyphen ("Men's Wearhouse-Jos. A.
// Bank").
func possessiveStore(c []tokens.Token, inTitle bool) mention {
	if text, f := possessiveWordEnd(c[1]); len(text) < len(stripPossessive(c[1].Text)) {
		return mention{kind: Organization, name: c[0].Text + " " + text, toks: []string{foldTok(c[0]), f}, inTitle: inTitle}
	}
	return mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}
}

// possessiveWordEnd is the text of the word after a group's possessive
// that possessiveWordName took, up to a hyphen ("Wearhouse" of
// "Wearhouse-Jos"), and its folded form.
func possessiveWordEnd(t tokens.Token) (text, fold string) {
	text, fold = stripPossessive(t.Text), foldTok(t)
	if h := strings.IndexByte(text, '-'); h > 0 {
		text = text[:h]
	}
	if h := strings.IndexByte(fold, '-'); h > 0 {
		fold = fold[:h]
	}
	return text, fold
}

// groupNouns name a group of people: their possessive opens a store's or
// a brand's name when a word no dictionary holds follows ("Men's
// Wearhouse"; not "The Children's Place", whose "place" is a dictionary
// word, nor "Women's Wimbledon", see possessiveWordName).
var groupNouns = set(`men women children kids people ladies gentlemen boys girls`)

// competitionNames are competitions' names no dictionary holds; after a
// group's possessive they name the competition's draw for that group.
var competitionNames = set(`wimbledon olympics olympic paralympics paralympic olympiad garros prix`)

// competitionNouns after "Women's X" say X names a competition or its
// venue ("the Women's Zorvath title").
var competitionNouns = set(`final finals semifinal semifinals semi quarterfinal quarterfinals title titles singles doubles
draw event race tournament championship championships cup open trophy crown medal`)
