package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Shapes of single words and the bare mentions made of them: ages,
// name particles, contractions, a headline's verb, adjectives by their
// ending, and the weak readings (a bare word listed with a body or a
// place, a generated place or a one-word brand standing alone).

// listJoined reports whether the chunk starting at token i follows the
// one that ended at token end as the next item of a list: "A and B",
// "A or B", "A, B".
func listJoined(text string, ts []tokens.Token, end, i int) bool {
	switch {
	case i == end+1:
		// "Lenovo and ZTE", and the serial comma: "Lenovo, and ZTE"
		return (ts[end].Lower == "and" || ts[end].Lower == "or") && (!ts[end].Break || end > 0 && strings.TrimSpace(text[ts[end-1].End:ts[end].Start]) == ",") && !ts[i].Break
	case i == end && end > 0:
		return strings.TrimSpace(text[ts[end-1].End:ts[i].Start]) == ","
	case i == end+2:
		// "Malia, 10, and Sasha": an age between the names
		return age(ts[end]) && ts[end+1].Lower == "and" && !ts[i].Break
	}
	return false
}

// age: a number of one to three digits, as news puts after a name.
func age(t tokens.Token) bool {
	return len(t.Text) <= 3 && allDigits(t.Text)
}

// particleName: a lower-case name particle (al, el, ad, ar, as, ash, at,
// az, abu, bin, bint, ben, ibn), a hyphen and a capitalised name
// ("al-Mohammed", "bin-Laden"): one word of a name that the capitalisation
// test alone would not see. It is asked of every lower-case word, so the
// first byte turns most away before any search.
func particleName(t tokens.Token) bool { return particleNameText(t.Text) }

// particleNameText is particleName of a word's text.
func particleNameText(s string) bool {
	if len(s) < 4 || s[0] != 'a' && s[0] != 'e' && s[0] != 'b' && s[0] != 'i' {
		return false
	}
	i := strings.IndexByte(s[:min(len(s), 5)], '-')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	switch s[:i] {
	case "al", "el", "ad", "ar", "as", "ash", "at", "az", "abu", "bin", "bint", "ben", "ibn":
	default:
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return unicode.IsUpper(r)
}

// spacedParticles are the lower-case articles and kin words that open an
// Arabic name written apart from it ("al Qaeda", "al Jazeera", "bin
// Laden"); see recognize, which asks the gazetteer for the whole form.
// Not the particles that are English words too ("as", "at").
var spacedParticles = set(`al el ad abu bin ibn`)

// contraction: "I'm", "Isn't", "We'd", "They're" open sentences with a
// capital and are no names; "O'Brien" and "Obama's" are.
func contraction(t tokens.Token) bool {
	i := strings.LastIndexByte(t.Lower, '\'') // Lower folds ’ to '
	if i < 0 {
		return false
	}
	switch t.Lower[i+1:] {
	case "m", "d", "t", "re", "ve", "ll":
		return true
	}
	return false
}

// headlineVerb: a run that goes on past a person's name into a headline
// ("Michelle Obama Goes Organic", "… Stresses Fitness Plan") does so with
// an ordinary word in -s, a verb: the index of the first such word after
// the first two, or 0. Right after the first two, a past or an auxiliary
// is the verb too ("Stacy Keibler Got Married", see headlineVerbWord);
// further on it is a verb's part ("Jon Favreau Would Have Directed").
// Runs of three are left alone: there the word is as often a surname
// ("Robert Lee Shields").
func headlineVerb(c []tokens.Token) int {
	if len(c) < 4 {
		return 0
	}
	for k := 2; k < len(c); k++ {
		f := foldTok(c[k])
		if k == 2 && headlineVerbWord(f) || k > 2 && verbInS(f) { // headlineVerbWord asks verbInS itself
			return k
		}
	}
	return 0
}

// listAs marks a bare word listed with an organization or a place as one
// too; a story's person of that name still claims it first (see resolve).
func listAs(m *mention, kind string) {
	switch {
	case demonymShaped(m.toks[0]): // "Hawaiians", "Parisians" are people of a place
	case kind == Person: // "Michelle Obama, Rihanna": a person known by one name
		m.cued = true
	case kind == Organization:
		m.listOrg = true
	default:
		m.place = true
	}
}

// weakPlace is a generated place name standing alone ("Hamilton",
// "Kennedy", "Santos" are cities and surnames): a place only after a
// preposition of place or listed with one, and even then not when a
// person of the story bears it; with a title or a speech verb, a person.
func weakPlace(t tokens.Token, cued, placeCue, inTitle bool) mention {
	return mention{kind: "", place: placeCue && !cued, cued: cued, name: stripPossessive(t.Text), toks: []string{foldTok(t)}, inTitle: inTitle}
}

// weakCue: a preposition of place ("in", "from", "to", "into") or "the
// city of" before: "return to Honolulu", "sneaked into Omaha dressing
// room" (issue 15, round 32, set 37's uci-news:2466); the name is a city
// the gazetteer knows.
func weakCue(prev *tokens.Token, ofPlace bool) bool {
	return ofPlace || prev != nil && (inSet(*prev, wPlacePrep) || prev.Lower == "from" || prev.Lower == "to" || prev.Lower == "into")
}

// weakOrg: a one-word brand the gazetteer knows ("Lenovo", "Dell") names
// the organization unless a person of the story bears the word as a
// surname or a title before it vouches for a person ("Mr Dell").
func weakOrg(t tokens.Token, e *entry, titled bool, inTitle bool) mention {
	return mention{kind: "", listOrg: !titled, cued: titled, name: e.name, toks: []string{foldTok(t)}, inTitle: inTitle}
}

// adjectiveShaped: a long word ending in "-ical" ("Oceanographical",
// "Geophysical"), an adjective's ending that no name or place has
// ("-al" and "-ic" do: Nepal, Michal, Baltic).
func adjectiveShaped(f string) bool {
	return len(f) > 6 && strings.HasSuffix(f, "ical")
}

// demonymCompound: "African-American", "Italian-Canadian": demonyms joined
// by a hyphen describe people, they name no one.
func demonymCompound(f string) bool {
	if !strings.Contains(f, "-") {
		return false // one part
	}
	for p := range strings.SplitSeq(f, "-") { // no slice a word: asked of every lone unknown word
		if !demonymShaped(p) {
			return false
		}
	}
	return true
}

// allDigits: s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// glottalStop reports whether u goes on the capitalised word t across an
// apostrophe that stands for a glottal stop, with no space, as Hawaiian
// names are written in English text ("Kapi-'olani", "Kapi'olani" when
// the tokenizer splits it): the part after it is in lower case.
func glottalStop(text string, t, u tokens.Token) bool {
	if !u.Break || u.SentStart || !t.Capitalized() || u.Capitalized() || t.End >= u.Start {
		return false
	}
	switch text[t.End:u.Start] {
	case "'", "’", "‘", "-'", "-’", "-‘":
		return true
	}
	return false
}
