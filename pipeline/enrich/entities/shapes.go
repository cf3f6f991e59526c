package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
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
mountain mountains mount hills valley bay sea ocean coast peninsula desert strait gulf canal county province district
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
		if isCoreTitle(foldTok(t)) {
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

// headOfThe returns where a body's name goes on after "for the" and a
// capital when the run so far ends in an organization's head ("UN
// Office for the Co-ordination of Humanitarian Affairs", "Organisation
// for the Prohibition of Chemical Weapons": the body's purpose), 0
// otherwise. Not "of the", which more often joins two names: a body
// and its parent ("Leadership Council of the Democratic National
// Committee"), a person and a place ("Obama of the United States").
func headOfThe(ts []tokens.Token, j int) int {
	if j == 0 || j+2 >= len(ts) || ts[j].Text != "for" || ts[j+1].Text != "the" {
		return 0
	}
	if ts[j+1].Break || ts[j+2].Break || ts[j+2].SentStart || !nameLike(ts[j+2]) || !(orgHeads[foldTok(ts[j-1])] || orgSuffixes[foldTok(ts[j-1])]) {
		return 0
	}
	return j + 3
}

// onHeads are the bodies named for what they deliberate "on": "Council
// on Foreign Relations", "Chicago Council on Global Affairs", "Senate
// Committee on Foreign Relations". Not a conference or a forum, which
// "on" makes a gathering ("UN Conference on Women", "World Economic
// Forum on Africa"): an event, not a body.
var onHeads = set(`council committee subcommittee commission panel`)

// headOn returns where a body's name goes on after "on" and a capital
// when the run so far ends in one of onHeads, 0 otherwise. A person or a
// place is never followed by "on" inside its name, while "on" after any
// other word joins two names ("Obama on Monday", "Apple on Tuesday"), so
// only these heads take it; a weekday or a month after it is a date, not
// the body's subject ("the Council on Monday"; capStop).
func headOn(ts []tokens.Token, j int) int {
	if j == 0 || j+1 >= len(ts) || ts[j].Text != "on" || ts[j+1].Break || ts[j+1].SentStart || !nameLike(ts[j+1]) {
		return 0
	}
	// The subject is a field in ordinary words ("Foreign Relations",
	// "Human Rights", "Climate Change"): a name after "on" is what the
	// body met or spoke on ("the Security Council on Syria").
	if f := foldTok(ts[j+1]); !onHeads[foldTok(ts[j-1])] || possessive(ts[j-1].Text) || capStop[f] || !commonWord(f) || givenNames[f] {
		return 0
	}
	return j + 2
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
func particleName(t tokens.Token) bool {
	s := t.Text
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
// the first two, or 0. Runs of three are left alone: there the word is
// as often a surname ("Robert Lee Shields").
func headlineVerb(c []tokens.Token) int {
	if len(c) < 4 {
		return 0
	}
	for k := 2; k < len(c); k++ {
		f := foldTok(c[k])
		if len(f) > 3 && f[len(f)-1] == 's' && commonWord(f) && !givenNames[f] {
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

// weakCue: a preposition of place ("in", "from", "to") or "the city of"
// before: "return to Honolulu"; the name is a city the gazetteer knows.
func weakCue(prev *tokens.Token, ofPlace bool) bool {
	return ofPlace || prev != nil && (placePreps[prev.Lower] || prev.Lower == "from" || prev.Lower == "to")
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

// institutionAnd: at ts[j] == "and" inside a capitalised run, the end of
// an institution's name that "and" joins two descriptive words of
// ("Food and Drug Administration", "Department of Health and Human
// Services", "Maternity and Gynecological Hospital"): the words on both
// sides of "and" are ordinary words written with a capital, and the run
// after it ends with an organization suffix. 0 when "and" joins no such
// name ("Obama and Harvard University" lists two; "Sex and The City" is
// a title: an article opens no descriptive word).
//
// A descriptive word the dictionary lacks may still be one by its
// ending (see adjectiveShaped): "National Oceanographical and
// Atmospheric Agency".
func institutionAnd(ts []tokens.Token, j int) int {
	if ts[j].Lower != "and" || j == 0 || j+1 >= len(ts) {
		return 0
	}
	before, after := ts[j-1], ts[j+1]
	// "Victory Fund and Human Rights Campaign": a name that already ends
	// as an organization's is one item of a list.
	if orgSuffixes[foldTok(before)] {
		return 0
	}
	if !(commonWord(foldTok(before)) || adjectiveShaped(foldTok(before))) || givenNames[foldTok(before)] || !nameLike(after) || after.Break || after.SentStart || !commonWord(foldTok(after)) || capStop[foldTok(after)] {
		return 0
	}
	end := 0
	for k := j + 1; k < len(ts) && !ts[k].Break && !ts[k].SentStart; k++ {
		if !nameLike(ts[k]) {
			if connectors[ts[k].Lower] && k+1 < len(ts) && nameLike(ts[k+1]) {
				continue
			}
			break
		}
		if orgSuffixes[foldTok(ts[k])] {
			end = k + 1
		}
		if possessive(ts[k].Text) {
			break
		}
	}
	return end
}

// headedBody reports whether the run ts[i:j] opens an institution's name
// that says what it is of or for: an organization's head, then "of" or
// "for" ("Institute of Air", "International Federation of Airline
// Pilots'").
func headedBody(ts []tokens.Token, i, j int) bool {
	if ts[i].Lower == "the" && i+1 < j {
		i++ // a sentence's "The" opens the run
	}
	if !orgHeads[foldTok(ts[i])] {
		return false
	}
	for k := i + 1; k < j-1; k++ {
		if ts[k].Lower == "of" || ts[k].Lower == "for" {
			return orgHeads[foldTok(ts[k-1])] || orgSuffixes[foldTok(ts[k-1])]
		}
	}
	return false
}

// headedAnd: at ts[j] == "and", where the run ts[i:j] is a headed body
// (see headedBody), the end of the name "and" goes on with its field
// ("Institute of Air and Space Law", "Department of Trade and
// Industry"): ordinary words written with a capital on both sides of
// "and", and no body's head or suffix after it, which would make it a
// second body ("the Ministry of Defence and Home Office" is two). 0
// otherwise.
func headedAnd(ts []tokens.Token, i, j int) int {
	if ts[j].Lower != "and" || j+1 >= len(ts) || !headedBody(ts, i, j) {
		return 0
	}
	before, after := foldTok(ts[j-1]), ts[j+1]
	if !commonWord(before) || givenNames[before] || !nameLike(after) || after.Break || after.SentStart {
		return 0
	}
	end := 0
	for k := j + 1; k < len(ts) && !ts[k].Break && !ts[k].SentStart && nameLike(ts[k]); k++ {
		f := foldTok(ts[k])
		if !commonWord(f) || capStop[f] || givenNames[f] || orgSuffixes[f] || orgHeads[f] {
			return 0
		}
		end = k + 1
		if possessive(ts[k].Text) {
			break
		}
	}
	return end
}

// pluralPossessiveInName reports whether the plural possessive ts[j-1]
// ("Pilots'") sits inside a headed body's name (see headedBody) that an
// organization's word ends right after it: "International Federation
// of Airline Pilots' Association", "Union of Concerned Scientists'
// Council". A singular possessive ("Canada's") ends the name as before.
func pluralPossessiveInName(text string, ts []tokens.Token, i, j int) bool {
	p, u := ts[j-1], ts[j]
	if !strings.HasSuffix(p.Lower, "s") || u.SentStart {
		return false
	}
	if gap := strings.TrimRight(text[p.End:u.Start], " "); gap != "'" && gap != "’" {
		return false
	}
	f := foldTok(u)
	return nameLike(u) && (orgSuffixes[f] || orgSuffixes[strings.TrimSuffix(f, "s")]) && headedBody(ts, i, j)
}

// demonymCompound: "African-American", "Italian-Canadian": demonyms joined
// by a hyphen describe people, they name no one.
func demonymCompound(f string) bool {
	parts := strings.Split(f, "-")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !demonymShaped(p) {
			return false
		}
	}
	return true
}

// continents are the places whose compass regions have names of their
// own ("East Asia", "North Africa", "Western Europe"): a compass word
// before any other place names a part of it ("southern Indian Ocean").
var continents = set(`place:asia place:africa place:europe`)

// compassWords open a region of a known place: "East Asia", "Northern
// California", "Southeast Asia".
var compassWords = set(`north south east west northeast northwest southeast southwest northern southern eastern western
central`)

// innerSplitSuffixes end an organization's name firmly enough that
// capitalised words after them start another name ("Royal New Zealand
// Air Force Orion", "Federal Reserve Chair Janet Yellen", "New York Police
// Commissioner Bill Bratton").
var innerSplitSuffixes = set(`force forces party ministry university agency council commission committee department
police army navy authority reserve court parliament congress senate corporation inc corp ltd plc llc bank institute
foundation federation association`)

// innerOrgEnd returns k when the run's first k tokens, two or more, end
// with an organization suffix and more capitalised words follow that do
// not themselves end as an organization; 0 otherwise. The run must open
// as no person could ("Royal", "New Zealand", not a given name), so
// "John Bank Smith" is left alone.
func innerOrgEnd(c []tokens.Token, guarded bool) int {
	if len(c) < 3 || givenNames[foldTok(c[0])] || orgSuffixes[foldTok(c[len(c)-1])] {
		return 0
	}
	for k := len(c) - 2; k >= 1; k-- {
		// "of", or "for" and a capital where capitals are a writer's
		// choice (not a title-case headline), goes on with the body's
		// field ("Institute for Policy Research").
		if innerSplitSuffixes[foldTok(c[k])] && !possessive(c[k].Text) && c[k+1].Lower != "of" && !(c[k+1].Text == "on" && onHeads[foldTok(c[k])]) && !(!guarded && c[k+1].Text == "for" && k+2 < len(c) && c[k+2].Capitalized()) {
			return k + 1
		}
	}
	return 0
}

// orgAfterNouns after a capitalised name make it an organization: "People
// magazine", "the Sun newspaper", "Steve & Barry chain".
var orgAfterNouns = set(`magazine newspaper tabloid broadcaster airline automaker carmaker conglomerate retailer
publisher insurer lender`)

// bodyThingNouns, in lower case between a name after "the" and the
// rest of the sentence, are what a body has or suffers: "the Charlie
// Hebdo attacks", "the Charlie Hebdo offices", "the Georges Pompidou
// hospital" name the magazine and the hospital, not a person, though
// their first words are given names. A person's name in that place
// goes with other nouns ("the Bush administration", "the Kennedy
// assassination", "the Trayvon Martin shooting"), which are not here.
var bodyThingNouns = set(`attack attacks offices headquarters hospital clinic`)

// theBodyThing reports whether "the" before the name c and one of
// bodyThingNouns after it make the name a body's; not a day's or a
// month's ("the Friday attacks"), which dates them.
func theBodyThing(c []tokens.Token, prev, next *tokens.Token) bool {
	return prev != nil && prev.Lower == "the" && bodyThingNouns[next.Text] && !capStop[foldTok(c[0])]
}

// govHeads end a government body a story may write in lower case after
// its country ("the US state department", "the Chinese foreign
// ministry"); a news agency is a firm, and its country names no one.
var govHeads = set(`ministry department agency`)

// lowerWord: a lower-case word joined to the one before by a space only.
func lowerWord(t tokens.Token) bool {
	return !t.Break && !t.SentStart && !t.Capitalized() && t.Lower != "" && t.Lower[0] >= 'a' && t.Lower[0] <= 'z'
}

// govBodyAfter returns the end of one or two lower-case words and a
// government head starting at ts[j] ("state department", "civil aviation
// department"), 0 if there is none.
func govBodyAfter(ts []tokens.Token, j int) int {
	for h := j + 1; h <= j+2 && h < len(ts); h++ {
		// the head first: asked after every run, and most are followed
		// by no ministry
		if !govHeads[ts[h].Lower] || !lowerWord(ts[h]) {
			continue
		}
		for _, t := range ts[j:h] {
			if !lowerWord(t) || t.Lower == "news" || stopwords.IsAny(t.Lower) {
				return 0
			}
		}
		return h + 1
	}
	return 0
}

// governmentBefore reports whether t, before a portfolio and "ministry",
// names a government: "the" or "a" ("a foreign ministry spokesman"), a
// capitalised possessive ("China's") or a
// capitalised demonym ("the Chinese foreign ministry"); not "its", nor
// a lower-case owner ("the church's youth ministry").
func governmentBefore(t tokens.Token) bool {
	return t.Lower == "the" || t.Lower == "a" || t.Capitalized() && (possessive(t.Text) || demonymShaped(t.Lower))
}

// ministryOf returns the end of a ministry named in lower case from
// ts[i] ("ministry of health", "ministry of health, labour and
// welfare"), 0 if "of" and a lower-case word do not follow. Words after
// a comma count only when "and" closes the list.
func ministryOf(text string, ts []tokens.Token, i int) int {
	k := i + 2
	if k >= len(ts) || ts[i+1].Lower != "of" || !lowerWord(ts[i+1]) || !lowerWord(ts[k]) || stopwords.IsAny(ts[k].Lower) {
		return 0
	}
	end := k + 1
	for m := end; m < len(ts); m++ {
		u := ts[m]
		switch {
		case u.Lower == "and" && lowerWord(u) && m+1 < len(ts) && lowerWord(ts[m+1]) && !stopwords.IsAny(ts[m+1].Lower):
			return m + 2
		case text[ts[m-1].End:u.Start] == ", " && !u.SentStart && !u.Capitalized() && !stopwords.IsAny(u.Lower):
			continue
		}
		break
	}
	return end
}

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

// allDigits: s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// deviceNouns after an acronym make it a kind of equipment or record,
// not a body: "the PA system", "CCTV footage", "CCTV images", "an MRI
// scan", "a USB port".
var deviceNouns = set(`system systems scan scans machine machines camera cameras footage test tests device devices
chip chips port ports cable cables screen screens unit units reader readers images pictures stills recordings`)

// recordedVerbs before "on" and an unknown acronym make it the medium
// that recorded someone: "seen on CCTV", "caught on CCTV".
var recordedVerbs = set(`seen caught captured filmed recorded spotted visible`)

// recordedAfter may follow the medium in such a clause: "seen on CCTV
// at the station", "caught on CCTV leaving".
var recordedAfter = set(`at in on near outside inside for during as and with leaving entering walking driving carrying`)

// indexSize: a round number right after a market's capitalised short
// name is the size of its index ("the S&P 500", "the FTSE 100", "the
// CAC 40"), which names the index, not the body; a maker's model
// number ("Boeing 777") names the maker, as the labels do.
func indexSize(maker, t tokens.Token) bool {
	n := stripPossessive(t.Text)
	if len(n) < 2 || len(n) > 4 || n[len(n)-1] != '0' || !maker.AllCaps() {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return !(len(n) == 4 && (n[:2] == "19" || n[:2] == "20"))
}

// lowerHeads end a body's name that news may write in lower case after
// its capitalised words: "the European commission", "the Democratic
// party", "the European parliament".
var lowerHeads = set(`commission parliament council court party union assembly congress senate`)

// institutionAfter returns where the body the gazetteer knows starts,
// when the run ts[i:j] and the lower-case head ts[j] name it (see
// lowerHeads): a sentence's opening "The" is left out, and a sentence's
// first word is no name's by its capital alone. -1 if none.
func (x *Extractor) institutionAfter(ts []tokens.Token, i, j int, shouting bool) int {
	// the head first: asked after every run, and most are followed by
	// no institution's head
	if j >= len(ts) || !lowerHeads[ts[j].Lower] || !lowerWord(ts[j]) {
		return -1
	}
	k := j - len(withoutSentenceOpeners(ts[i:j]))
	if ts[k].SentStart {
		return -1 // "Conservative party claims …": the capital may be the sentence's only
	}
	if e := x.gaz.lookup(ts[k:j+1], shouting); e != nil && e.kind == Organization && !e.weak {
		return k
	}
	return -1
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

// waterNouns written in lower case after a place's name make a feature
// named from it ("the Indian ocean", "the Mississippi river"), which the
// gazetteer may know by the whole form; the ones in seaNouns name a sea
// whether or not it does ("the Arabian sea" is no Saudi Arabia).
var (
	waterNouns = set(`ocean sea gulf bay strait straits river lake channel canal peninsula desert`)
	seaNouns   = set(`ocean sea`)
)

// waterBody reads a known place followed by a lower-case geographic noun
// as the feature that place names, not the place: "southern Indian
// ocean" is the Indian Ocean, not India. A sea the gazetteer does not
// know by its whole form needs "the" or a compass word before it, since
// a place is also an adjective before a noun ("India sea ports").
func (x *Extractor) waterBody(prev *tokens.Token, c []tokens.Token, next *tokens.Token, inTitle, shouting bool) (mention, bool) {
	if next == nil || next.Capitalized() || !waterNouns[next.Lower] {
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

// footballNouns say a story is about football, where a city's name is
// often its club's.
var footballNouns = set(`football soccer striker midfielder goalkeeper defender premiership league goal goals
match midfield penalty fixture fixtures`)

// footballWords counts the football nouns of a text.
func footballWords(f tokens.Field) int {
	n := 0
	for _, t := range f.Tokens {
		if footballNouns[t.Lower] {
			n++
		}
	}
	return n
}

// footballStory tells whether a story is about football (three football
// nouns or more), counted when a rule first asks: only a city after a
// result or transfer word does, so most stories never pay for the count.
type footballStory struct {
	title, body tokens.Field
	counted, is bool
	// usCounted, us: the story has a word only the US leagues use (see
	// usLeagues).
	usCounted, us bool
}

// usLeagueCues say a story is about the four North American major
// leagues or their sports: their names and words those sports alone use.
var usLeagueCues = set(`nba nfl mlb nhl wnba ncaa quarterback quarterbacks touchdown touchdowns linebacker linebackers
playoffs postseason pitcher pitchers innings rebounds puck`)

// usLeagues tells whether the title or body has one of usLeagueCues,
// counted when a franchise's cued nickname first asks.
func (s *footballStory) usLeagues() bool {
	if !s.usCounted {
		s.usCounted = true
		for _, f := range []tokens.Field{s.title, s.body} {
			for _, t := range f.Tokens {
				if usLeagueCues[t.Lower] {
					s.us = true
					return true
				}
			}
		}
	}
	return s.us
}

func (s *footballStory) football() bool {
	if !s.counted {
		s.is, s.counted = footballWords(s.title)+footballWords(s.body) >= 3, true
	}
	return s.is
}

// rivalVerbs and rivalPairs before a name make it a side in a match or a
// transfer: "against Norwich", "beat Cardiff", "joined Fulham", "since
// leaving Birmingham", "on loan
// at Birmingham", "a defeat to Chelsea", "his move from Newcastle".
var (
	rivalVerbs = set(`against beat beating beats joined joins leaving`)
	rivalPairs = func() map[string]bool {
		m := map[string]bool{}
		for _, p := range strings.Split("loan at|loan to|loan from|defeat to|defeat by|draw with|drew with|lost to|loss to|win over|victory over|signed for|"+
			"move from|move to|moved from|moved to|moving from|moving to|switch from|switch to|transfer from|transfer to|signed from|sold to|bought from", "|") {
			m[p] = true
		}
		return m
	}()
)

// clubNouns after a city in a football story make it the club: its
// people and its statements ("Newcastle boss Alan Pardew", "Newcastle
// fans").
var clubNouns = set(`boss manager chairman owner owners fans supporters squad`)

// clubPlayerNouns after a city, perhaps with one lower-case word between,
// name one of its club's players: "Newcastle striker Andy Carroll",
// "Newcastle striking ace Andy Carroll", "Ajax star".
var clubPlayerNouns = set(`ace star striker midfielder defender goalkeeper keeper winger forward captain skipper
player players`)

// clubNounAfter reports whether the words from ts[j] are a club's people
// (clubNouns, clubPlayerNouns).
func clubNounAfter(ts []tokens.Token, j int) bool {
	if j >= len(ts) || ts[j].Break {
		return false
	}
	l := ts[j].Lower
	if clubNouns[l] || clubPlayerNouns[l] {
		return true
	}
	return j+1 < len(ts) && !ts[j+1].Break && !ts[j].Capitalized() && clubPlayerNouns[ts[j+1].Lower]
}

// clubClauseAfter reports whether the words from ts[j] make the name
// ending there a club's in a football story, where a town is not: a
// relative "who" ("Portsmouth, who finished 14th") or a match's result
// after it ("a Leeds victory"). Not a person's name after the town's
// possessive: "Manchester's Andy Burnham" is a mayor as often as a player
// ("Lyon's Michael Essien", see TestMatchClubsRound13).
func clubClauseAfter(text string, ts []tokens.Token, i, j int) bool {
	if j >= len(ts) || ts[j].SentStart {
		return false
	}
	u := ts[j]
	switch {
	case u.Lower == "who" && text[ts[j-1].End:u.Start] == ", ":
		return opensClause(ts, i)
	case u.Break:
		return false
	case clubResultNouns[u.Lower] && !u.Capitalized():
		return i > 0 && !ts[i].SentStart && determiners[ts[i-1].Lower]
	}
	return false
}

// opensClause reports whether the name from ts[i] opens its sentence or
// clause: first in the text or sentence, after punctuation, or after a
// conjunction ("Liverpool, who finished second", "and Leeds, who"). A
// town after "of", "in", "at" or "from" is a place the sentence is
// about ("the mayor of Liverpool, who attended"), not the club.
func opensClause(ts []tokens.Token, i int) bool {
	return i == 0 || ts[i].SentStart || ts[i].Break || clauseConjunctions[ts[i-1].Lower]
}

// clauseConjunctions before a name start a new clause with it.
var clauseConjunctions = set(`and but while whereas although though`)

// clubResultNouns after a determiner and a town say the town's club
// played: "a Leeds victory", "the Everton win".
var clubResultNouns = set(`victory win defeat draw`)

// transferVerbs, a few words before "from" ("joined Real from
// Santos", "his arrival from Newcastle"), make what follows the club a
// player leaves. Not "arrived": a squad or fans arrive from a city.
var transferVerbs = set(`sign signs signed signing buy buys bought sell sells sold join joins joined joining
swoop bid bids arrival`)

// matchCue reports whether the words before ts[i] make it the other side
// of a match, not of a transfer: "against", "beat", "a draw with".
func matchCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart || ts[i].Break {
		return false
	}
	switch ts[i-1].Lower {
	case "beat", "beating", "beats":
		return true
	case "against":
		// a match's word before it ("a goal against Norwich", "won
		// against Leeds"): a lawsuit, an attack or a penalty given
		// against someone names a person
		return i >= 2 && matchAgainst[ts[i-2].Lower]
	}
	return i >= 2 && matchPairs[ts[i-2].Lower+"_"+ts[i-1].Lower]
}

// matchAgainst are the words of a match before "against".
var matchAgainst = set(`goal goals win won game games match matches draw drew played play playing scored score fixture clash victory defeat lost`)

// matchPairs are the rivalPairs of a match's result, "_" between words.
var matchPairs = set(`defeat_to defeat_by draw_with drew_with lost_to loss_to win_over victory_over`)

// rivalCue reports whether the words before ts[i] make it a side.
func rivalCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart || ts[i].Break {
		return false
	}
	if rivalVerbs[ts[i-1].Lower] {
		return true
	}
	if ts[i-1].Lower == "from" {
		// "signed striker Andy Carroll from Newcastle": a transfer verb
		// a few words back in the sentence.
		for k := i - 2; k >= 0 && k >= i-6; k-- {
			if transferVerbs[ts[k].Lower] {
				return true
			}
			if ts[k].SentStart || ts[k].Break {
				break
			}
		}
	}
	return i >= 2 && rivalPairs[ts[i-2].Lower+" "+ts[i-1].Lower]
}

// clubGroupNouns name a group of clubs, which a list of them follows:
// "Welsh clubs, like Swansea and Cardiff", "sides such as Wrexham".
var clubGroupNouns = set(`clubs sides teams`)

// clubListCue reports whether the words before ts[i] open a list of
// clubs: "like", "including" or "such as" after one of clubGroupNouns
// earlier in the sentence ("clubs in the English league pyramid, also
// including Wrexham"), or that noun right before the name ("the Welsh
// clubs Swansea City and Cardiff City").
func clubListCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart {
		return false
	}
	p := ts[i-1].Lower
	if clubGroupNouns[p] && !ts[i].Break {
		return true
	}
	if p != "like" && p != "including" && !(p == "as" && i >= 2 && ts[i-2].Lower == "such") {
		return false
	}
	for k := i - 2; k >= 0 && k >= i-14; k-- {
		if clubGroupNouns[ts[k].Lower] {
			return true
		}
		if ts[k].SentStart {
			break
		}
	}
	return false
}

// awardAfter reports whether "of the Year" follows the name ending
// before ts[j]: the name is an award's noun ("Footballer of the Year").
func awardAfter(ts []tokens.Token, j int) bool {
	return j+2 < len(ts) && !ts[j].Break && ts[j].Lower == "of" && ts[j+1].Lower == "the" && ts[j+2].Lower == "year" && ts[j+2].Capitalized()
}

// numberedName returns j+1 when the run ts[i:j] ends, with the number
// after it, a body the gazetteer knows by a name that ends in a number
// ("Channel 4", "France 24", "Europe 1", "Ligue 1"): a run of capitals
// stops at a number, so those names were never looked up whole, and the
// words before the number read alone as a place ("France", "Europe").
// j otherwise, and when the number is a score, a count or a rank rather
// than a name's (review24): see numberNotName.
func (x *Extractor) numberedName(ts []tokens.Token, i, j int) int {
	if j >= len(ts) || ts[j].Break || !smallNumber(ts[j]) || numberNotName(ts, i, j) {
		return j
	}
	for k := i; k < j; k++ {
		if e := x.gaz.lookup(ts[k:j+1], false); e != nil && e.kind == Organization {
			return j + 1
		}
	}
	return j
}

// numberNotName reports whether the number ts[j] after the run ts[i:j]
// is no part of a name:
//   - it goes on: "France 24-21", "Europe 1,000", "2.5" (a digit one
//     character after it);
//   - a count follows: "France 2 million", "Europe 1 in 5";
//   - a score line: a number before the run ("Scotland 10 France 24")
//     or names and a number after it ("France 2 Ireland 1");
//   - "No"/"Number" as a rank: "the world No 10", "the No 10 seed",
//     "the Number 10 shirt".
func numberNotName(ts []tokens.Token, i, j int) bool {
	if j+1 < len(ts) {
		n := ts[j+1]
		if n.Break && n.Start == ts[j].End+1 && allDigits(n.Text) {
			return true
		}
		if !n.Break && (countWords[n.Lower] || (n.Lower == "in" || n.Lower == "to" || n.Lower == "out") && j+2 < len(ts) && smallNumber(ts[j+2])) {
			return true
		}
	}
	if i > 0 && !ts[i].Break && smallNumber(ts[i-1]) {
		return true
	}
	h := j + 1
	for h < len(ts) && !ts[h].Break && ts[h].Capitalized() {
		h++
	}
	if h > j+1 && h < len(ts) && !ts[h].Break && smallNumber(ts[h]) {
		return true
	}
	if k := j - 1; k == i && (ts[k].Lower == "no" || ts[k].Lower == "number") && (k > 0 && ts[k-1].Lower == "world" || j+1 < len(ts) && rankNouns[ts[j+1].Lower]) {
		return true
	}
	return false
}

// smallNumber: one to three digits, a score's, a count's or a name's.
func smallNumber(t tokens.Token) bool {
	return len(t.Text) <= 3 && allDigits(t.Text)
}

// countWords after a number make it a count; rankNouns after "No 10"
// make it a rank.
var countWords = set(`million millions billion billions thousand thousands hundred people percent per years year days points goals`)
var rankNouns = set(`seed shirt jersey spot pick ranking position`)
