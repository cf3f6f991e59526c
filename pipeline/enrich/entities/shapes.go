package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Shapes of capitalised runs that are no person, whatever their words:
// streets and geographic features, venues, names led by an article or a
// compass point, products with a model letter, adjectives made with a
// hyphen. Each list is a closed class of English (and French street)
// words, not names taken from any article.

// placeHeads open a place's name: "Rue de Charonne", "Boulevard
// Voltaire", "Mount Everest", "Lake Victoria".
var placeHeads = set(`rue boulevard avenue allee quai place plaza piazza via calle strasse mount mt lake cape isle
gulf`)

// waterHeads open the name of a sea's part before "of": "Gulf of Aden",
// "Strait of Hormuz", "Bay of Bengal", "Sea of Japan".
var waterHeads = set(`gulf strait straits bay sea`)

// waterOf: a water's head, "of" and one or two capitalised words ("Gulf
// of Thailand", "Straits of Florida", "Gulf of St. Lawrence") name the
// water; the gazetteer's name after "of" is where it lies, not what the
// text names.
func waterOf(c []tokens.Token) bool {
	if len(c) < 3 || len(c) > 4 || !waterHeads[foldTok(c[0])] || !c[0].Capitalized() || c[1].Lower != "of" {
		return false
	}
	for _, t := range c[2:] {
		if !t.Capitalized() {
			return false
		}
	}
	return true
}

// streetHeads are the French street words a text writes in lower case
// before the street's name ("rue de Charonne", "boulevard Voltaire");
// "place" is left out, an English word too ("took place Tuesday").
var streetHeads = set(`rue boulevard avenue quai`)

// namedForHeads open the name of a place or body named after a person
// ("Collège Jean Moulin", "Royal Albert Hall"): no role before a name.
var namedForHeads = set(`college lycee ecole stade hopital eglise musee universite royal grand`)

// streetParticles join a French street's head to its name ("rue de la
// Fontaine", "quai des Orfèvres").
var streetParticles = set(`de la du des le`)

// streetLeads come right before a street's head: a preposition or an
// article ("on rue de Charonne", "the boulevard Voltaire"), or a list's
// "and"; so does a house number ("50 boulevard Voltaire"). Not any word: "may rue the day", "another avenue Google had not
// explored" use the English words.
var streetLeads = set(`on at in along near from of to into onto down up off by across past the le la and or`)

// streetHeadBefore returns where the lower-case street head before the
// name starting at token i is, across particles ("rue de la"), or -1. The
// head must follow a streetLead or a comma (a list of streets).
func streetHeadBefore(text string, ts []tokens.Token, i int) int {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := ts[k]
		if t.Capitalized() {
			return -1
		}
		if streetHeads[t.Lower] {
			// a break before the head is the comma of a list of streets
			if k > 0 && ((streetLeads[ts[k-1].Lower] || allDigits(ts[k-1].Lower)) && !t.Break || strings.TrimSpace(text[ts[k-1].End:t.Start]) == ",") {
				return k
			}
			return -1
		}
		if t.Break || !streetParticles[t.Lower] {
			return -1
		}
	}
	return -1
}

// placeSuffixes end one: "Baker Street", "Hyde Park", "Pacific Ocean",
// "Orange County".
var placeSuffixes = set(`street st road rd avenue ave lane boulevard square park bridge river lake island islands isle
mountain mountains mount hills valley bay sea ocean coast peninsula desert strait sound gulf canal county province district
region prefecture canton oblast borough township village heights springs beach falls harbor harbour plains`)

// surnameSuffixes are the placeSuffixes that are also surnames ("Michael
// Bay", "Grace Park"): after a given name they end a person's name.
var surnameSuffixes = set(`park bay hills beach falls heights springs village mount isle`)

// placeEnd: the last word makes the run a place, given name or not.
func placeEnd(first, last string) bool {
	return placeSuffixes[last] && !(surnameSuffixes[last] && givenNames[first])
}

// venueSuffixes end the name of a building or site, which the labels
// leave out like other venues ("Stade de France"): never a person.
var venueSuffixes = set(`airport station stadium arena theatre theater cathedral mosque synagogue temple palace
castle tower hotel mall terminal`)

// venueHeads open a French building's name ("Gare du Nord", "Hôpital
// Pitié-Salpêtrière", "Stade de France"): venues, like venueSuffixes.
var venueHeads = set(`gare stade hopital musee eglise chateau palais cafe`)

// placeOfNouns before "of" make the next name a place: "the island of
// Leros", "the city of Homs".
var placeOfNouns = set(`island islands city town village province region state county district capital suburb
suburbs port republic kingdom emirate archipelago municipality neighbourhood neighborhood resort enclave
territory`)

// tvChannel: "TV" and a number in one word ("TV2000", "TV3", "TV5") is a
// broadcaster's channel, an organization, where any other capitals with
// a digit are a code ("A380", "S5").
func tvChannel(f string) bool {
	if len(f) < 3 || f[:2] != "tv" {
		return false
	}
	for i := 2; i < len(f); i++ {
		if f[i] < '0' || f[i] > '9' {
			return false
		}
	}
	return true
}

// nativeOf: "native" or "natives" in lower case before "of" ("a native
// of Courcouronnes") say where one was born, a place; a capitalised
// "Native" opens a name ("Native of the Year").
func nativeOf(t tokens.Token) bool {
	return (t.Lower == "native" || t.Lower == "natives") && !t.Capitalized()
}

// articles open names of papers, venues and teams ("Le Monde", "La Belle
// Equipe", "Les Bleus", "Die Mannschaft", "De Standaard"), and a person's
// name only after the given name ("Marine Le Pen").
var articles = set(`le la les die der das el il lo los las het`)

// compass points open regions and their adjectives ("North Rhine",
// "South East Asian"), never a person's name.
var compass = set(`north south east west northeast northwest southeast southwest`)

// saintWords open a saint's name ("St. Louis", "Saint Pierre", "Ste
// Marie"): see unknown.
var saintWords = set(`st saint ste sainte`)

// honorifics after a name belong to the next sentence the text ran into
// it ("… Bernard Cazeneuve Mr Hollande"): never the name's end.
var honorifics = set(`mr mrs ms dr miss sir`)

// adjectivalTitles are title words that only qualify a title ("State",
// "Democratic", "Defence"): stripped alone they leave an organization's
// head ("State Department", "Defence Force", "Democratic Left").
var adjectivalTitles = set(`foreign defence defense finance interior home state deputy vice former first opposition
labour tory conservative democratic republican democrat senior junior assistant economy economics justice health
education transport culture trade energy environment treasury national`)

// onlyAdjectival reports whether every token of a stripped title is a
// qualifier, so the title names no role.
func onlyAdjectival(ts []tokens.Token) bool {
	for _, t := range ts {
		if !adjectivalTitles[foldTok(t)] {
			return false
		}
	}
	return true
}

// demonymShaped: "African", "Asians", "Koreans", "Congolese", "Jewish":
// an adjective or people of a place, not a name.
func demonymShaped(f string) bool {
	for _, suf := range []string{"ican", "icans", "ian", "ians", "ean", "eans", "ese", "ish", "ans"} {
		if len(f) >= len(suf)+2 && strings.HasSuffix(f, suf) {
			return !givenNames[f]
		}
	}
	return false
}

// groupPlural: a folded word shaped as a plural of people by what they
// do ("dockworkers", "steelworkers", "zookeepers", "unionists"), which a
// headline capitalises and the lists do not hold as common words; such a
// word before "in" and a place is who is there, not a place.
func groupPlural(f string) bool {
	return len(f) >= 6 && (strings.HasSuffix(f, "ers") || strings.HasSuffix(f, "ists"))
}

// adjectiveCompound: a capitalised word joined by a hyphen to a
// lower-case one ("Obama-inspired", "Midlands-born", "Korea-only") is an
// adjective; "al-Assad" and "Jean-Claude" are names.
func adjectiveCompound(t tokens.Token) bool {
	i := strings.LastIndexByte(t.Text, '-')
	if i <= 0 || i == len(t.Text)-1 || !t.Capitalized() {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Text[i+1:])
	return unicode.IsLower(r)
}

// modelLetter: a product's model ("Galaxy S", "Xperia Z", "Ilyushin Il")
// ends in a capital letter alone or a short code a person's name never
// ends in.
func modelLetter(t tokens.Token) bool {
	return utf8.RuneCountInString(t.Text) == 1 || isInitial(t) && !strings.HasSuffix(t.Text, ".")
}

// locationShaped: the run's end words make it a site or a place (see
// shapeNoPerson), which a given name at its start does not overrule
// ("Charles de Gaulle Airport", "Elizabeth Street").
func locationShaped(c []tokens.Token) bool {
	if len(c) < 2 || hasTitle(c) {
		return false
	}
	first, last := foldTok(c[0]), foldTok(c[len(c)-1])
	return venueSuffixes[last] || venueHeads[first] || placeHeads[first] || placeEnd(first, last) || compass[first]
}

// shapeNoPerson classifies a run the gazetteer does not know by the
// closed-class words at its ends: ok is false when the shape says
// nothing; otherwise ms is what it names (nil: nothing to keep).
func shapeNoPerson(c []tokens.Token, inTitle bool) (ms []mention, ok bool) {
	if len(c) < 2 || hasTitle(c) {
		return nil, false
	}
	first, last := foldTok(c[0]), foldTok(c[len(c)-1])
	switch {
	case venueSuffixes[last] || venueHeads[first]:
		return nil, true
	case placeHeads[first] || placeEnd(first, last):
		return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}, true
	case compass[first]:
		if demonymShaped(last) || adjectiveCompound(c[len(c)-1]) {
			return nil, true
		}
		return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}, true
	case modelLetter(c[len(c)-1]):
		return nil, true
	}
	for _, t := range c {
		if adjectiveCompound(t) {
			return nil, true
		}
	}
	return nil, false
}

// hasTitle: a role title inside the run ("North Carolina Gov Mike
// Easley") means it holds a person: its ends say nothing of the whole.
func hasTitle(c []tokens.Token) bool {
	for _, t := range c[1:] {
		if coreTitleTok(t) {
			return true
		}
	}
	return false
}

// tickerCode: a market code with an exchange suffix ("ALL.N", "VOD.L"),
// not initials ("U.S.", "J.D.").
func tickerCode(t tokens.Token) bool {
	i := strings.LastIndexByte(t.Text, '.')
	return i >= 2 && i < len(t.Text)-1 && !isInitial(t) && strings.IndexByte(t.Text[:i], '.') < 0
}
