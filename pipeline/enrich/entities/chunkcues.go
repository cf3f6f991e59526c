package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// ampersandOrg: capitalised words joined by "&" ("Steve & Barry",
// "Procter & Gamble", "Marks & Spencer") name a firm, a band or a
// partnership, not a person, unless the gazetteer knows the whole name.
// Not in a title-case headline, where "&" may join two people. The name
// starts after the run's last connector before the "&" ("Shares of Quill
// & Hart"): k is where, the tokens before it are the caller's to read.
func (x *Extractor) ampersandOrg(text string, c []tokens.Token, inTitle, guarded, shouting bool) (k int, m mention, ok bool) {
	if guarded || len(c) < 2 {
		return 0, mention{}, false
	}
	amp := ampersandAt(text, c)
	if amp < 0 {
		return 0, mention{}, false
	}
	k = afterLastConnector(c[:amp])
	name := c[k:]
	if x.gaz.lookup(name, shouting) != nil || sectionHeading(text, c, amp) {
		return 0, mention{}, false
	}
	return k, mention{kind: Organization, name: stripPossessive(text[name[0].Start:name[len(name)-1].End]), toks: folds(name), inTitle: inTitle}, true
}

// peopleJoined: "&" between two names of a given name and a surname
// each ("Stacy Keibler & Jared Pobre are married") joins two people, not
// a firm's founders: a firm's "&" joins surnames or words ("Procter &
// Gamble", "Marks & Spencer", "Crate & Barrel") or one given name each
// ("Steve & Barry"). amp is the index of the second name's first word;
// the caller reads each side alone. Neither surname is an ordinary word
// ("Tom Ford & Sons" stays a firm) and the gazetteer knows no name across
// the "&".
func (x *Extractor) peopleJoined(text string, c []tokens.Token, shouting bool) (amp int, ok bool) {
	amp = ampersandAt(text, c)
	if amp < 2 || len(c)-amp != 2 || x.gaz.lookup(c, shouting) != nil {
		return 0, false
	}
	k := afterLastConnector(c[:amp])
	if amp-k != 2 {
		return 0, false
	}
	for _, p := range [][]tokens.Token{c[k:amp], c[amp:]} {
		g, f := foldTok(p[0]), foldTok(p[1])
		if !givenNames[g] && !listedGivenName(g) || commonWord(f) || legalForms[f] || p[1].AllCaps() {
			return 0, false
		}
	}
	return amp, true
}

// slashJoined returns where a slash written without spaces splits the
// run c into two names ("Sprint/T-Mobile merger", "Harris/Walz"): a
// slash lists names, as "&" between two people or two places does, and
// read as one run the pair was a person (issue 15, round 35). Each side
// is a word of three letters or more ("AC/DC" is a band's one name) and
// no acronym of four letters or fewer ("USB/MHL", "TCP/IP": technical
// terms paired), and the gazetteer does not know the run whole.
func (x *Extractor) slashJoined(text string, c []tokens.Token, shouting bool) (int, bool) {
	for k := 1; k < len(c); k++ {
		if text[c[k-1].End:c[k].Start] != "/" {
			continue
		}
		if !slashSide(c[k-1]) || !slashSide(c[k]) || x.gaz.lookup(c, shouting) != nil {
			return 0, false
		}
		return k, true
	}
	return 0, false
}

// slashSide: t may be one of two names a slash lists (see slashJoined).
func slashSide(t tokens.Token) bool {
	n := len([]rune(foldTok(t)))
	return n >= 3 && !(t.AllCaps() && n <= 4)
}

// languageVerbs say the word after them is a language: "learned French",
// "speaks Spanish", "fluent Arabic".
var languageVerbs = set(`speak speaks spoke spoken speaking learn learns learned learnt learning teach teaches taught teaching fluent`)

// languageSpoken: the one word ts[i] (j = i+1) follows a verb of speaking
// or learning ("learned French", "speaks fluent Spanish", "fluent in
// German", "translated into English") and ends its phrase (the text ends,
// punctuation, a function word or an adverb: "speaks French fluently"),
// so it names a language; "learned French cooking" names a cuisine, as
// ever its country.
func languageSpoken(ts []tokens.Token, i, j int, lang string) bool {
	if i == 0 || lang != "en" {
		return false
	}
	p := ts[i-1].Lower
	before := languageVerbs[p] || (p == "in" || p == "into") && i >= 2 && (ts[i-2].Lower == "fluent" || ts[i-2].Lower == "translated" || ts[i-2].Lower == "written" || ts[i-2].Lower == "dubbed")
	if !before || ts[i].Break {
		return false
	}
	return j == len(ts) || ts[j].Break || stopwords.Is(lang, ts[j].Lower) || strings.HasSuffix(ts[j].Lower, "ly")
}

// languageAdjective: the one word ts[i] (j = i+1) qualifies a lower-case
// "language" after it ("its Spanish language network", "a French
// language daily"): a language, which names no country.
func languageAdjective(ts []tokens.Token, i, j int) bool {
	return j == i+1 && j < len(ts) && ts[j].Lower == "language" && lowerWord(ts[j])
}

// languageMedium reads a run that opens with a language's hyphened
// adjective ("Spanish-language Telemundo", "the French-language Le
// Soir"): the adjective names no country, and the name after it is a
// medium, a paper or a channel — the one the gazetteer knows by it, or
// an organization. A run of the adjective alone ("Spanish-language
// channels") names nothing. ok is false when the run opens otherwise.
func (x *Extractor) languageMedium(c []tokens.Token, shouting, inTitle bool) ([]mention, bool) {
	if len(c) == 0 || !strings.HasSuffix(c[0].Lower, "-language") {
		return nil, false
	}
	rest := c[1:]
	if len(rest) == 0 {
		return nil, true
	}
	if e := x.gaz.lookup(rest, shouting); e != nil {
		return []mention{{kind: e.kind, e: e, name: e.name, inTitle: inTitle}}, true
	}
	return []mention{{kind: Organization, name: stripPossessive(joinText(rest)), toks: folds(rest), inTitle: inTitle}}, true
}

// ampersandAt is the index of the token after the run's first "&"
// between two name-like words, -1 if none.
func ampersandAt(text string, c []tokens.Token) int {
	for i := 1; i < len(c); i++ {
		if strings.TrimSpace(text[c[i-1].End:c[i].Start]) == "&" && nameLike(c[i-1]) && nameLike(c[i]) {
			return i
		}
	}
	return -1
}

// placesJoined: a run that is two places the gazetteer knows, either
// perhaps after a compass word, with "&" between ("US & Canada", "Middle
// East & North Africa", a site's region menu), joins two places, not the
// words of a firm's name: amp is where the second starts, and each side
// is read as a run of its own.
func (x *Extractor) placesJoined(text string, c []tokens.Token, shouting bool) (amp int, ok bool) {
	amp = ampersandAt(text, c)
	if amp < 0 || x.gaz.lookup(c, shouting) != nil { // "Trinidad & Tobago" is one

		return 0, false
	}
	for _, side := range [][]tokens.Token{c[:amp], c[amp:]} {
		if len(side) > 1 && compass[foldTok(side[0])] {
			side = side[1:]
		}
		if e := x.gaz.lookup(side, shouting); e == nil || e.kind != Place {
			return 0, false
		}
	}
	return amp, true
}

// sectionHeading: a line that is one capitalised run with ordinary words
// either side of its "&" ("Science & Environment", "… Personal Finance
// Life & Arts": a site's section menu scraped with its page) names a
// section; in running text, or with a legal or body word at its end
// ("Bain & Company"), the rule for firms stands.
func sectionHeading(text string, c []tokens.Token, amp int) bool {
	if !commonWord(foldTok(c[amp-1])) || !commonWord(foldTok(c[amp])) || inFoldSet(c[len(c)-1], wOrgSuffix) {
		return false
	}
	before := text[:c[0].Start]
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	after := text[c[len(c)-1].End:]
	if i := strings.IndexByte(after, '\n'); i >= 0 {
		after = after[:i]
	}
	return strings.TrimSpace(before) == "" && strings.TrimSpace(after) == ""
}

// legalName is the company named by the run c before its legal form:
// the one the gazetteer knows by those words, or else those words as an
// organization, less the sentence's openers and, when ordinary words and
// a connector come first ("Shares of Pandora Media Inc"), less those.
func (x *Extractor) legalName(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	c = withoutSentenceOpeners(c)
	if k := afterLastConnector(c); k > 0 && k < len(c) && allCommon(folds(c[:k-1])) {
		c = c[k:]
	}
	if e := x.gaz.lookup(c, shouting); e != nil {
		if e.kind != Organization {
			return mention{}, false // "Paris Inc"? a place or a person the gazetteer knows: leave the run to the rules
		}
		return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}, true
	}
	// "Will Apple Inc …", a headline's words before a company the
	// gazetteer knows: the company.
	for k := 1; k < len(c); k++ {
		if e := x.gaz.lookup(c[k:], shouting); e != nil && e.kind == Organization && !e.weak {
			return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}, true
		}
	}
	for _, t := range c {
		if !nameLike(t) && !inSet(t, wConnector) {
			return mention{}, false
		}
	}
	return mention{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}, true
}

// afterLastConnector is the index after the last lower-case connector of
// c ("Readers of Lantern" → 2), 0 if it has none or if the words before
// it already read as an organization's name, which the connector
// continues ("Medical Center for Women & Children").
func afterLastConnector(c []tokens.Token) int {
	for i := len(c) - 1; i >= 1; i-- {
		if inSet(c[i], wConnector) && !c[i].Capitalized() {
			if inFoldSet(c[i-1], wOrgSuffix) || orgHeads[foldTok(c[0])] {
				return 0
			}
			return i + 1
		}
	}
	return 0
}

// placeGivenName reports whether the pair c is a place's name and then
// a word that is no known name and no ordinary word ("Sydney Sweeney",
// "Paris Hilton"; not "Sydney Harbour"): read as a person's given name
// and surname when a title vouches for a person. A weak name, a
// one-word brand or a generated city ("Hilton", "Hamilton"), may be a
// surname.
func (x *Extractor) placeGivenName(c []tokens.Token, shouting bool) bool {
	if e := x.gaz.lookup(c[:1], shouting); e == nil || e.kind != Place {
		return false
	}
	if e := x.gaz.lookup(c[1:], shouting); e != nil && !e.weak {
		return false
	}
	f := foldTok(c[1])
	return !commonWord(f) && !placeSuffixes[f] && !orgSuffixes[f] && !venueSuffixes[f]
}

// samePlaceNamedPerson keeps a person whose given name is a place's
// ("actress Sydney Sweeney", see placeGivenName) the person wherever the
// story repeats the full name without the title ("Sydney Sweeney said"),
// which alone reads as the place and a surname.
func (x *Extractor) samePlaceNamedPerson(out []mention, before int, defs map[string]mention) []mention {
	switch {
	case len(out) == before+1:
		m := out[before]
		if m.kind == Person && m.e == nil && len(m.toks) == 2 {
			if a, ok := x.gaz.byForm[m.toks[0]]; ok && a.e.kind == Place {
				defs[placePersonKey(m.toks[0], m.toks[1])] = m
			}
		}
	case len(out) == before+2 && out[before].kind == Place && out[before].e != nil && out[before+1].kind == "" && len(out[before+1].toks) == 1:
		first, _ := foldForm(out[before].e.name)
		if d, ok := defs[placePersonKey(first, out[before+1].toks[0])]; ok {
			d.inTitle = out[before].inTitle
			return append(out[:before], d)
		}
	}
	return out
}

// placePersonKey is how samePlaceNamedPerson remembers such a person.
func placePersonKey(given, surname string) string { return "\x00person " + given + " " + surname }

// partyAfter reports whether "party" after the run c names a political
// party by it ("the Pasok party", "the Democratic Left party"): not
// after "a" or "an", which make it a celebration ("a Halloween
// party"), nor after a sentence's first word alone, whose capital may be
// the sentence's only ("Conservative party claims …").
func partyAfter(c []tokens.Token, prev, next *tokens.Token) bool {
	return next.Lower == "party" && !(prev != nil && (prev.Lower == "a" || prev.Lower == "an")) && !(len(c) == 1 && c[0].SentStart)
}

// genericSchool reports whether a place and last, one of
// genericSchoolNouns, name no school of its own: after "a" or "an" ("a
// London School") or before a common noun ("the Texas School shooting"),
// the words describe, where a name stands alone ("at Eton College for").
func genericSchool(last string, prev, next *tokens.Token, lang string) bool {
	if !genericSchoolNouns[last] {
		return false
	}
	if prev != nil && (prev.Lower == "a" || prev.Lower == "an") {
		return true
	}
	return next != nil && !next.Capitalized() && !stopwords.Is(lang, next.Lower) && !speechVerbs[next.Lower] && !strings.HasSuffix(next.Lower, "ed")
}

// determiners before a name make it a thing or a body: a person's name
// takes none ("a Renault Clio", not "a Kia Joorabchian").
var determiners = set(`a an the`)

// colourWords describe a vehicle between its determiner and its make
// ("a black Seat Leon"); only in lower case, inside a sentence.
var colourWords = set(`black white silver grey gray red blue green yellow orange brown beige maroon gold golden dark-coloured dark-colored`)

// ownedNouns after a name take the determiner before it: "a Kia
// Joorabchian deal", "the Tony Blair government" say nothing of what
// the name is, as a person's deal or office is written so as often as
// a firm's.
var ownedNouns = set(`deal deals contract contracts transfer move bid offer fee agreement signing loan era
administration government cabinet team side camp family estate rally campaign speech interview`)

// brandProduct reads a one-word brand and a word no list knows, after
// a determiner ("a Renault Clio"), as the brand's product: the maker is
// named, the model is no person. A given name opening the pair ("the
// Hugo Barra") is left alone, and so is a name the second word makes a
// body's or a site's.
func (x *Extractor) brandProduct(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	e := x.gaz.lookup(c[:1], shouting)
	if e == nil || !e.weak || e.kind != Organization || givenNames[foldTok(c[0])] || x.gaz.lookup(c[1:], shouting) != nil {
		return mention{}, false
	}
	if f := foldTok(c[1]); orgSuffixes[f] || placeSuffixes[f] || venueSuffixes[f] {
		return mention{}, false // "the Verizon Wireless": the body's own name
	}
	return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}, true
}

// bodyWordsOnly reports whether every token of c is an organization's
// suffix or "Sports" ("Sports", "News Group"): no person's name. Not
// every division word: "Larry King Live" is a show named after a person.
func bodyWordsOnly(c []tokens.Token) bool {
	for _, t := range c {
		if f := foldTok(t); !orgSuffixes[f] && f != "sports" {
			return false
		}
	}
	return len(c) > 0
}

// kinBefore reports whether a kin noun stands right before the name
// ts[i:j] or before a comma and it: "her second child, Sasha" (see
// familyNouns). Asked of every capitalised run; the dictionary only after
// a comma. After a comma or a plural ("their children Malia and Sasha")
// the name must end where an apposition or a list does: "Among
// children, Omicron spread" and "told the parents Ofqual had" start a
// clause.
func kinBefore(text string, ts []tokens.Token, i, j int) bool {
	if i == 0 || ts[i].SentStart || !inSet(ts[i-1], wFamilyNoun) {
		return false
	}
	gap := strings.TrimSpace(text[ts[i-1].End:ts[i].Start])
	switch {
	case gap == "" && !pluralKin[ts[i-1].Lower]:
		return true
	case gap != "" && gap != ",":
		return false
	}
	// not an ordinary word: "foods to our children, Let's Move! is …"
	return !commonWord(foldTok(ts[i])) && appositionEnds(text, ts, j)
}

// pluralKin are the familyNouns that name several people: a name right
// after one is a list's first ("their children Malia and Sasha") or a
// clause's subject ("told the parents Ofqual had").
var pluralKin = set(`children kids grandchildren granddaughters grandsons nieces nephews twins parents`)

// appositionEnds reports whether the name ending before ts[j] ends the
// text, or is followed by a comma, a full stop, a bracket, a colon or
// "and": where a name in apposition or in a list of kin ends.
func appositionEnds(text string, ts []tokens.Token, j int) bool {
	if j >= len(ts) {
		return true
	}
	gap := strings.TrimSpace(text[ts[j-1].End:ts[j].Start])
	if gap == "" {
		return ts[j].Lower == "and"
	}
	// the first mark decides: "Sasha." may be followed by a paragraph
	// that opens with a quote
	return strings.IndexByte(",.);:", gap[0]) >= 0
}

// kinAfter reports whether the name ending before ts[j] is a possessive
// a kin noun follows: "Malia and Sasha's mom" (see familyNouns).
func kinAfter(ts []tokens.Token, j int) bool {
	return j < len(ts) && !ts[j].Break && possessive(ts[j-1].Text) && kinNoun(ts[j].Lower)
}

// ageAfter reports whether the name ending before ts[j] is followed by an
// age between commas, or a comma and an age ending the clause: "Malia,
// 16, and Sasha, 13." News gives people's ages so, and no body's.
func ageAfter(text string, ts []tokens.Token, j int) bool {
	if j >= len(ts) || !age(ts[j]) || strings.TrimSpace(text[ts[j-1].End:ts[j].Start]) != "," {
		return false
	}
	rest := text[ts[j].End:]
	// not "the Lottery, 1,000 combinations": a number's thousands
	return len(rest) > 1 && (rest[0] == ',' && rest[1] == ' ' || rest[0] == '.' && (rest[1] == ' ' || rest[1] == '\n')) || rest == "."
}

// unknownNoPerson reports whether no mention of ms is a known name or a
// person a given name vouches for: the pieces of a run the recognizer
// cut without knowing them, which an apposition may make one body.
func unknownNoPerson(ms []mention) bool {
	for _, m := range ms {
		if m.e != nil || m.kind == Person && givenNames[m.toks[0]] {
			return false
		}
	}
	return true
}

// knownAroundFor returns the index of the run's first lower-case "for"
// when it stands between two names, one of them known ("Conservative
// Party for UKIP", "World Bank for Harvard", "Premier League for
// Spain"): a move from one to the other, not a body's field (review24);
// 0 otherwise. A lone body noun before it keeps its field, known or not
// ("Alliance for Europe").
func (x *Extractor) knownAroundFor(c []tokens.Token, shouting bool) int {
	for k := 1; k+1 < len(c); k++ {
		if c[k].Text != "for" {
			continue
		}
		lone := k == 1 && (institutionHeads[foldTok(c[0])] || forHeads[foldTok(c[0])])
		if x.gaz.lookup(c[:k], shouting) != nil || !lone && x.gaz.lookup(c[k+1:], shouting) != nil {
			return k
		}
		return 0
	}
	return 0
}

// unknownState reads "Kerala State", "Rakhine State": a word no list
// knows and a capitalised "State" name a country's state, no person,
// though a speech verb follows ("Officials in Kerala State said"). Only
// with a place cue, which the caller checks (a preposition of place
// before, an official's noun after): a bare "Boise State", "Penn State",
// "Morgan State" is a US college or its team (review24), left to the
// other rules. ("State" is a title's word elsewhere, in "Secretary of
// State", so no shape rule reads it.)
func (x *Extractor) unknownState(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	if len(c) != 2 || foldTok(c[1]) != "state" || !c[0].Capitalized() || possessive(c[1].Text) {
		return mention{}, false
	}
	f := foldTok(c[0])
	if givenNames[f] || commonWord(f) || x.gaz.lookup(c[:1], shouting) != nil {
		return mention{}, false
	}
	return mention{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}, true
}

// stateAfterNouns after "X State" make it a state: "Borno State
// governor", "Kachin State officials", "Kerala State government".
var stateAfterNouns = set(`governor governors government officials official assembly legislature police capital`)

// isisGiven reports whether the run opens with "Isis" as a woman's given
// name ("The singer Isis Gaston said", "Isis Jones said"), not the
// Islamic State's word-form, which the gazetteer reads first (review24):
// the next word is capitalised, no body's noun and no known name, and
// the run is no title-case headline's, whose capitals say nothing ("Isis
// Fighters Seize Town"). "ISIS" in capitals is always the group.
func (x *Extractor) isisGiven(c []tokens.Token, guarded, shouting bool) bool {
	if len(c) < 2 || c[0].Text != "Isis" || guarded || shouting || !c[1].Capitalized() {
		return false
	}
	f := foldTok(c[1])
	return !orgSuffixes[f] && !orgNoun(f) && !commonWord(f) && x.gaz.lookup(c[1:2], false) == nil
}

// vehicleNouns after a make name the car it makes: "a Seat car", "a
// black Seat hatchback".
var vehicleNouns = set(`car cars hatchback saloon sedan suv van minivan truck lorry jeep motorbike motorcycle scooter`)

// ordinaryMake returns a car's make named by an ordinary word at ts[i]
// (the run ts[i:j], the make alone or the make and its model), which the
// brand list leaves out as it leaves out every brand of ordinary words
// ("Seat", as "Apple"): a capital inside a sentence, after a determiner
// and a colour ("a black Seat", "a black Seat Leon") or before a
// vehicle's noun after a determiner ("a Seat car", "a black Seat
// hatchback"). Not a word that describes a person after a colour ("a
// black Republican", "a white Catholic", "a black American"), an
// organization's own word ("a Police car"), a given name ("the black
// Jack Smith album") or a word no dictionary holds ("a black Camelot");
// false otherwise.
func (x *Extractor) ordinaryMake(ts []tokens.Token, i, j int, shouting bool) (mention, bool) {
	if j-i > 2 || i < 2 || ts[i].SentStart || ts[i].Break || !ts[i].Capitalized() {
		return mention{}, false
	}
	// the words around it first: asked of every run, and most follow no
	// colour and precede no vehicle, told without the dictionary
	lower := func(t tokens.Token) bool { return !t.Break && !t.SentStart && !t.Capitalized() }
	colour := lower(ts[i-1]) && colourWords[ts[i-1].Lower] && inSet(ts[i-2], wDeterminer)
	det := lower(ts[i-1]) && inSet(ts[i-1], wDeterminer) || colour
	vehicle := j == i+1 && j < len(ts) && lower(ts[j]) && vehicleNouns[ts[j].Lower]
	if !(colour || det && vehicle) {
		return mention{}, false
	}
	f := foldTok(ts[i])
	if !commonWord(f) || givenNames[f] || titles[f] || capStop[f] || demonymShaped(f) || orgSuffixes[f] || possessive(ts[i].Text) ||
		strings.HasSuffix(f, "ic") || strings.HasSuffix(f, "al") || strings.HasSuffix(f, "ist") {
		return mention{}, false
	}
	if e := x.gaz.lookup(ts[i:i+1], shouting); e != nil && e.kind != Organization {
		return mention{}, false
	}
	if j == i+2 {
		// the model after the make: a word no list knows, no body's
		if f2 := foldTok(ts[i+1]); x.gaz.lookup(ts[i+1:j], shouting) != nil || orgSuffixes[f2] || placeSuffixes[f2] || venueSuffixes[f2] || possessive(ts[i+1].Text) {
			return mention{}, false
		}
	}
	return mention{kind: Organization, name: ts[i].Text, toks: []string{f}}, true
}
