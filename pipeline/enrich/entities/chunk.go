package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// chunk turns a run of capitalised words into mentions, appended to dst
// (recognize's slice, or nil where a rule reads the run's mentions alone):
// most runs are one mention, and a slice of its own for each, copied into
// recognize's at once, was a third of recognition's allocations.
func (x *Extractor) chunk(dst []mention, c []tokens.Token, prev, next *tokens.Token, ofPlace, listedPerson, inTitle, guarded, shouting bool, lang string) []mention {
	run := c             // the run as given, before any word is stripped
	var known runLongest // the gazetteer's longest name opening the run, asked up to four times
	// "Columbia, S.C.", "Washington, D.C.": a US state's or the
	// District's dotted postal abbreviation, written so only for them (AP
	// style), is the state; undotted, the letters are too many other
	// things ("SD card", "SC Freiburg", "28 NM").
	if len(c) == 1 && len(c[0].Text) == 4 { // every key is "X.Y.": most runs are no key, told without the map
		if name, ok := dottedStates[c[0].Text]; ok {
			if e := x.gaz.lookup(tokens.Split(name), false); e != nil && e.kind == Place {
				return append(dst, mention{kind: Place, e: e, name: e.name, inTitle: inTitle})
			}
		}
	}
	if marketIndex(c, next) {
		return dst // "FTSE aided by …", "after S&P's record close": the index, no body
	}
	if len(c) == 1 && feedFormat(c[0], prev, next) {
		return dst // "via RSS", "an RSS feed": the format, no body
	}
	if len(c) == 1 && next != nil && c[0].SentStart && x.givenNameSubject(&c[0], next, shouting) {
		// "Lindsay starts soft on OWN": see givenNameSubject
		return append(dst, mention{kind: "", name: c[0].Text, toks: []string{foldTok(c[0])}, inTitle: inTitle, cued: true, givenSubject: true})
	}
	// "Sky said", "Sprint chairman wants": a body the gazetteer knows
	// only in ordinary words, opening a sentence, before a company's
	// role or a speech verb (see openingBody).
	if len(c) == 1 && c[0].SentStart { // openingBody's first word (a sentence's first, alone)
		if m, ok := x.openingBody(c, next, guarded, shouting, inTitle); ok {
			return append(dst, m)
		}
	}
	// "Dick's 4Q revenue", "Modell's CEO": a store by its founder's
	// possessive (storePossessive).
	if x.storePossessive(c, next, shouting) {
		return append(dst, mention{kind: Organization, name: c[0].Text, toks: []string{foldTok(c[0])}, inTitle: inTitle})
	}
	// "Quellmark employees", "We Talk With Quellmark CEO Vince
	// Zampella": a word no list knows before a company's chief or staff
	// is the company (unknownBeforeChief); the words around it are read
	// as runs of their own.
	if k := x.chiefAt(c, next, shouting); k >= 0 {
		out := dst
		if k > 0 {
			out = x.chunk(out, c[:k], prev, &c[k], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
		}
		// A bare word listed as a body: a person of the story who bears it
		// takes it first ("Kalanick CEO Exit Shakes Uber" beside "Travis
		// Kalanick stepped down"; issue 15, round 46), else it is the
		// company (resolve's pass 2).
		out = append(out, mention{kind: "", listOrg: true, name: c[k].Text, toks: []string{foldTok(c[k])}, inTitle: inTitle})
		if k+1 < len(c) {
			out = x.chunk(out, c[k+1:], nil, next, false, false, inTitle, guarded, shouting, lang)
		}
		return out
	}
	if len(c) >= 2 { // (each rule of two words or more asked only of such a run: most runs are one word)
		if m, ok := x.stateCounty(c, shouting, inTitle); ok {
			return append(dst, m) // "Wyoming County": a county, not the state
		}
	}
	// "Queen Elizabeth II", "Napoleon III": a name and its regnal number
	// are the person, keyed with the number (regnalPerson).
	if len(c) >= 2 {
		if out, ok := x.regnalPerson(dst, c, prev, next, ofPlace, listedPerson, inTitle, guarded, shouting, lang); ok {
			return out
		}
	}
	// "Prince Harry Gave Cressida Bonas …": a royal's title and given
	// name are the person (royalNameAt), before the run is read for its
	// verb; after them, as after a subject's verb, only the names the
	// lists know ("Kensington Palace", "Cressida Bonas").
	if guarded && len(c) >= 4 {
		if i := x.royalPlaceAt(c, shouting); i >= 0 {
			// "Prince William Sound Oil Spill …": the place, then the
			// headline's words
			out := dst
			if i > 0 {
				out = x.chunk(out, c[:i], prev, &c[i], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			}
			out = append(out, mention{kind: Place, name: joinText(c[i : i+3]), toks: folds(c[i : i+3]), inTitle: inTitle})
			return x.knownAfterVerb(out, c[i+3:], inTitle, shouting)
		}
	}
	if guarded && len(c) >= 3 {
		if i := x.royalNameAt(c, shouting); i >= 0 {
			out := dst
			if i > 0 {
				out = x.chunk(out, c[:i], prev, &c[i], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			}
			out = x.chunk(out, c[i:i+2], nil, &c[i+2], false, false, inTitle, guarded, shouting, lang)
			return x.knownAfterVerb(out, c[i+2:], inTitle, shouting)
		}
	}
	// "China Pressures Crude Oil", "Rand Paul Would Solve Ukraine Crisis
	// …": a title-case headline's run that goes on past its subject
	// into its verb. Not a run after a comma, an apposition's or a
	// list's, which other rules read ("George Clooney's Ex, Stacy Keibler
	// Gets Married"). Nor an empty run: a body's name after a connector
	// can leave none before it (see afterLastConnector's callers).
	if guarded && !shouting && len(c) > 0 && !(prev != nil && c[0].Break) {
		if v := x.subjectVerb(c, shouting); v > 0 {
			var out []mention
			if v == 2 && headlineModals[foldTok(c[2])] && x.gaz.lookup(c[:2], shouting) == nil {
				// "Rand Paul Would …": two unknown name words are the
				// modal's subject, a person (a body's name has its noun).
				out = append(dst, mention{kind: Person, name: joinText(c[:2]), toks: folds(c[:2]), inTitle: inTitle, cued: true})
			} else {
				out = x.chunk(dst, c[:v], prev, &c[v], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			}
			return x.knownAfterVerb(out, c[v+1:], inTitle, shouting)
		}
	}
	// "Theresa May Plan Rejected By Parliament": a passive's past and
	// "By" split the run; the agent after them is read as a run of its
	// own (passiveAgentAt).
	if guarded && !shouting {
		if v := passiveAgentAt(c); v > 0 {
			out := x.chunk(dst, c[:v], prev, &c[v], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			return x.chunk(out, c[v+2:], &c[v+1], next, false, false, inTitle, guarded, shouting, lang)
		}
	}
	// 1. The whole chunk may be known ("Pope Francis", "Bank of England").
	if e := x.gaz.lookup(c, shouting); e != nil && !(guarded && x.gaz.ordinaryForm(c)) {
		if e.weak && len(c) == 1 && e.kind == Organization {
			return append(dst, weakOrg(c[0], e, false, inTitle))
		}
		if e.weak && len(c) == 1 {
			speech := next != nil && speechVerbs[next.Lower] || prev != nil && (prev.Lower == "said" || prev.Lower == "says")
			return append(dst, weakPlace(c[0], speech, weakCue(prev, ofPlace), inTitle))
		}
		if m, ok := x.lowerStateAfter(c, next, e, inTitle); ok {
			return append(dst, m) // "in Washington state": not the city
		}
		// place: a preposition vouches for the place, when a person of
		// the story bears its name ("Angus Houston … Houston said").
		return append(dst, mention{kind: e.kind, e: e, name: e.name, toks: oneWordPersonAlias(c, e), inTitle: inTitle, place: e.kind == Place && weakCue(prev, ofPlace)})
	}
	if len(c) >= 4 {
		if ms, ok := x.bodyTitlePerson(c, shouting, inTitle); ok {
			return append(dst, ms...) // "Bank of England Governor Mark Carney"
		}
	}
	// "Men's Wearhouse": a group's possessive opening a word no
	// dictionary holds names a store or a brand (the chunk was joined
	// so, see possessiveWordName). A hyphenated word ends the name at
	// its hyphen ("Men's Wearhouse-Jos. A. Bank").
	if len(c) >= 2 && x.possessiveWordName(c, 0) {
		return append(dst, possessiveStore(c, inTitle))
	}
	// "BT Group Plc", "Deloitte LLP", "Citigroup Inc": a company's legal
	// form is no part of the name the story goes on to use ("BT Group
	// said"), and it says a company is named, whatever the words before
	// it read as ("accountant Deloitte LLP" is no person).
	var lastPlain string // the last word of two or more, for the lists of ASCII words below
	if len(c) >= 2 {
		lastPlain = plainWord(c[len(c)-1])
	}
	if lastPlain != "" && legalForms[lastPlain] && !c[len(c)-2].Break {
		if m, ok := x.legalName(c[:len(c)-1], shouting, inTitle); ok {
			return append(dst, m)
		}
	}
	// "Men's Wearhouse To Acquire Jos. A. Bank", "Besides Jos A Bank": a
	// given name's abbreviation before an initial opens a name, which
	// the words before it in the run are no part of.
	for k := 1; k+1 < len(c); k++ {
		if tokens.GivenAbbrev(c[k].Lower) && isInitial(c[k+1]) {
			out := x.chunk(dst, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			return x.chunk(out, c[k:], nil, next, false, false, inTitle, guarded, shouting, lang)
		}
	}
	// "American Eagle Outfitters Shares Lower", "Halcyon Semiconductor
	// Results Down": in a title-case headline one run spans the company
	// and the words after it; an industry noun that ends a company's
	// name after its own words (industryNouns, retailNouns) ends the
	// name there.
	if guarded && len(c) > 2 {
		for k := 1; k < len(c)-1 && k <= 3; k++ {
			f := foldTok(c[k])
			if (industryNouns[f] && !allCommon(folds(c[:k])) || retailNouns[f]) && x.gaz.lookup(c[:k+1], shouting) == nil {
				out := x.chunk(dst, c[:k+1], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
				return x.chunk(out, c[k+1:], nil, next, false, false, inTitle, guarded, shouting, lang)
			}
		}
	}
	// "Harvard Law", "Yale Law": a university the gazetteer knows and a
	// professional school's field name that school, as its full name
	// does ("Harvard Law School"), not the university.
	if lastPlain != "" && schoolFields[lastPlain] && !possessive(c[len(c)-2].Text) {
		if e := x.gaz.lookup(withoutSentenceOpeners(c[:len(c)-1]), shouting); e != nil && e.kind == Organization && strings.Contains(e.name, "University") {
			name := stripPossessive(joinText(withoutSentenceOpeners(c))) + " School"
			return append(dst, mention{kind: Organization, name: name, toks: append(folds(withoutSentenceOpeners(c)), "school"), inTitle: inTitle})
		}
	}
	// "Seven Indonesians, six Australians": a country's people, named
	// alone by a demonym's plural the lists do not write, stand for the
	// country as the singular does; not inside a longer name ("the
	// Cleveland Indians", "American Indians"), but after a sentence's
	// opening ordinary word ("Seven Indonesians").
	if k := len(c) - 1; !guarded && (k == 0 && demonymPluralShaped(c[0]) || k == 1 && c[0].SentStart && demonymPluralShaped(c[1]) && commonWord(foldTok(c[0]))) {
		if e := x.demonymPlural(c[k], shouting); e != nil {
			return append(dst, mention{kind: Place, e: e, name: e.name, inTitle: inTitle})
		}
	}
	// "Brazilians Denilson and Eduardo hail from …": a demonym's plural
	// opening a run stands before the people it describes, an
	// apposition, not a first name (round 30, set 35); what follows is
	// read alone, and a bare word there is a person.
	if len(c) >= 2 && !guarded && demonymPluralShaped(c[0]) && !commonWord(foldTok(c[1])) && !inFoldSet(c[1], wCapStop) {
		if e := x.demonymPlural(c[0], shouting); e != nil && x.gaz.lookup(c, shouting) == nil {
			out := append(dst, mention{kind: Place, e: e, name: e.name, inTitle: inTitle})
			out = x.chunk(out, c[1:], nil, next, ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			if m := out[len(dst)+1:]; len(m) == 1 && m[0].kind == "" {
				m[0].kind, m[0].cued = Person, true // a bare name the people's word describes is one of them
			}
			return out
		}
	}
	// "Qualcomm MSM8974", "Nvidia GTX980": a maker the gazetteer knows
	// and a model code name the maker; the code is no body.
	// So does a maker known by its first word alone before a product
	// line's name and the code ("the FujiFilm FinePix F300EXR", "the
	// Nikon Coolpix P900"): the line is the maker's, no name of its own.
	if len(c) >= 2 && !guarded && modelCode(c[len(c)-1]) {
		if e := x.gaz.lookup(c[:len(c)-1], shouting); e != nil && e.kind == Organization {
			return append(dst, mention{kind: Organization, e: e, name: e.name, inTitle: inTitle})
		}
		if e := x.gaz.lookup(c[:1], shouting); len(c) >= 3 && len(c) <= 4 && e != nil && e.kind == Organization && !givenNames[foldTok(c[0])] && productLine(c[1:len(c)-1]) {
			return append(dst, mention{kind: Organization, e: e, name: e.name, inTitle: inTitle})
		}
	}
	// "East Asia", "Northern California": a compass point and a place
	// the gazetteer knows name a region of it.
	// "South East Asian": two compass words are one point.
	compass := 0
	for compass < len(c)-1 && compass < 2 && compassWords[foldTok(c[compass])] {
		compass++
	}
	if compass > 0 {
		if e := x.gaz.lookup(c[compass:], shouting); e != nil && e.kind == Place && !e.weak {
			switch {
			case len(c) == compass+1 && demonymShaped(foldTok(c[compass])) && foldTok(c[compass]) != Fold(e.name):
				return dst // "South Asian", "North American": an adjective of a region, not of the place the word names
			case continents[e.key]:
				return append(dst, mention{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle})
			}
			// "the southern Indian Ocean", "Northern California": a part
			// of the place, which the place's key stands for.
		}
	}
	// 2. Strip titles and sentence-initial function words.
	// titled: a role title vouches for a person; a speech verb only
	// for a word that is no ordinary one ("Department said" is no one).
	cued, titled, female := listedPerson, listedPerson, false
	// "a Renault Clio", "The Renault Clio the two used": a determiner
	// before the run, in the text or opening the sentence.
	// A colour before the run stands for the determiner it follows: "a
	// black Seat Leon", "a silver Renault Clio" — how news describes a car.
	// (the colour, a map probe, is asked only where det is read below)
	detOpener := len(c) > 0 && c[0].SentStart && inSet(c[0], wDeterminer)
	if len(c) >= 2 {
		if ms, ok := x.theName(c, prev, guarded, shouting, inTitle); ok {
			return append(dst, ms...)
		}
	}
	whole := len(c)
	// "Paul Schmitz, CEO of Public Allies": a company's role written with
	// a capital and its "of" say the name after them is the body the
	// role serves (employerRoles), as "chief executive of" does in lower
	// case (employerCue), not a person the title names.
	roleOf := false
	if len(c) >= 3 {
		if m, ok := x.sentenceThe(c, guarded, shouting, inTitle); ok {
			return append(dst, m)
		}
	}
	for len(c) > 0 {
		f := foldTok(c[0])
		if _, n := known.of(x, c, shouting); n > 0 {
			break // "Premier League" is no premier
		}
		if n := stripRole(c); n > 0 && !onlyAdjectival(c[:n]) && !royalNamedPlace(c) { // "Prince William Sound": the title is the place's
			if bodyWordsOnly(c[n:]) {
				return dst // "Star Sports" cut from "ESPN Star Sports": no person after the title
			}
			if guarded && roleThingAfter(c[n:]) {
				return dst // "Quellmark CEO Memo Lists Cuts": the chief's memo, no one (roleThingAfter)
			}
			cued, titled = true, true
			for _, t := range c[:n] {
				female = female || femaleTitles[foldTok(t)]
			}
			roleOf = n < len(c)-1 && c[n].Lower == "of" && employerRoles[foldTok(c[n-1])]
			c = c[n:]
			continue
		}
		if givenMonth(c) && !guarded {
			break // "Interior Minister Jan Jambon": the month's short name is his given name
		}
		// A region's adjective before a place and a school's or a body's
		// own noun stays, opening a sentence too: "Central Queensland
		// University announced" is no Queensland University.
		regionOfSchool := len(c) >= 3 && compassWords[f] && ownNameSuffixes[foldTok(c[len(c)-1])]
		// capStop by the word's facts before the language's stopwords
		if (c[0].SentStart || guarded) && (inFoldSet(c[0], wCapStop) || stopwords.Is(lang, c[0].Lower)) && !(regionOfSchool && !stopwords.Is(lang, c[0].Lower)) {
			c = c[1:]
			continue
		}
		// Not before a place's last word: "Easter Island", "Christmas
		// Island" are islands, not a holiday.
		// Nor a region's adjective before a place and a school's or a
		// body's own noun: "Central Queensland University", "Northern
		// Illinois University".
		// Nor "First" opening a congregation's name: "First Baptist
		// Church of Dallas", "First Ebenezer Baptist Church".
		firstChurch := f == "first" && len(c) >= 3 && !guarded && congregationNamed(c)
		if inFoldSet(c[0], wCapStop) && len(c) > 1 && !c[0].AllCaps() && !(len(c) == 2 && placeSuffixes[foldTok(c[1])]) && !(len(c) >= 3 && compassWords[f] && ownNameSuffixes[foldTok(c[len(c)-1])]) && !firstChurch && !royalNamedPlace(c) {
			c = c[1:]
			continue
		}
		break
	}
	for len(c) > 0 && (inSet(c[len(c)-1], wConnector) || len(c) > 1 && inFoldSet(c[len(c)-1], wHonorific)) {
		c = c[:len(c)-1]
	}
	// "Residents of Marin County", "Shares of Harbin Electric Group": a
	// sentence's opening noun for a group of people or things, and its
	// "of", are no part of the name after them (the opener stripped above
	// left the "of").
	if len(c) > 2 && c[0].SentStart && groupOpeners[foldTok(c[0])] && c[1].Lower == "of" {
		c = c[1:]
	}
	if roleOf {
		cued, titled = false, false
	}
	for len(c) > 1 && (c[0].Lower == "of" || c[0].Lower == "for") {
		c = c[1:]
	}
	if len(c) == 0 {
		return dst
	}
	withInitials := c // a body's name keeps its initials ("Jos. A. Bank"), see step 3
	c = dropMiddleInitials(c)
	// The run as given was asked in step 1, and read on only when the
	// gazetteer did not know it or knew it as a title-case headline's
	// ordinary words, which the second check below makes nil again.
	var e *entry
	if !sameRun(c, run) {
		e = x.gaz.lookup(c, shouting)
	}
	if e != nil && len(c) < whole && x.gaz.wordAlias(c) {
		e = nil // "Easter Island": a holiday's name stripped, the foreign name left
	}
	if e != nil && guarded && x.gaz.ordinaryForm(c) {
		e = nil // "The Best Buy In Phones": a title-case headline's capitals
	}
	if e != nil && e.weak && len(c) == 1 && e.kind == Organization {
		return append(dst, weakOrg(c[0], e, titled, inTitle)) // "Mr Dell" is a person
	} else if e != nil && e.weak && len(c) == 1 {
		return append(dst, weakPlace(c[0], cued, weakCue(prev, ofPlace), inTitle)) // "Mr Hamilton"
	} else if e != nil {
		m := mention{kind: e.kind, e: e, name: e.name, toks: oneWordPersonAlias(c, e), inTitle: inTitle, female: female}
		return append(dst, m)
	}
	if len(c) >= 3 && waterOf(c) {
		// "the Gulf of Thailand", "the Strait of Malacca": the water,
		// a place named whole, not the country after "of".
		return append(dst, mention{kind: Place, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle})
	}
	// "Michelle Obama Speaks to …": a person the gazetteer knows, then
	// ordinary words a headline ran into the name.
	if e, n := known.of(x, c, shouting); e != nil && e.kind == Person && !e.weak && n >= 2 && n < len(c) && allCommon(folds(c[n:])) {
		return append(dst, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female})
	}
	// "Jonah Goldberg of National Review", "Mark Smith of Capital
	// Economics": a person, then the body they speak for.
	if len(c) >= 4 {
		if ms, ok := x.personOfBody(c, next, titled, female, inTitle, guarded, shouting, lang); ok {
			return append(dst, ms...)
		}
	}
	// "People magazine", "the Sun newspaper": a noun after the name says
	// what kind of body it is; so does "party" (see partyAfter), and so
	// does a thing of the body's after "the" (see bodyThingNouns).
	if next != nil && (orgAfterNouns[foldTok(*next)] || partyAfter(c, prev, next) || theBodyThing(c, prev, next)) && !titled && !demonymShaped(foldTok(c[len(c)-1])) {
		k := afterLastConnector(c) // "Readers of Lantern magazine"
		out := x.chunk(dst, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
		return append(out, mention{kind: Organization, name: stripPossessive(joinText(c[k:])), toks: folds(c[k:]), inTitle: inTitle})
	}
	// "Royal New Zealand Air Force Orion", "Federal Reserve Chair Janet
	// Yellen": an organization's name ends inside the run; what follows
	// is another name, or a thing the organization owns.
	// "Conservative Party for UKIP", "Bank of England for Goldman
	// Sachs": a "for" between two names, one known, joins neither; the
	// two are read apart (knownAroundFor).
	if k := x.knownAroundFor(c, shouting); k > 0 && !guarded {
		out := x.chunk(dst, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
		return x.chunk(out, c[k+1:], nil, next, false, false, inTitle, guarded, shouting, lang)
	}
	if k := innerOrgEnd(c, guarded); k > 0 {
		head := c[:k]
		out := dst
		if e := x.gaz.lookup(head, shouting); e != nil {
			out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
		} else {
			// "Jos. A. Bank Sold To …": the body's name keeps the middle
			// initial the person path dropped, as in step 3.
			for n := range withInitials {
				if withInitials[n].Start == head[len(head)-1].Start {
					head = withInitials[:n+1]
					break
				}
			}
			out = append(out, mention{kind: Organization, name: joinText(head), toks: folds(head), inTitle: inTitle})
		}
		return x.chunk(out, c[k:], nil, next, false, false, inTitle, guarded, shouting, lang)
	}
	// A speech verb after the name, "said" or a lower-case title before
	// it ("spokesman Dan Johnson", "frontman Bono") mark a person.
	if next != nil && speechVerbs[next.Lower] {
		cued = true
	}
	if prev != nil && (prev.Lower == "said" || prev.Lower == "says") {
		cued = true
	}
	if prev != nil && (inSet(*prev, wTitle) || inSet(*prev, wRoleNoun)) {
		cued, titled = true, true
	}
	// "Malia and Sasha's mom", "Tobias's grandmother", "Clooney's
	// ex-girlfriend": a kin noun after a possessive name says whose kin,
	// a person's.
	if next != nil && possessive(c[len(c)-1].Text) && kinOrFormerKin(next.Lower) {
		cued = true
	}
	// "FA Cup", "World Cup", "Carling Cup": a competition, which is no
	// organization, and no known name inside it is meant on its own.
	if len(c) >= 2 && competitionEnds[foldTok(c[len(c)-1])] {
		return dst
	}
	// "Champions League", "UEFA Nations League": a league named for who
	// plays in it is a competition too, where "Premier League", "Arab
	// League" or "Ivy League" name the body or the group itself.
	if len(c) >= 2 && foldTok(c[len(c)-1]) == "league" && competitorPlurals[foldTok(c[len(c)-2])] {
		return dst
	}
	// "Mobile World Congress", "the World Congress of Cardiology": a
	// world congress is a gathering, an event, where a congress of a
	// people or a cause is a body ("World Jewish Congress").
	if len(c) >= 2 && foldTok(c[len(c)-1]) == "congress" && foldTok(c[len(c)-2]) == "world" {
		return dst
	}
	// "Reality TV", "Stock Market News": in a headline ordinary words
	// before a topic noun are what the story is about (headlineTopic); a
	// body so named is one the gazetteer knows.
	if headlineTopic(c, inTitle) && x.gaz.lookup(c, shouting) == nil {
		return dst
	}
	// "Chicago Premiere Pictures": an occasion's pictures are
	// photographs, no studio; the words before them are read alone
	// (eventPictures).
	if k := eventPictures(c); k > 0 && x.gaz.lookup(c, shouting) == nil {
		if len(c) == k {
			return dst
		}
		return x.chunk(dst, c[:len(c)-k], prev, nil, ofPlace, listedPerson, inTitle, guarded, shouting, lang)
	}
	// "the Republican National Convention": a party's gathering named
	// whole is an event, which names no party; one whose name holds the
	// party's ("Conservative Party Conference") names it there.
	if len(c) >= 2 && inSet(c[0], wPartyWord) && partyEventRun(c) && !slices.ContainsFunc(c, func(t tokens.Token) bool { return t.Lower == "party" }) {
		return dst
	}
	// "actress Sydney Sweeney", "heiress Paris Hilton": a title before a
	// place's name and a word no list knows makes a person whose given
	// name the place shares, as "chief Angus Houston" does for a surname.
	if titled && len(c) == 2 && !guarded && x.placeGivenName(c, shouting) && personShaped(c, lang) {
		return append(dst, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true})
	}
	if len(c) == 2 && !guarded {
		det := prev != nil && (inSet(*prev, wDeterminer) || colourWords[prev.Lower]) || detOpener
		if det && !(next != nil && !next.Capitalized() && ownedNouns[next.Lower]) {
			if m, ok := x.brandProduct(c, shouting, inTitle); ok {
				return append(dst, m)
			}
		}
	}
	// "Chicago Bulls", "Ohio State": a team or a school named after its
	// town or state (teams.go), and "Washington State", "Kansas City"
	// (two words or more, each).
	if len(c) >= 2 && !guarded {
		if m, ok := x.townTeam(c, shouting, inTitle); ok {
			return append(dst, m)
		}
		if m, ok := x.stateSchool(c, shouting, inTitle); ok {
			return append(dst, m)
		}
		stateCue := prev != nil && inSet(*prev, wPlacePrep) || ofPlace || next != nil && inSet(*next, wStateAfterNoun)
		if m, ok := x.namedState(c, prev, stateCue, shouting, inTitle); ok {
			return append(dst, m)
		}
		if m, ok := x.namedCity(c, shouting, inTitle); ok {
			return append(dst, m)
		}
	}
	// "the law firm Sidley Austin", "the band Arctic Monkeys": after a
	// noun of organizations a run that opens with a word no list knows
	// is the body's name, whole, though a later word is a place's or a
	// person's; a run a known name opens is read as usual ("the firm
	// Goldman Sachs in London").
	if len(c) >= 2 && !guarded && prev != nil && orgNounTok(*prev) && !givenNames[foldTok(c[0])] && !possessive(c[len(c)-1].Text) {
		if _, n := known.of(x, c, shouting); n == 0 && !commonWord(foldTok(c[0])) {
			return append(dst, mention{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle})
		}
	}
	// A known name at the end ("Champions Manchester City", "FA Premier
	// League") wins over the chunk's shape.
	// A body's head before "for" or "on" ("Bank for International
	// Settlements", "Council on Foreign Relations") or before "of"
	// ("Ministry of …", "UN Office of …") makes the run a body's name
	// that step 3 reads whole, not split at a known name after it. Each
	// is asked once, for the loop and for step 3.
	// "Bank of England MPC Give Testimony": a known body's name with its
	// "of" ends the body; the headline's words after it are read for the
	// names the lists know alone (knownBodyRunOn).
	if guarded && !shouting {
		if e, n := x.knownBodyRunOn(c, &known, shouting); n > 0 {
			return x.knownAfterVerb(append(dst, bodyMention(c[0], e, inTitle)), c[n:], inTitle, shouting)
		}
	}
	headFor := !guarded && len(c) >= 3 && (innerHeadFor(c) || innerHeadOn(c))
	headOf := len(c) >= 2 && (orgHeads[foldTok(c[0])] && hasOf(c) || innerHeadOf(c))
	for k := 1; k < len(c) && !headOf && !headFor; k++ {
		if e := x.gaz.lookup(c[k:], shouting); e != nil && !e.weak && !x.gaz.wordAlias(c[k:]) && !(guarded && x.gaz.ordinaryForm(c[k:])) {
			if k == 1 && len(c) == 2 && e.kind == Place && (givenNames[foldTok(c[0])] || titled || e.iso == "" && x.firstName(c[0])) && x.gaz.lookup(c[:1], shouting) == nil && personShaped(c, lang) {
				// "Kevin Houston", "chief Angus Houston": a given name or a
				// title before a city's name makes a person whose surname
				// the city shares; a name of the generated list before a
				// city's only, not a country's ("Dion Dublin", not "Siri
				// British").
				return append(dst, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true})
			}
			if k == 1 && len(c) == 2 && e.kind == Organization && !guarded && x.firstName(c[0]) && x.gaz.lookup(c[:1], shouting) == nil && personShaped(c, lang) {
				// "Betty Ford", "Henry Ford": a given name before a known
				// body's one word makes a person whose surname it is, as
				// before a city's name; a name known whole was read above
				// ("Morgan Stanley").
				return append(dst, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true})
			}
			if k == 1 && len(c) == 2 && e.kind == Person && x.kinOfKnownPerson(c, e, guarded, shouting, lang) {
				// "Omar Abaaoud", "Brahim Abdeslam", "Melania Trump": another
				// given name before a known person's surname is a relative of
				// that name, a person whole, not the known one.
				return append(dst, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true})
			}
			if e.kind == Organization && foldTok(c[len(c)-1]) == "party" && !guarded {
				// "Texas Republican Party", "Scottish Labour Party": a
				// place before a party's name names its branch there.
				if p := x.gaz.lookup(c[:k], shouting); p != nil && p.kind == Place && !p.weak {
					return append(dst, mention{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle})
				}
			}
			out := x.chunk(dst, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			return append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female})
		}
	}
	// 3. An organization by its shape: "X Bank", "Ministry of Y".
	first, last := foldTok(c[0]), foldTok(c[len(c)-1])
	if len(c) == 2 && last == "bank" && (first == "left" || first == "right") {
		// "the Left Bank", "Paris's Right Bank": a river's side, a
		// place, not a bank; "West Bank" is in the gazetteer.
		return append(dst, mention{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle})
	}
	suffix := inFoldSet(c[len(c)-1], wOrgSuffix) || inFoldSet(c[len(c)-1], wIndustryNoun) && !allCommon(folds(c[:len(c)-1]))
	if guarded && suffix {
		if v := ordinarySubjectVerb(c); v > 0 {
			// "Spider-Man Sequel Tops Box Office": the run went on through
			// the headline's verb; its last word names no body (round 35).
			out := x.chunk(dst, c[:v], prev, &c[v], ofPlace, listedPerson, inTitle, guarded, shouting, lang)
			return x.knownAfterVerb(out, c[v+1:], inTitle, shouting)
		}
	}
	if len(c) >= 2 && (suffix || headOf || headFor) && !(guarded && !suffix && !bodyNounBeforeConnector(c)) {
		// "French TV", "Greek police": a place and a generic noun name the
		// place, not an organization we could key.
		if e := x.gaz.lookup(c[:1], shouting); len(c) == 2 && e != nil && e.kind == Place && !e.weak && !(ownNameSuffixes[last] && !guarded && c[1].Capitalized() && !genericSchool(last, prev, next, lang)) {
			return append(dst, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
		}
		if suffix && len(withInitials) > len(c) {
			// "Jos. A. Bank", "John Q. Hammons Hotels": a middle initial
			// is part of a body's name, dropped only from a person's.
			c = withInitials
		}
		return append(dst, mention{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle})
	}
	// "Dear Sheryl Sandberg: …", "Stacy Keibler And Jared Pobre's
	// Wedding …": in a title-case headline one run spans the words, and a
	// person inside it is a known given name and a word no dictionary
	// holds (see titleCasePerson); what is around it is read apart.
	if guarded && !roleOf && !(prev != nil && orgNounTok(*prev)) {
		// Not a run step 4 reads whole: a hand-listed given name opening
		// four words at most, or five with a verb.
		stepFour := givenNames[first] && (len(c) <= 4 || len(c) == 5 && headlineVerb(c) > 0)
		if p, _ := x.titleCasePerson(c); p >= 0 && (p > 0 || !stepFour) {
			return append(dst, x.titleCasePeople(c, prev, next, inTitle, shouting, lang)...)
		}
	}
	// 4. A person by a known given name: "Dan Johnson", "Jean-Claude Juncker"
	// — unless a noun before it says organization ("newspaper Charlie Hebdo").
	// In a title-case headline, the words after the person's verb are
	// read on ("Stacy Keibler Marries Jared Pobre").
	var afterVerb, afterNoun []tokens.Token
	if len(c) >= 2 && !(prev != nil && orgNounTok(*prev)) && !roleOf && len(c) <= 5 && givenNames[first] && !locationShaped(c) {
		verb := headlineVerb(c)
		if verb > 0 {
			if guarded {
				afterVerb = c[verb+1:]
			}
			c = c[:verb]
		}
		// "Mark Carney Currency-Manipulation Scandal (Grows)": the
		// name ends before the headline's ordinary words.
		if k := nameEndsBeforeNoun(c); guarded && k > 0 {
			if verb == 0 || titlePrepositions[c[k].Lower] {
				afterNoun = c[k:] // up to the verb: "Miley Cyrus After Twitter Comments"
			}
			c = c[:k]
		}
	}
	if len(c) >= 2 && !(prev != nil && orgNounTok(*prev)) && !roleOf && len(c) <= 4 && (givenNames[first] || x.isisGiven(c, guarded, shouting)) && personShaped(c, lang) && !locationShaped(c) {
		out := append(dst, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true})
		if len(afterVerb) > 0 {
			out = x.chunk(out, afterVerb, nil, next, false, false, inTitle, guarded, shouting, lang)
		}
		// After the name's nouns only a name the gazetteer knows is
		// kept ("… After Twitter Comments"): the rest are the
		// headline's ordinary words, and the run ends with the person.
		if len(afterNoun) > 0 && titlePrepositions[afterNoun[0].Lower] {
			// "Miley Cyrus After Twitter Comments": after the preposition
			// the names the gazetteer knows, read word by word, as the
			// run's scan for known names read them before the cut
			return append(out, x.knownNames(afterNoun[1:], inTitle, shouting)...)
		}
		for _, m := range x.chunk(nil, afterNoun, nil, next, false, false, inTitle, guarded, shouting, lang) {
			if len(afterNoun) > 0 && m.e != nil {
				out = append(out, m)
			}
		}
		return out
	}
	// 5. Otherwise scan for known names inside the chunk ("Paris Saint-Germain
	// striker", "Cyprus Popular Bank"), and keep the rest as candidates.
	placeCue := prev != nil && inSet(*prev, wPlacePrep) || ofPlace
	orgCue := prev != nil && orgNounTok(*prev) || roleOf
	if len(c) == 2 && (placeCue || next != nil && inSet(*next, wStateAfterNoun)) { // "Washington state" and the like: two words
		if m, ok := x.unknownState(c, shouting, inTitle); ok {
			return append(dst, m)
		}
	}
	out := dst
	// rest is the run of c the gazetteer did not know, c[from:k]: a
	// subslice rather than a copy, since tokens are never modified and
	// the run is always contiguous (anything known ends it).
	var rest []tokens.Token
	from := 0
	flush := func() {
		if len(rest) == 0 {
			return
		}
		afterClock := from == 0 && clockBefore(prev) // "At 9 PM Doylestown"
		out = x.unknown(out, rest, cued, titled, female, inTitle, guarded, shouting, placeCue && len(out) == len(dst), orgCue && len(out) == len(dst), afterClock, lang)
		rest = nil
	}
	for k := 0; k < len(c); {
		// "SoftBank CEO Masayoshi Son", "Sprint Chairman": a company's
		// role after a one-word known body says the body, which a weak
		// or a sentence's ordinary-word form alone does not.
		if e := x.bodyBeforeRole(c, k, shouting); e != nil && len(rest) == 0 {
			flush()
			out = append(out, bodyMention(c[k], e, inTitle))
			k++
			continue
		}
		// A weak name splits no run: "Hugo Barra" is no brand Hugo.
		// Nor does a foreign name that is an English word: "Easter Island".
		// A weak body that ends a run a known name split before it is
		// read ("Samsung SmartThings": two bodies; round 35).
		if e, n := known.of(x, c[k:], shouting); n > 0 && !(e.weak && (len(rest) > 0 || e.kind == Organization && n < len(c)-k)) && !(whole > 1 && x.gaz.wordAliasAt(c, k, n)) && !(guarded && x.gaz.ordinaryForm(c[k:k+n])) {
			flush()
			out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female})
			k += n
			if !shouting && e.kind == Organization && k == len(c)-1 && servicePlate(c[k-1], c[k]) {
				k++ // "HBO GO", "ESPN NOW": the body's service, no name of its own
			}
			continue
		}
		// "Russia-backed", "U.S.-led": a known name before a hyphen.
		if h := hyphenHead(c[k]); h != nil {
			// Not a continent's people in a compound ("Asian-American
			// community"), which names no place (demonymCompound).
			if e := x.gaz.lookup([]tokens.Token{*h}, shouting); e != nil && e.kind != Person && !(continents[e.key] && demonymCompound(foldTok(c[k]))) {
				flush()
				out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
				k++
				continue
			}
		}
		if len(rest) == 0 {
			from = k
		}
		rest = c[from : k+1]
		k++
	}
	flush()
	return out
}

// companyRoles are the roles after a body's name that say a company
// employs them ("Sprint chairman", "SoftBank CEO", "Target spokesman",
// "Sky shares"): employerRoles and holdings, and a chief or a boss.
var companyRoles = func() map[string]bool {
	out := set(`chief boss`)
	for _, m := range []map[string]bool{employerRoles, holdingNouns} {
		for w := range m {
			out[w] = true
		}
	}
	return out
}()

// openingBody reads a sentence's first word alone as the body the
// gazetteer knows by it in ordinary words ("Sky", "Sprint", "Target"),
// whose capital a sentence's start gives any word (see lookupStarted),
// when the word after it says a body: a company's role in lower case
// ("Sprint chairman wants") or, outside a title-case headline, a speech
// verb ("Sky said"). Not "Sprint finish", "Sky is clear".
func (x *Extractor) openingBody(c []tokens.Token, next *tokens.Token, guarded, shouting, inTitle bool) (mention, bool) {
	if len(c) != 1 || !c[0].SentStart || next == nil || next.Capitalized() {
		return mention{}, false
	}
	if !companyRoles[next.Lower] && !(speechVerbs[next.Lower] && !guarded) {
		return mention{}, false
	}
	e := x.sentenceOrdinaryBody(c[0], shouting)
	if e == nil {
		return mention{}, false
	}
	return bodyMention(c[0], e, inTitle), true
}

// bodyMention is a known body's mention; a weak one stays weak, so a
// person of the story with that surname still claims it ("Michael Dell
// … Dell said").
func bodyMention(t tokens.Token, e *entry, inTitle bool) mention {
	if e.weak {
		return weakOrg(t, e, false, inTitle)
	}
	return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}
}

// openingBodyListed reads a sentence's first word alone, ts[i:j], as the
// body the gazetteer knows by it in ordinary words when "and" or "or"
// joins it to a name that is a body too ("Sky and Setanta agree", "Sprint
// or Verizon will"): a body the gazetteer knows, or a word no dictionary,
// name list or gazetteer holds, which the list then makes a body (see
// listAs); not a known place or person ("Target and Paris").
func (x *Extractor) openingBodyListed(ts []tokens.Token, i, j int, shouting, inTitle bool) (mention, bool) {
	if j != i+1 || !ts[i].SentStart || j+1 >= len(ts) || ts[j].Break || ts[j+1].Break || (ts[j].Lower != "and" && ts[j].Lower != "or") || !ts[j+1].Capitalized() {
		return mention{}, false
	}
	after := ts[j+1]
	if e, n := x.longest(ts[j+1:], shouting); n > 0 {
		if e.kind != Organization {
			return mention{}, false
		}
	} else if f := foldTok(after); commonWord(f) || x.firstName(after) || after.AllCaps() {
		return mention{}, false
	}
	e := x.sentenceOrdinaryBody(ts[i], shouting)
	if e == nil || !x.gaz.ordinaryForm(ts[i:j]) {
		return mention{}, false
	}
	return bodyMention(ts[i], e, inTitle), true
}

// sentenceOrdinaryBody is the body of the gazetteer t names, t being a
// sentence's first word in ordinary words, or a weak one-word form.
func (x *Extractor) sentenceOrdinaryBody(t tokens.Token, shouting bool) *entry {
	u := t
	u.SentStart = false
	e := x.gaz.lookup([]tokens.Token{u}, shouting)
	if e == nil || e.kind != Organization {
		return nil
	}
	return e
}

// bodyTitlePerson reads a run that opens with a body the gazetteer knows
// by two words or more, then a capitalised office ("Governor",
// "Chairman", "President": isCoreTitle) and one or two more capitalised
// words, the holder ("Bank of England Governor Carney questioned …",
// round 30, set 35's uci-news:4920): the body, and the holder as a
// person, where the run had read as one body's name. Not an ordinary
// word after the office ("… Governor Race"), and not a body the
// gazetteer knows with the office ("Federal Reserve Board").
func (x *Extractor) bodyTitlePerson(c []tokens.Token, shouting, inTitle bool) ([]mention, bool) {
	if len(c) < 4 {
		return nil, false
	}
	e, n := x.longest(c, shouting)
	if e == nil || e.kind != Organization || e.weak || n < 2 || n+1 >= len(c) || possessive(c[n-1].Text) {
		return nil, false
	}
	if office := c[n]; !office.Capitalized() || !coreTitleTok(office) || possessive(office.Text) {
		return nil, false
	}
	h := 0 // the holder's words: a given name may be an ordinary word ("Mark")
	for k := n + 1; k < len(c) && h < 2; k++ {
		t, f := c[k], foldTok(c[k])
		if !t.Capitalized() || t.AllCaps() || capStop[f] || stopwords.IsAny(f) || isCoreTitle(f) || commonWord(f) && !(h == 0 && givenNames[f] && k+1 < len(c)) {
			break
		}
		h++
		if possessive(t.Text) {
			break
		}
	}
	holder, rest := c[n+1:n+1+h], c[n+1+h:]
	if h == 0 || len(rest) > 0 && !allCommon(folds(rest)) {
		return nil, false // "… Governor Race", or more names after
	}
	body := mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle}
	if p := x.gaz.lookup(holder, shouting); p != nil {
		if p.kind != Person {
			return nil, false
		}
		return []mention{body, {kind: Person, e: p, name: p.name, inTitle: inTitle, cued: true}}, true
	}
	if h == 1 && givenNames[foldTok(holder[0])] && commonWord(foldTok(holder[0])) {
		return nil, false // "Governor Mark" alone
	}
	return []mention{body, {kind: Person, name: stripPossessive(joinText(holder)), toks: folds(holder), inTitle: inTitle, cued: true}}, true
}

// bodyBeforeRole is the known body c[k] names when a company's role
// follows it in the run ("SoftBank CEO", "Sprint Chairman"), else nil.
func (x *Extractor) bodyBeforeRole(c []tokens.Token, k int, shouting bool) *entry {
	if k+1 >= len(c) || !companyRoles[foldTok(c[k+1])] || possessive(c[k].Text) {
		return nil
	}
	return x.sentenceOrdinaryBody(c[k], shouting)
}

// titleCasePerson finds a person inside a title-case headline's run: a
// given name (firstName: the hand list, or the generated one less
// ordinary words, "Rose", "Bill", and names the gazetteer claims), then,
// one space after it, a capitalised word that is neither an ordinary word nor a stop word
// ("Jared Pobre", "Miley Cyrus"), possibly possessive, and no third such
// word right after it (a "&" or a comma between ends the name). It returns where the first such name starts and its
// length; -1, 0 when there is none.
func (x *Extractor) titleCasePerson(c []tokens.Token) (p, n int) {
	nameWord := func(t tokens.Token) bool {
		f := foldTok(t)
		return t.Capitalized() && !t.AllCaps() && len(f) > 1 && !commonWord(f) && !stopwords.IsAny(f) && !capStop[f] && !hasDigit(f)
	}
	// surname: after a known given name, a census surname that is an
	// ordinary word too, no verb in -s and no name the gazetteer claims
	// ("Neil Young", "Taylor Swift"; not "Tom Ford", "Shakira Turns"), as
	// twoWordSubject reads it before a verb — where the name visibly ends
	// after it: possessive, the run's end, or a stop word next ("Neil
	// Young To Launch …", "Taylor Swift Up For Award"). Before another
	// capitalised word the ordinary word is as likely the headline's own
	// ("Miley Fan Snuck Into …", "Emmy Worthy Performance").
	surname := func(p int) bool {
		if nameWord(c[p+1]) {
			return true
		}
		t := c[p+1]
		f := foldTok(t)
		// A given name that is an ordinary word too ("Frank", "Carol",
		// "Grace") before an ordinary-word surname is two ordinary words,
		// the headline's own as likely: "Frank Talk With …", "Carol
		// Service To Be Held", "Anne Frank House To Reopen".
		// A building's, a venue's or a place's last word ends that name
		// as in listedFirst ("Jackson Hole", "Lincoln Park").
		if !x.firstName(c[p]) || commonWord(foldTok(c[p])) || buildingEnds[f] || !t.Capitalized() || t.AllCaps() || !surnameWord(f) || stopwords.IsAny(f) || capStop[f] || verbInS(f) || x.gaz.lookup(c[p+1:p+2], false) != nil {
			return false
		}
		return possessive(t.Text) || p+2 >= len(c) || c[p+2].Start != t.End+1 || stopwords.IsAny(foldTok(c[p+2]))
	}
	for p = 0; p+1 < len(c); p++ {
		if !(x.firstName(c[p]) || p == 0 && x.unknownNamePair(c) || x.ordinaryGivenBefore(c, p) || x.pairAfterOccupation(c, p)) || possessive(c[p].Text) || c[p+1].Start != c[p].End+1 || !surname(p) {
			continue
		}
		if p+2 < len(c) && !possessive(c[p+1].Text) && c[p+2].Start == c[p+1].End+1 && nameWord(c[p+2]) {
			// three such words in a row ("Beyonce Jennifer Garner",
			// "Prince Harry Cressida Bonas", "Miley Cyrus Bangerz"): where
			// one name ends is not known, nor inside the words after
			for p+1 < len(c) && nameWord(c[p+1]) && !possessive(c[p].Text) && c[p+1].Start == c[p].End+1 {
				p++
			}
			continue
		}
		return p, 2
	}
	return -1, 0
}

// titleCasePeople reads a title-case headline's run that holds a person
// (titleCasePerson): each such person, and between them only what the
// gazetteer knows — the capitals of the words around say nothing.
func (x *Extractor) titleCasePeople(c []tokens.Token, prev, next *tokens.Token, inTitle, shouting bool, lang string) []mention {
	var out []mention
	known := func(part []tokens.Token, prev, next *tokens.Token) {
		before := len(out)
		for _, m := range x.chunk(nil, part, prev, next, false, false, inTitle, true, shouting, lang) {
			if m.e != nil {
				out = append(out, m)
			}
		}
		if len(out) == before {
			// "Neil Young Will Sell PonoPlayer Device Through
			// Kickstarter": a weak body in its own form, as in a
			// title-case run that names no one (recognize)
			out = x.weakBodiesWritten(out, part, inTitle, shouting)
		}
	}
	for len(c) > 0 {
		p, n := x.titleCasePerson(c)
		if p < 0 {
			known(c, prev, next)
			break
		}
		if w := x.listedBeforePerson(c, p); w >= 0 {
			// "Why Beyoncé And Victoria Beckham Want …"
			known(c[:w], prev, nil)
			out = append(out, mention{kind: Person, name: stripPossessive(c[w].Text), toks: folds(c[w : w+1]), inTitle: inTitle, cued: true})
		} else if p > 0 {
			known(c[:p], prev, nil)
		}
		out = append(out, mention{kind: Person, name: stripPossessive(joinText(c[p : p+n])), toks: folds(c[p : p+n]), inTitle: inTitle, cued: true})
		c, prev = c[p+n:], nil
	}
	return out
}

// runLongest remembers chunk's last x.longest answer: a run left
// unchanged by the opener-stripping loop is asked again after it, by the
// body-noun rule and by the final scan — the same gazetteer probes, up to
// four times a run.
type runLongest struct {
	c []tokens.Token // the run asked last
	e *entry
	n int
}

// of is x.longest(c, shouting); shouting is the same for every run asked
// in one chunk.
func (r *runLongest) of(x *Extractor, c []tokens.Token, shouting bool) (*entry, int) {
	if len(c) == 0 {
		return nil, 0
	}
	if !sameRun(c, r.c) {
		r.c = c
		r.e, r.n = x.longest(c, shouting)
	}
	return r.e, r.n
}

// sameRun is whether a and b are the same tokens: a story's words are
// never modified, so a subslice starting at the same word with the same
// length holds the same words (a rule's own copy, dropMiddleInitials', is
// another array, never the same).
func sameRun(a, b []tokens.Token) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}
