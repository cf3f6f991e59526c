package entities

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

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
	maiden  bool // a name one was born with ("the former Michelle Robinson"): see mergeMaidenNames
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

// recognize appends the mentions in one segment of text (the title or the
// body) to out.
func (x *Extractor) recognize(out []mention, f tokens.Field, inTitle bool, sports *footballStory, lang string, defs map[string]mention) []mention {
	text, ts := f.Text, unElideAll(f.Tokens)
	guarded := inTitle && titleCase(ts)
	shouting := inTitle && allCaps(ts)
	// The last chunk's end and what it named, for lists: a bare word
	// joined by "and", "or" or a comma to an organization or a place is
	// listed with it ("Huawei, Lenovo and ZTE", "Verviers, Belgium").
	lastEnd, lastKind, lastBare := -1, "", -1
	// lastDemonym: the last chunk was a place named by its people's
	// adjective ("Indian"), which lists adjectives, not places.
	lastDemonym := false
	// listOrgs counts the organizations of the list running at lastEnd:
	// with two of them, or one on each side, an ordinary word listed
	// among them is one too ("Verizon, AT&T and Sprint", "AT&T, Sprint,
	// and Verizon").
	listOrgs := 0
	clubEnd := -2 // where the last city read as a club ended
	// lastCity: the mention of the last chunk when it was a city alone,
	// which a body listed after it in a football story makes a club.
	lastCity := -1
	// clubList: the last chunk was a club a list of clubs named (see
	// clubListCue), so a name listed after it is one too.
	clubList := false
	var lineups [][2]int // a match report's printed line-ups: see lineupSpans
	if !inTitle && sports.football() {
		// only in a football story: a list of countries, votes or
		// stations after a colon has the same shape
		lineups = lineupSpans(text)
	}
	i := 0
	for i < len(ts) {
		t := ts[i]
		if lineups != nil && nameLike(t) && inSpan(lineups, t.Start) {
			m, j := lineupName(text, ts, i, inTitle)
			out = append(out, m)
			i = j
			continue
		}
		if caseless(t) {
			// Longest gazetteer match starting here, nothing else.
			if m, n := x.longest(ts[i:], false); n > 0 {
				out = append(out, mention{kind: m.kind, e: m, name: m.name, inTitle: inTitle})
				i += n
				continue
			}
			i++
			continue
		}
		if m, ok := x.siteOrCamelOrg(t, inTitle); ok {
			out = append(out, m)
			i++
			continue
		}
		if !nameLike(t) || t.Start > 0 && text[t.Start-1] == '.' && t.AllCaps() {
			if t.Lower == "ministry" && !guarded && i > 1 && portfolios[ts[i-1].Lower] && lowerWord(ts[i-1]) && !t.Break && !ts[i-1].Break && governmentBefore(ts[i-2]) {
				// "China's foreign ministry said", "the interior
				// ministry": a government's ministry named in lower
				// case, which no capitalised run reads; not a church's
				// or its health ministry (governmentBefore).
				out = append(out, mention{kind: Organization, name: titleWord(ts[i-1].Lower) + " Ministry", toks: []string{ts[i-1].Lower, "ministry"}, inTitle: inTitle})
				i++
				continue
			}
			if t.Lower == "ministry" && !guarded {
				// "said Japan's ministry of health, labour and welfare"
				if k := ministryOf(text, ts, i); k > 0 {
					out = append(out, mention{kind: Organization, name: text[t.Start:ts[k-1].End], toks: folds(ts[i:k]), inTitle: inTitle})
					i = k
					continue
				}
			}
			i++ // "(.DJI)": an index or ticker code, no name
			continue
		}
		if t.Start > 0 && (text[t.Start-1] == '#' || text[t.Start-1] == '@') {
			i++ // "#BringBackOurGirls", "@BBCBreaking": a hashtag or a handle
			continue
		}
		// The chunk: capitalised words, with lower-case connectors between
		// them, up to punctuation or a sentence end.
		j := i + 1
		var nicks []int // quoted nicknames inside the name, left out of it
		for j < len(ts) {
			u := ts[j]
			if j-i <= 2 && nickname(text, ts, j) {
				// Susan "Nunu" Bell, Joaquin "El Chapo" Guzman
				nicks = append(nicks, j)
				j += 2
				continue
			}
			if glottalStop(text, ts[j-1], u) {
				j++ // "Kapi-'olani": one word the tokenizer split
				continue
			}
			if pluralPossessiveInName(text, ts, i, j) {
				j++ // "Airline Pilots' Association": the apostrophe is inside the name
				continue
			}
			if j == i+1 && x.possessiveWordName(ts, i) {
				j++ // "Men's Wearhouse": a group's possessive opening a name, two words
				break
			}
			if u.Break || u.SentStart || possessive(ts[j-1].Text) {
				break
			}
			if isSite(u) || connectors[u.Lower] && j+1 < len(ts) && isSite(ts[j+1]) {
				break // "Rebecca Traister of Salon.com": the site is a name of its own (siteOrCamelOrg)
			}
			if nameLike(u) {
				j++
				continue
			}
			if u.Lower == "of" && x.possessiveWordName(ts, j+1) {
				break // "Shares of Men's Wearhouse": the store's name opens a run of its own
			}
			if connectors[u.Lower] && j+1 < len(ts) && nameLike(ts[j+1]) && !ts[j+1].Break && !ts[j+1].SentStart {
				j += 2
				continue
			}
			if k := institutionAnd(ts, j); k > 0 {
				j = k
				continue
			}
			if k := headedAnd(ts, i, j); k > 0 {
				j = k
				continue
			}
			if k := headOfThe(ts, j); k > 0 {
				j = k
				continue
			}
			if k := headOn(ts, j); k > 0 && !guarded {
				j = k
				continue
			}
			break
		}
		if k := x.numberedName(ts, i, j); k > j {
			j = k // "Channel 4", "Europe 1", "Ligue 1": a known name ends in its number
		}
		if j-i >= 2 && t.SentStart && !guarded && leadNouns[t.Lower] && !connectors[ts[i+1].Lower] && !bodyWordsOnly(ts[i+1:j]) && x.gaz.lookup(ts[i:j], shouting) == nil {
			// "Insurer Allianz said", "Retailer Tesco cut": a sentence's
			// opening noun of a kind of company is no part of the name
			// after it, and says what it is, as "said insurer Allianz"
			// does (orgNoun before the name). Not when the words after it
			// are only a body's nouns ("Carrier Corp") or the run is known.
			i++
			t = ts[i]
		}
		var prev, next *tokens.Token
		if i > 0 && !t.SentStart {
			prev = &ts[i-1]
		}
		if j < len(ts) && !ts[j].Break {
			next = &ts[j]
		}
		before := len(out)
		listed := lastEnd >= 0 && listJoined(text, ts, lastEnd, i)
		// "actresses Lucy Liu, Sienna Miller and Tilda Swinton": a name
		// listed after a person is one too, when nothing else claims it.
		listedPerson := listed && lastKind == Person && !guarded
		// "her second child, Sasha", "granddaughter Tamsin": a first name
		// after kin, next to it or after a comma (not "Tut [his
		// grandmother], Gramps": a bracket ends the apposition).
		listedPerson = listedPerson || !guarded && kinBefore(text, ts, i, j)
		// "the island of Leros", "the city of Homs": a place.
		ofPlace := prev != nil && i >= 2 && prev.Lower == "of" && placeOfNouns[ts[i-2].Lower]
		// "in central Volos", "in southern Kandahar": a region's adjective
		// between the preposition and the name.
		ofPlace = ofPlace || prev != nil && i >= 2 && compassWords[prev.Lower] && !prev.Capitalized() && placePreps[ts[i-2].Lower]
		c := ts[i:j]
		if nicks != nil {
			c = withoutNicknames(ts, i, j, nicks)
		}
		if k := streetHeadBefore(text, ts, i); k >= 0 && !guarded && !inTitle && !possessive(ts[j-1].Text) {
			// "on rue de Charonne", "along boulevard Voltaire": a French
			// street's head in lower case makes the name after it the
			// street, which is a place, not the person or town its word
			// names.
			for j+1 < len(ts) && (streetParticles[ts[j].Lower] || ts[j].Lower == "au" || ts[j].Lower == "aux") && ts[j+1].Capitalized() && !ts[j].Break && !ts[j+1].Break {
				j += 2 // "rue de la Fontaine au Roi": the name goes on
			}
			out = append(out, mention{kind: Place, name: text[ts[k].Start:ts[j-1].End], toks: folds(ts[k:j]), inTitle: inTitle})
		} else if !guarded && houseNumber(ts, i) && streetName(c) && x.gaz.lookup(c, shouting) == nil {
			// "lived at 1617 S. Beretania": a house number makes the
			// name after it a street, which is a place; not a time's
			// zone ("at 0600 GMT") nor an ordinary word.
			out = append(out, mention{kind: Place, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle})
		} else if m, ok := x.waterBody(prev, c, next, inTitle, shouting); ok {
			// "the southern Indian ocean": a sea, not India
			out = append(out, m)
			j++
		} else if m, ok := x.leagueNickname(c, inTitle, sports); ok {
			// "the Rockets" in a story about the NBA
			out = append(out, m)
		} else if k, m, ok := x.ampersandOrg(text, c, inTitle, guarded, shouting); ok {
			// "Shares of Quill & Hart": what precedes the firm's name is read as usual.
			out = append(out, x.chunk(c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)...)
			out = append(out, m)
		} else {
			out = append(out, x.chunk(c, prev, next, ofPlace, listedPerson, inTitle, guarded, shouting, lang)...)
		}
		if defs != nil {
			out = x.samePlaceNamedPerson(out, before, defs)
		}
		if len(out) == before+1 && j == i+1 && (rivalCue(ts, i) || clubNounAfter(ts, j) || clubClauseAfter(text, ts, i, j) || i == clubEnd+1 && ts[i-1].Lower == "to") && sports.football() {
			// "beat Cardiff", "on loan at Birmingham", "Newcastle boss",
			// "his move from Newcastle to
			// Liverpool": in a football story a city after a result or a
			// transfer, or before a club's people, is its club, the one
			// the story names in full if it does ("Swansea City"); a word
			// no list or dictionary knows after a match's words is a club
			// too ("a goal against Norwich"), unless it is the surname of
			// a person the story names (resolve asks first). Not after a
			// transfer's: "moved to" also says where a family lived.
			if e := x.gaz.lookup(ts[i:j], shouting); e != nil && e.kind == Place && x.gaz.cities[foldTok(t)] {
				out[before] = mention{kind: "", listOrg: true, club: true, name: e.name, toks: []string{foldTok(t)}, inTitle: inTitle}
				clubEnd = j
			} else if m := &out[before]; matchCue(ts, i) && m.kind == "" && m.e == nil && !m.cued && !m.place && !commonWord(m.toks[0]) && !demonymShaped(m.toks[0]) {
				m.listOrg = true
			}
		}
		if len(out) > before && awardAfter(ts, j) {
			// "European Footballer of the Year", "Time's Person of the
			// Year": an award's noun, no one's name; a body in it stays
			// ("PFA Player of the Year").
			kept := slices.DeleteFunc(out[before:], func(m mention) bool { return m.e == nil && (m.kind == Person || m.kind == "") })
			out = out[:before+len(kept)]
		}
		if !inTitle && len(out) > before && tableRow(text, ts, i, j) && sports.football() {
			// "Everton 2 Chelsea 1", "Aston Villa 594, 729": a side in a
			// results or standings line is its club.
			out = x.asTableClub(out, before, c, inTitle, shouting)
		}
		inClubList := listed && clubList
		clubList = false
		if !inTitle && len(out) > before && (inClubList || clubListCue(ts, i)) && x.clubSide(out[before:]) && sports.football() {
			// "Welsh clubs, like Swansea and Cardiff", "clubs ... including
			// Wrexham, Newport County and Colwyn Bay": what a list of clubs
			// names is a club, whatever its town's or its words' reading.
			out = x.asTableClub(out, before, c, inTitle, shouting)
			clubList = true
		}
		if len(out) == before+1 && j == i+1 && out[before].kind == "" && out[before].e == nil && !out[before].cued && !out[before].place && x.placeAfter(ts, j, shouting) && !commonWord(out[before].toks[0]) && !demonymShaped(out[before].toks[0]) && !groupPlural(out[before].toks[0]) && !(prev != nil && (prev.Lower == "the" || hasDigit(prev.Lower))) {
			// "Kyushu island", "Kandahar in southern Afghanistan": the
			// words after a bare name say it is a place; not after "the"
			// or an ordinal ("the Obamas in Europe", "the 11th
			// Arrondissement in Paris"), nor for a group of people
			// opening a headline ("Dockworkers in Rotterdam strike").
			out[before].place = true
		}
		if len(out) == before+1 && out[before].e == nil && (out[before].kind == Person || out[before].kind == "") && basedAfter(ts, j, lang) {
			// "the Port Blair based joint forces commander": what one is
			// based in is a place, whatever names its words look like.
			m := out[before]
			out[before] = mention{kind: Place, name: m.name, toks: m.toks, inTitle: m.inTitle}
		}
		if len(out) == before+1 && j == i+1 && j < len(ts) && !ts[j].Break && deviceNouns[ts[j].Lower] && out[before].kind == Organization && out[before].e == nil && t.AllCaps() {
			// "the PA system": an unknown acronym before a device's noun
			// names the device.
			out = out[:before]
		}
		if len(out) == before+1 && j == i+1 && i >= 2 && ts[i-1].Lower == "on" && recordedVerbs[ts[i-2].Lower] && (j == len(ts) || ts[j].Break || recordedAfter[ts[j].Lower]) && out[before].kind == Organization && out[before].e == nil && t.AllCaps() {
			// "seen on CCTV", "caught on CCTV": what one is seen or
			// caught on is a recording, not a body ("appeared on CNN"
			// names a known one, and "appeared" is no such verb).
			out = out[:before]
		}
		if len(out) > before && j < len(ts) && !ts[j].Break && indexSize(ts[j-1], ts[j]) {
			// "the S&P 500": an index (see indexSize), when the market's
			// name is the one word before the number.
			if m := out[len(out)-1]; m.kind == Organization && Fold(m.name) == foldTok(ts[j-1]) {
				out = out[:len(out)-1]
			}
		}
		if len(out) == before+1 && len(c) >= 2 && out[before].kind == Organization && out[before].e == nil && c[len(c)-1].Lower == "city" && !sports.football() && x.gaz.lookup(c[:len(c)-1], shouting) == nil {
			// "Crescent City", "Quezon City": outside a football story a
			// name ending in City is a town; in one it is a club ("Hull
			// City"), and so it is after a town the gazetteer knows
			// ("Leicester City"), whose own name needs no "City".
			out[before].kind = Place
		}
		if k := x.institutionAfter(ts, i, j, shouting); k >= 0 && !guarded {
			// "the European commission", "the Democratic party": a body
			// the gazetteer knows, its head written in lower case.
			out = append(out[:before], mention{kind: Organization, e: x.gaz.lookup(ts[k:j+1], shouting), inTitle: inTitle})
			out[before].name = out[before].e.name
			j++
		}
		if !guarded && len(out) > before && indexName(c, ts, j, prev != nil && prev.Lower == "the" || c[0].Lower == "the") {
			// "the KBW insurance index", "the Dow Jones industrial
			// average": an index named after its maker is no body.
			out = dropIndexBodies(out, before)
		}
		if !guarded && len(out) == before+1 && j == i+1 && prev != nil && prev.Lower == "the" && out[before].kind == "" && out[before].e == nil && partyMembers(t) {
			// "the Socialists and conservatives expelled 22 deputies":
			// a party named by its members.
			out[before] = mention{kind: Organization, name: out[before].name, toks: out[before].toks, inTitle: inTitle}
		}
		if !guarded && partyWords[t.Lower] && (j > i+1 && stripRole(c) > 0 || j == i+1 && j < len(ts) && lowerWord(ts[j]) && (isCoreTitle(ts[j].Lower) || partyMemberNouns[ts[j].Lower])) && !hasOrg(out[before:]) {
			// "Conservative MP Douglas Carswell", "the Democratic
			// presidential nominee": a party's adjective before a role
			// names the party, which the role's title leaves out.
			out = append(out, mention{})
			copy(out[before+1:], out[before:])
			out[before] = x.party(t, inTitle)
		}
		if !guarded && len(out) == before+1 && j == i+1 && out[before].kind == "" && out[before].e == nil && ageAfter(text, ts, j) {
			// "two daughters: Malia, 16, and Sasha, 13": an age after a
			// bare name is a person's
			out[before].cued = true
		}
		if !guarded && employerCue(ts, i, j) {
			// "a spokesman for Quellmark", "shares in Quellmark"
			asEmployer(out, before, c)
		}
		if !guarded && len(out) == before+1 && out[before].kind != Person && (j > i+1 || !inTitle) && counterpartyCue(ts, i, j, lang) {
			// "a contract with Mediapro", "Norvane's chief executive"; not
			// one word in a headline, which names people by surname
			// alone ("Deal With Mnuchin"): in the text a person is named
			// in full first, and asEmployer leaves a word a person bears.
			asEmployer(out, before, c)
		}
		if !guarded && tickerAfter(text, ts, j) {
			// "Allstate (ALL.N)": a ticker makes the name a listed company.
			out = x.asListedCompany(out, before, c, inTitle, shouting)
		}
		if !guarded && orgBeforeRole(ts, j) {
			// "U2 frontman Bono": the role says whose member follows.
			if m, ok := asRoleOrg(out, before, c, inTitle); ok {
				out = append(out[:before], m)
			} else if m, ok := x.asTeamOfPlace(out, before, inTitle); ok && playerRoles[ts[j].Lower] {
				out = append(out[:before], m)
			}
		}
		// A sentence's first word alone before a comma may be a sentence
		// adverb, which no apposition follows: "Therefore, the team";
		// "Slack, the workplace messaging company" is one.
		if len(out) > before && orgAppositive(text, ts, j) && !(j == i+1 && t.SentStart && sentenceAdverb(t.Lower)) {
			// "Boko Haram, an Islamic militant group": the apposition says
			// what the name is; all of an "of" run the recognizer cut
			// ("Eagles of Death Metal, an American rock band").
			if hasOf(c) && unknownNoPerson(out[before:]) {
				cc := withoutSentenceOpeners(c)
				out = append(out[:before], mention{kind: "", name: stripPossessive(joinText(cc)), toks: folds(cc), inTitle: inTitle})
			}
			if m := &out[len(out)-1]; m.e == nil && (m.kind == Person || m.kind == "") && defs != nil {
				*m = mention{kind: Organization, name: m.name, toks: m.toks, inTitle: m.inTitle}
				defs[appositiveKey(m.toks)] = *m
			}
		}
		if g := j - 2; !guarded && (g == i || g == i+1 && t.SentStart && capStop[t.Lower]) && x.townAfterUnknown(out[before:]) && personAppositive(text, ts, j) && x.unknownGiven(ts[g], shouting) && x.gaz.lookup(ts[g+1:j], shouting) == out[len(out)-1].e {
			// "Angus Houston, the retired Air Chief Marshal": a word no
			// list knows and a town's name, which an apposition calls
			// by a title, are a person, as a title before them says
			// ("chief Angus Houston").
			out = append(out[:before], mention{kind: Person, name: joinText(ts[g:j]), toks: folds(ts[g:j]), inTitle: inTitle, cued: true})
		}
		if !guarded && j >= i+2 && len(out) == before+1 && out[before].e == nil && (out[before].kind == Person || out[before].kind == "") && modelNumberAfter(text, ts, j) && nameLike(ts[j-2]) {
			// "Ilyushin Il-76", "Sukhoi Su-27": the last word and the
			// number hyphened to it are a model's designation, and the
			// words before it its maker, no person.
			// An app's ordinary word before its version ("Camera FV-5")
			// is no maker.
			m := withoutSentenceOpeners(ts[i : j-1])
			if e := x.gaz.lookup(m, shouting); e != nil && e.kind == Organization {
				out[before] = mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}
			} else if !allCommon(folds(m)) {
				out[before] = mention{kind: Organization, name: joinText(m), toks: folds(m), inTitle: inTitle}
			} else {
				out = out[:before]
			}
		}
		if len(out) == before+1 && out[before].kind == Person && out[before].e == nil && len(out[before].toks) >= 2 && maidenCue(text, ts, i) && out[before].toks[0] == foldTok(t) {
			// "the former Michelle Robinson", "(born Michelle
			// Robinson)": the name she was born with.
			out[before].maiden = true
		}
		if len(out) == before+1 && out[before].e != nil && out[before].e.kind == Place && out[before].e.iso == "" && x.countryAfterComma(text, ts, j) {
			// "Agbonlahor (Birmingham, UK)": a town its country follows is
			// the town, in a football story too (see clubsOfTowns).
			out[before].place = true
		}
		city := -1 // a known place alone, which may be a town (asked below)
		// alone, or after a sentence's capitalised opener: "After
		// Liverpool and Chelsea had agreed"
		alone := j == i+1 || j == i+2 && t.SentStart && capStop[t.Lower]
		if len(out) == before+1 && alone && out[before].e != nil && out[before].e.kind == Place {
			city = before
		}
		if listed && (city >= 0 && lastKind == Organization || lastCity >= 0 && bodyNamed(out[before:])) && sports.football() {
			// "Everton, Liverpool and Norwich City", "between Liverpool
			// and Juventus": in a football story a town listed with a
			// body is its club, the one the story names in full if it
			// does ("Swansea City").
			for _, k := range []int{city, lastCity} {
				if k >= 0 && out[k].e != nil && out[k].e.kind == Place && x.gaz.cities[Fold(out[k].e.name)] {
					out[k] = mention{listOrg: true, club: true, name: out[k].e.name, toks: []string{Fold(out[k].e.name)}, inTitle: out[k].inTitle}
				}
			}
			city = -1
		}
		lastCity = city
		kind, bare := "", -1
		if len(out) > before {
			switch m := &out[len(out)-1]; {
			case m.kind == Organization || m.kind == Place || m.kind == Person:
				kind = m.kind // the chunk ends with it: "Shares of Reuters"
			case m.kind == "" && m.listOrg:
				// a one-word brand ("Verizon"), which only its story's
				// people may claim, or a town read as its club lists
				// bodies as a body does
				kind = Organization
			case len(out) == before+1 && m.kind == "" && !m.place && !m.cued && j == i+1 && !t.SentStart && !hasDigit(m.toks[0]):
				bare = before
			case len(out) == before+1 && m.kind == "" && m.cued && (prev != nil && (roleNouns[prev.Lower] || familyNouns[prev.Lower]) || kinAfter(ts, j)):
				// "daughters Malia and Sasha": a name a role vouched
				// for heads a list of persons
				kind = Person
			}
		}
		// Not an ordinary word ("Instead", "Clock" are no company); asked
		// only of a word in a list, as the dictionary search costs. After a
		// place only "and" or "or" lists ("In Brussels, Michel said" does not).
		// "Asian, Latina and Indian women": a word listed with a place
		// named by its adjective is an adjective too, no place.
		demonym := kind == Place && j == i+1 && demonymShaped(foldTok(t))
		if listed && bare >= 0 && (lastKind == Organization || lastKind == Place && i == lastEnd+1 && !lastDemonym || lastKind == Person) && (lastKind == Organization && listOrgs >= 2 || !commonWord(out[bare].toks[0])) {
			listAs(&out[bare], lastKind)
			kind = lastKind
		}
		if listed && kind != "" && lastBare >= 0 && !demonym && (kind == Organization && listOrgs >= 1 || !commonWord(out[lastBare].toks[0])) {
			listAs(&out[lastBare], kind)
		}
		if listed && lastKind == Organization && listOrgs >= 2 && len(out) == before+1 && out[before].shape {
			// "AT&T, Sprint, T-Mobile, MetroPCS": a list of bodies vouches
			// for a name made a body by its shape (see dropSpecTerms).
			out[before].shape = false
		}
		switch {
		case !listed:
			listOrgs = 0
			if kind == Organization {
				listOrgs = 1
			}
		case kind == Organization:
			listOrgs++
		}
		lastEnd, lastKind, lastBare, lastDemonym = j, kind, bare, demonym
		// "Australian Maritime Safety Authority (Amsa)": the bracketed
		// word is this story's short name for the entity just named.
		if len(out) > before && j < len(ts) && defs != nil {
			last := out[len(out)-1]
			gap, after := text[ts[j-1].End:ts[j].Start], text[ts[j].End:]
			bracketed := strings.Contains(gap, "(") && strings.HasPrefix(after, ")")
			if last.kind == Person && last.e == nil && bracketed && ts[j].AllCaps() && !acronymStop[foldTok(ts[j])] && x.gaz.lookup(ts[j:j+1], shouting) == nil {
				// "Democratic Rally (DISY)": an acronym is a body's short
				// name, so the run before it is that body, not a person,
				// and one entity under one kind. A known one is not the
				// name's: "James Whitfield (AFP)" credits an agency.
				last = mention{kind: Organization, name: last.name, toks: last.toks, inTitle: last.inTitle}
				out[len(out)-1] = last
			}
			if last.kind != "" && last.kind != Person && bracketed && ts[j].Capitalized() {
				if e := x.gaz.lookup(ts[j:j+1], shouting); e != nil && e.kind == last.kind && last.e == nil {
					// "the U.S. Geological Survey (USGS)": the short name is
					// known, so the long one is that entity too.
					out[len(out)-1] = mention{kind: e.kind, e: e, name: e.name, inTitle: last.inTitle}
				} else {
					defs[foldTok(ts[j])] = last
				}
			}
		}
		if k := govBodyAfter(ts, j); k > 0 && len(out) > before && !guarded && !possessive(ts[j-1].Text) {
			// "the US state department", "The Japanese meteorological
			// agency": a country or its adjective and a lower-case body.
			if m := out[len(out)-1]; m.e != nil && m.e.kind == Place && x.gaz.lookup(ts[j-1:j], shouting) == m.e {
				out[len(out)-1] = mention{kind: Organization, name: text[ts[j-1].Start:ts[k-1].End], toks: folds(ts[j-1 : k]), inTitle: inTitle}
				j = k
			}
		}
		i = j
	}
	return out
}

// longest returns the gazetteer entry with the longest alias at the start of ts.
func (x *Extractor) longest(ts []tokens.Token, caseRule bool) (*entry, int) {
	if len(ts) == 0 {
		return nil, 0
	}
	// no form begins with the first word: no length can match; none longer
	// than the longest that does
	n := min(len(ts), x.gaz.startLen(ts[0]))
	if n == 0 {
		return nil, 0
	}
	// Each length's key is a prefix of the longest's: the words are
	// folded once, not once per length tried.
	var buf [128]byte
	var endsBuf [16]int
	key, ends := buf[:0], endsBuf[:0]
	for i, t := range ts[:n] {
		if i > 0 {
			key = append(key, ' ')
		}
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

// chunk turns a run of capitalised words into mentions.
func (x *Extractor) chunk(c []tokens.Token, prev, next *tokens.Token, ofPlace, listedPerson, inTitle, guarded, shouting bool, lang string) []mention {
	// 1. The whole chunk may be known ("Pope Francis", "Bank of England").
	if e := x.gaz.lookup(c, shouting); e != nil && !(guarded && x.gaz.ordinaryForm(c)) {
		if e.weak && len(c) == 1 && e.kind == Organization {
			return []mention{weakOrg(c[0], e, false, inTitle)}
		}
		if e.weak && len(c) == 1 {
			speech := next != nil && speechVerbs[next.Lower] || prev != nil && (prev.Lower == "said" || prev.Lower == "says")
			return []mention{weakPlace(c[0], speech, weakCue(prev, ofPlace), inTitle)}
		}
		if m, ok := x.lowerStateAfter(c, next, e, inTitle); ok {
			return []mention{m} // "in Washington state": not the city
		}
		// place: a preposition vouches for the place, when a person of
		// the story bears its name ("Angus Houston … Houston said").
		return []mention{{kind: e.kind, e: e, name: e.name, inTitle: inTitle, place: e.kind == Place && weakCue(prev, ofPlace)}}
	}
	// "Men's Wearhouse": a group's possessive opening a word no
	// dictionary holds names a store or a brand (the chunk was joined
	// so, see possessiveWordName). A hyphenated word ends the name at
	// its hyphen ("Men's Wearhouse-Jos. A. Bank").
	if len(c) >= 2 && x.possessiveWordName(c, 0) {
		if text, f := possessiveWordEnd(c[1]); len(text) < len(stripPossessive(c[1].Text)) {
			return []mention{{kind: Organization, name: c[0].Text + " " + text, toks: []string{foldTok(c[0]), f}, inTitle: inTitle}}
		}
		return []mention{{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}}
	}
	// "BT Group Plc", "Deloitte LLP", "Citigroup Inc": a company's legal
	// form is no part of the name the story goes on to use ("BT Group
	// said"), and it says a company is named, whatever the words before
	// it read as ("accountant Deloitte LLP" is no person).
	var lastPlain string // the last word, for the lists of ASCII words below
	if len(c) >= 2 {
		lastPlain = plainWord(c[len(c)-1])
	}
	if legalForms[lastPlain] && !c[len(c)-2].Break {
		if m, ok := x.legalName(c[:len(c)-1], shouting, inTitle); ok {
			return []mention{m}
		}
	}
	// "Harvard Law", "Yale Law": a university the gazetteer knows and a
	// professional school's field name that school, as its full name
	// does ("Harvard Law School"), not the university.
	if schoolFields[lastPlain] && !possessive(c[len(c)-2].Text) {
		if e := x.gaz.lookup(withoutSentenceOpeners(c[:len(c)-1]), shouting); e != nil && e.kind == Organization && strings.Contains(e.name, "University") {
			name := stripPossessive(joinText(withoutSentenceOpeners(c))) + " School"
			return []mention{{kind: Organization, name: name, toks: append(folds(withoutSentenceOpeners(c)), "school"), inTitle: inTitle}}
		}
	}
	// "Seven Indonesians, six Australians": a country's people, named
	// alone by a demonym's plural the lists do not write, stand for the
	// country as the singular does; not inside a longer name ("the
	// Cleveland Indians", "American Indians"), but after a sentence's
	// opening ordinary word ("Seven Indonesians").
	if k := len(c) - 1; !guarded && (k == 0 || k == 1 && c[0].SentStart && commonWord(foldTok(c[0]))) {
		if e := x.demonymPlural(c[k], shouting); e != nil {
			return []mention{{kind: Place, e: e, name: e.name, inTitle: inTitle}}
		}
	}
	// "Qualcomm MSM8974", "Nvidia GTX980": a maker the gazetteer knows
	// and a model code name the maker; the code is no body.
	if len(c) >= 2 && !guarded && modelCode(c[len(c)-1]) {
		if e := x.gaz.lookup(c[:len(c)-1], shouting); e != nil && e.kind == Organization {
			return []mention{{kind: Organization, e: e, name: e.name, inTitle: inTitle}}
		}
	}
	// "East Asia", "Northern California": a compass point and a place
	// the gazetteer knows name a region of it.
	if len(c) >= 2 && compassWords[foldTok(c[0])] {
		if e := x.gaz.lookup(c[1:], shouting); e != nil && e.kind == Place && !e.weak {
			switch {
			case len(c) == 2 && demonymShaped(foldTok(c[1])) && foldTok(c[1]) != Fold(e.name):
				return nil // "South Asian", "North American": an adjective of a region, not of the place the word names
			case continents[e.key]:
				return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}
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
	det := prev != nil && (determiners[prev.Lower] || colourWords[prev.Lower]) || len(c) > 0 && c[0].SentStart && determiners[c[0].Lower]
	if ms, ok := x.theName(c, prev, guarded, shouting, inTitle); ok {
		return ms
	}
	whole := len(c)
	// "Paul Schmitz, CEO of Public Allies": a company's role written with
	// a capital and its "of" say the name after them is the body the
	// role serves (employerRoles), as "chief executive of" does in lower
	// case (employerCue), not a person the title names.
	roleOf := false
	if m, ok := x.sentenceThe(c, guarded, shouting, inTitle); ok {
		return []mention{m}
	}
	for len(c) > 0 {
		f := foldTok(c[0])
		if _, n := x.longest(c, shouting); n > 0 {
			break // "Premier League" is no premier
		}
		if n := stripRole(c); n > 0 && !onlyAdjectival(c[:n]) {
			if bodyWordsOnly(c[n:]) {
				return nil // "Star Sports" cut from "ESPN Star Sports": no person after the title
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
		if (c[0].SentStart || guarded) && (stopwords.Is(lang, c[0].Lower) || capStop[f]) && !(regionOfSchool && !stopwords.Is(lang, c[0].Lower)) {
			c = c[1:]
			continue
		}
		// Not before a place's last word: "Easter Island", "Christmas
		// Island" are islands, not a holiday.
		// Nor a region's adjective before a place and a school's or a
		// body's own noun: "Central Queensland University", "Northern
		// Illinois University".
		if capStop[f] && len(c) > 1 && !c[0].AllCaps() && !(len(c) == 2 && placeSuffixes[foldTok(c[1])]) && !(len(c) >= 3 && compassWords[f] && ownNameSuffixes[foldTok(c[len(c)-1])]) {
			c = c[1:]
			continue
		}
		break
	}
	for len(c) > 0 && (connectors[c[len(c)-1].Lower] || len(c) > 1 && honorifics[foldTok(c[len(c)-1])]) {
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
		return nil
	}
	c = dropMiddleInitials(c)
	e := x.gaz.lookup(c, shouting)
	if e != nil && len(c) < whole && x.gaz.wordAlias(c) {
		e = nil // "Easter Island": a holiday's name stripped, the foreign name left
	}
	if e != nil && guarded && x.gaz.ordinaryForm(c) {
		e = nil // "The Best Buy In Phones": a title-case headline's capitals
	}
	if e != nil && e.weak && len(c) == 1 && e.kind == Organization {
		return []mention{weakOrg(c[0], e, titled, inTitle)} // "Mr Dell" is a person
	} else if e != nil && e.weak && len(c) == 1 {
		return []mention{weakPlace(c[0], cued, weakCue(prev, ofPlace), inTitle)} // "Mr Hamilton"
	} else if e != nil {
		m := mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female}
		return []mention{m}
	}
	// "Michelle Obama Speaks to …": a person the gazetteer knows, then
	// ordinary words a headline ran into the name.
	if e, n := x.longest(c, shouting); e != nil && e.kind == Person && !e.weak && n >= 2 && n < len(c) && allCommon(folds(c[n:])) {
		return []mention{{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female}}
	}
	// "Jonah Goldberg of National Review", "Mark Smith of Capital
	// Economics": a person, then the body they speak for.
	if ms, ok := x.personOfBody(c, next, titled, female, inTitle, guarded, shouting, lang); ok {
		return ms
	}
	// "People magazine", "the Sun newspaper": a noun after the name says
	// what kind of body it is; so does "party" (see partyAfter), and so
	// does a thing of the body's after "the" (see bodyThingNouns).
	if next != nil && (orgAfterNouns[foldTok(*next)] || partyAfter(c, prev, next) || theBodyThing(c, prev, next)) && !titled && !demonymShaped(foldTok(c[len(c)-1])) {
		k := afterLastConnector(c) // "Readers of Lantern magazine"
		out := x.chunk(c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
		return append(out, mention{kind: Organization, name: stripPossessive(joinText(c[k:])), toks: folds(c[k:]), inTitle: inTitle})
	}
	// "Royal New Zealand Air Force Orion", "Federal Reserve Chair Janet
	// Yellen": an organization's name ends inside the run; what follows
	// is another name, or a thing the organization owns.
	// "Conservative Party for UKIP", "Bank of England for Goldman
	// Sachs": a "for" between two names, one known, joins neither; the
	// two are read apart (knownAroundFor).
	if k := x.knownAroundFor(c, shouting); k > 0 && !guarded {
		out := x.chunk(c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
		return append(out, x.chunk(c[k+1:], nil, next, false, false, inTitle, guarded, shouting, lang)...)
	}
	if k := innerOrgEnd(c, guarded); k > 0 {
		head := c[:k]
		var out []mention
		if e := x.gaz.lookup(head, shouting); e != nil {
			out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
		} else {
			out = append(out, mention{kind: Organization, name: joinText(head), toks: folds(head), inTitle: inTitle})
		}
		return append(out, x.chunk(c[k:], nil, next, false, false, inTitle, guarded, shouting, lang)...)
	}
	// A speech verb after the name, "said" or a lower-case title before
	// it ("spokesman Dan Johnson", "frontman Bono") mark a person.
	if next != nil && speechVerbs[next.Lower] {
		cued = true
	}
	if prev != nil && (prev.Lower == "said" || prev.Lower == "says") {
		cued = true
	}
	if prev != nil && (titles[prev.Lower] || roleNouns[prev.Lower]) {
		cued, titled = true, true
	}
	// "Malia and Sasha's mom", "Tobias's grandmother": a kin noun after a
	// possessive name says whose kin, a person's.
	if next != nil && possessive(c[len(c)-1].Text) && kinNoun(next.Lower) {
		cued = true
	}
	// "FA Cup", "World Cup", "Carling Cup": a competition, which is no
	// organization, and no known name inside it is meant on its own.
	if len(c) >= 2 && competitionEnds[foldTok(c[len(c)-1])] {
		return nil
	}
	// "Champions League", "UEFA Nations League": a league named for who
	// plays in it is a competition too, where "Premier League", "Arab
	// League" or "Ivy League" name the body or the group itself.
	if len(c) >= 2 && foldTok(c[len(c)-1]) == "league" && competitorPlurals[foldTok(c[len(c)-2])] {
		return nil
	}
	// "Mobile World Congress", "the World Congress of Cardiology": a
	// world congress is a gathering, an event, where a congress of a
	// people or a cause is a body ("World Jewish Congress").
	if len(c) >= 2 && foldTok(c[len(c)-1]) == "congress" && foldTok(c[len(c)-2]) == "world" {
		return nil
	}
	// "actress Sydney Sweeney", "heiress Paris Hilton": a title before a
	// place's name and a word no list knows makes a person whose given
	// name the place shares, as "chief Angus Houston" does for a surname.
	if titled && len(c) == 2 && !guarded && x.placeGivenName(c, shouting) && personShaped(c, lang) {
		return []mention{{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true}}
	}
	if det && len(c) == 2 && !guarded && !(next != nil && !next.Capitalized() && ownedNouns[next.Lower]) {
		if m, ok := x.brandProduct(c, shouting, inTitle); ok {
			return []mention{m}
		}
	}
	// "Chicago Bulls", "Ohio State": a team or a school named after its
	// town or state (teams.go).
	if m, ok := x.townTeam(c, shouting, inTitle); ok && !guarded {
		return []mention{m}
	}
	if m, ok := x.stateSchool(c, shouting, inTitle); ok && !guarded {
		return []mention{m}
	}
	if !guarded {
		stateCue := prev != nil && placePreps[prev.Lower] || ofPlace || next != nil && stateAfterNouns[next.Lower]
		if m, ok := x.namedState(c, prev, stateCue, shouting, inTitle); ok {
			return []mention{m}
		}
		if m, ok := x.namedCity(c, shouting, inTitle); ok {
			return []mention{m}
		}
	}
	// "the law firm Sidley Austin", "the band Arctic Monkeys": after a
	// noun of organizations a run that opens with a word no list knows
	// is the body's name, whole, though a later word is a place's or a
	// person's; a run a known name opens is read as usual ("the firm
	// Goldman Sachs in London").
	if len(c) >= 2 && !guarded && prev != nil && orgNoun(prev.Lower) && !givenNames[foldTok(c[0])] && !possessive(c[len(c)-1].Text) {
		if _, n := x.longest(c, shouting); n == 0 && !commonWord(foldTok(c[0])) {
			return []mention{{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}}
		}
	}
	// A known name at the end ("Champions Manchester City", "FA Premier
	// League") wins over the chunk's shape.
	headFor := !guarded && (innerHeadFor(c) || innerHeadOn(c))
	for k := 1; k < len(c) && !(orgHeads[foldTok(c[0])] && hasOf(c)) && !innerHeadOf(c) && !headFor; k++ {
		if e := x.gaz.lookup(c[k:], shouting); e != nil && !e.weak && !x.gaz.wordAlias(c[k:]) && !(guarded && x.gaz.ordinaryForm(c[k:])) {
			if k == 1 && len(c) == 2 && e.kind == Place && (givenNames[foldTok(c[0])] || titled || e.iso == "" && x.firstName(c[0])) && x.gaz.lookup(c[:1], shouting) == nil && personShaped(c, lang) {
				// "Kevin Houston", "chief Angus Houston": a given name or a
				// title before a city's name makes a person whose surname
				// the city shares; a name of the generated list before a
				// city's only, not a country's ("Dion Dublin", not "Siri
				// British").
				return []mention{{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true}}
			}
			if e.kind == Organization && foldTok(c[len(c)-1]) == "party" && !guarded {
				// "Texas Republican Party", "Scottish Labour Party": a
				// place before a party's name names its branch there.
				if p := x.gaz.lookup(c[:k], shouting); p != nil && p.kind == Place && !p.weak {
					return []mention{{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}}
				}
			}
			out := x.chunk(c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			return append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female})
		}
	}
	// 3. An organization by its shape: "X Bank", "Ministry of Y".
	first, last := foldTok(c[0]), foldTok(c[len(c)-1])
	if len(c) == 2 && last == "bank" && (first == "left" || first == "right") {
		// "the Left Bank", "Paris's Right Bank": a river's side, a
		// place, not a bank; "West Bank" is in the gazetteer.
		return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}
	}
	if len(c) >= 2 && (orgSuffixes[last] || (orgHeads[first] && hasOf(c)) || innerHeadOf(c) || headFor) && !(guarded && !orgSuffixes[last] && !bodyNounBeforeConnector(c)) {
		// "French TV", "Greek police": a place and a generic noun name the
		// place, not an organization we could key.
		if e := x.gaz.lookup(c[:1], shouting); len(c) == 2 && e != nil && e.kind == Place && !e.weak && !(ownNameSuffixes[last] && !guarded && c[1].Capitalized() && !genericSchool(last, prev, next, lang)) {
			return []mention{{kind: e.kind, e: e, name: e.name, inTitle: inTitle}}
		}
		return []mention{{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}}
	}
	// 4. A person by a known given name: "Dan Johnson", "Jean-Claude Juncker"
	// — unless a noun before it says organization ("newspaper Charlie Hebdo").
	if len(c) >= 2 && !(prev != nil && orgNoun(prev.Lower)) && !roleOf && len(c) <= 5 && givenNames[first] && !locationShaped(c) {
		if k := headlineVerb(c); k > 0 {
			c = c[:k]
		}
	}
	if len(c) >= 2 && !(prev != nil && orgNoun(prev.Lower)) && !roleOf && len(c) <= 4 && (givenNames[first] || x.isisGiven(c, guarded, shouting)) && personShaped(c, lang) && !locationShaped(c) {
		return []mention{{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true}}
	}
	// 5. Otherwise scan for known names inside the chunk ("Paris Saint-Germain
	// striker", "Cyprus Popular Bank"), and keep the rest as candidates.
	placeCue := prev != nil && placePreps[prev.Lower] || ofPlace
	orgCue := prev != nil && orgNoun(prev.Lower) || roleOf
	if placeCue || next != nil && stateAfterNouns[next.Lower] {
		if m, ok := x.unknownState(c, shouting, inTitle); ok {
			return []mention{m}
		}
	}
	var out []mention
	// rest is the run of c the gazetteer did not know, c[from:k]: a
	// subslice rather than a copy, since tokens are never modified and
	// the run is always contiguous (anything known ends it).
	var rest []tokens.Token
	from := 0
	flush := func() {
		if len(rest) == 0 {
			return
		}
		out = append(out, x.unknown(rest, cued, titled, female, inTitle, guarded, shouting, placeCue && len(out) == 0, orgCue && len(out) == 0, lang)...)
		rest = nil
	}
	for k := 0; k < len(c); {
		// A weak name splits no run: "Hugo Barra" is no brand Hugo.
		// Nor does a foreign name that is an English word: "Easter Island".
		if e, n := x.longest(c[k:], shouting); n > 0 && !(e.weak && (len(rest) > 0 || e.kind == Organization && n < len(c))) && !(whole > 1 && x.gaz.wordAlias(c[k:k+n])) && !(guarded && x.gaz.ordinaryForm(c[k:k+n])) {
			flush()
			out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle, female: female})
			k += n
			continue
		}
		// "Russia-backed", "U.S.-led": a known name before a hyphen.
		if h := hyphenHead(c[k]); h != nil {
			if e := x.gaz.lookup([]tokens.Token{*h}, shouting); e != nil && e.kind != Person {
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

// unknown classifies a capitalised run the gazetteer does not know.
func (x *Extractor) unknown(c []tokens.Token, cued, titled, female, inTitle, guarded, shouting, placeCue, orgCue bool, lang string) []mention {
	if len(c) == 1 {
		t := c[0]
		f := foldTok(t)
		if capStop[f] || (t.SentStart && stopwords.Is(lang, t.Lower)) || len([]rune(f)) < 2 || f == "jr" || f == "sr" {
			return nil // also a generational suffix a comma cut off a name ("King, Jr.")
		}
		if departmentsAlone[f] && !guarded {
			// "the Treasury rejects the claims": a department its title
			// word names alone, with no name after it.
			return []mention{{kind: Organization, name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle}}
		}
		if isCoreTitle(f) || adjectiveCompound(t) || demonymCompound(f) {
			return nil // "First Lady", "Air Chief Marshal" with no name after it; "Obama-inspired"; "African-American"
		}
		if cued && !titled && commonWord(f) && !givenNames[f] {
			cued = false // "… said Division", "Trust said": no speaker named
		}
		if orgCue && !t.SentStart {
			return []mention{{kind: Organization, name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle}}
		}
		if possessiveAllCaps(t) && !guarded && !shouting {
			if acronymStop[f] || len(f) > 6 || hasDigit(f) || tickerCode(t) {
				return nil
			}
			if len(f) >= 4 && (commonWord(f) || givenNames[f]) {
				return nil // "FILE", "PHOTO", "DENIS": a word shouted, no acronym
			}
			return []mention{{kind: Organization, name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle, shape: !possessive(t.Text)}}
		}
		if !guarded && camelCase(t.Text) {
			return []mention{{kind: Organization, name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle, shape: !possessive(t.Text)}}
		}
		if placeCue && !cued && !t.SentStart && !commonWord(f) && !possessive(t.Text) && !demonymShaped(f) && !hasDigit(f) {
			// no place has a digit: "in Q1" is a quarter
			// Resolved as a place only if no person of the story has this
			// name; "in English football" is an adjective.
			return []mention{{kind: "", place: true, name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle}}
		}
		// A bare capitalised word: a surname to resolve against the
		// story's full names or the learned alias map, if anything.
		return []mention{{kind: "", name: stripPossessive(t.Text), toks: []string{f}, inTitle: inTitle, female: female, cued: cued}}
	}
	// "Steelmaker Nucor issued a forecast": a maker's noun opening the
	// sentence says the name after it is a company's.
	if len(c) > 1 && c[0].SentStart && makerNoun(foldTok(c[0])) {
		c, orgCue = c[1:], true
		if len(c) == 1 {
			return x.unknown(c, cued, titled, female, inTitle, guarded, shouting, placeCue, orgCue, lang)
		}
	}
	// "Negotiator Ilse Brandauer said": a capitalised common word opening
	// the sentence is no part of the name.
	if len(c) > 1 && c[0].SentStart && commonWord(foldTok(c[0])) && !givenNames[foldTok(c[0])] {
		c = c[1:]
		if len(c) == 1 {
			// "Joining Michelle on the list": one word left, which only
			// coreference can name.
			return x.unknown(c, cued, titled, female, inTitle, guarded, shouting, placeCue, orgCue, lang)
		}
	}
	if len(c) > 2 && !orgCue && givenNames[foldTok(c[1])] && !givenNames[foldTok(c[0])] && !placeHeads[foldTok(c[0])] && !namedForHeads[foldTok(c[0])] && !saintWords[foldTok(c[0])] && !possessive(c[0].Text) &&
		!placeSuffixes[foldTok(c[len(c)-1])] && !orgSuffixes[foldTok(c[len(c)-1])] && commonWord(foldTok(c[0])) && personShaped(c[1:], lang) {
		// "Comptroller Dan Hynes", "Treasurer Alexei Giannoulias": a common
		// noun before a first name and a surname is the person's role, as
		// the titles stripRole knows are, within a sentence too; a street's
		// head ("Place Jean Jaurès"), a building's ("Collège Jean Moulin")
		// or its ending ("Royal Albert Hall") is no role: the run names a
		// place or body after a person.
		c = c[1:]
		cued, titled = true, true
	}
	if n := stripRole(c); n > 0 && !onlyAdjectival(c[:n]) {
		c = c[n:]
		cued, titled = true, true
	}
	if len(c) == 1 && (titles[foldTok(c[0])] || roleNouns[foldTok(c[0])]) {
		return nil // "Chief Executive": a title with no name after it
	}
	if orgCue {
		return []mention{{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}}
	}
	if guarded && !cued {
		return nil
	}
	// "North Carolina Gov Mike Easley", "Texas Senator Ted Cruz": a role
	// title inside splits the run; a person follows it.
	// Only a body's words after the title ("ESPN Star Sports") make the
	// whole run a body's name: no person is in it.
	for k := 1; k < len(c)-1; k++ {
		if n := stripRole(c[k:]); n > 0 && !onlyAdjectival(c[k:k+n]) {
			if bodyWordsOnly(c[k+n:]) {
				return []mention{{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle}}
			}
			out := x.unknown(c[:k], false, false, false, inTitle, guarded, shouting, placeCue, orgCue, lang)
			return append(out, x.unknown(c[k:], true, true, female, inTitle, guarded, shouting, false, false, lang)...)
		}
	}
	if ms, ok := shapeNoPerson(c, inTitle); ok {
		return ms
	}
	first := foldTok(c[0])
	if saintWords[first] && !cued {
		// "St. Louis", "St Jans Molenbeek": a saint's name in news names
		// a town, a church, a club or a day, never the person it reads
		// as; a preposition of place says which ("from St. Louis").
		if !placeCue || possessive(c[len(c)-1].Text) {
			return nil
		}
		return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}
	}
	if articles[first] {
		// "Le Monde", "Les Bleus": a paper, a venue or a team, unless the
		// story names a person ending so ("Stéphane Le Foll"), or a title
		// or speech verb vouches for one ("Le Foll said").
		last := c[len(c)-1]
		return []mention{{kind: "", name: joinText(c), toks: []string{foldTok(last)}, inTitle: inTitle, female: female, cued: cued}}
	}
	if placeCue && !givenNames[first] && !cued && len(c) <= 3 {
		return []mention{{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}}
	}
	// Two or three capitalised words that are no known name, no
	// organization and contain no function word are most often a person
	// in news text ("Carine Couquelet", "Idris Elba"): measured on the
	// labelled sample, guessing so gains more recall than it costs.
	fs := folds(c)
	if fs[0] == "daily" && !c[0].SentStart {
		// "Tuesday's Daily Star", "the Daily Mail": a newspaper.
		return []mention{{kind: Organization, name: stripPossessive(joinText(c)), toks: fs, inTitle: inTitle}}
	}
	lastCommon := commonWord(fs[len(fs)-1])
	if lastCommon && !titled && !givenNames[fs[0]] && allCommon(fs[:len(fs)-1]) {
		// "Democratic Rally said": ordinary words, a party or a body.
		return []mention{{kind: "", name: stripPossessive(c[len(c)-1].Text), toks: fs[len(fs)-1:], inTitle: inTitle}}
	}
	firstOK := !c[0].SentStart || !commonWord(first)
	if len(c) <= 3 && personShaped(c, lang) && firstOK && !lastCommon || (cued || givenNames[first] || x.listedFirst(c)) && len(c) <= 4 && personShaped(c, lang) {
		return []mention{{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, female: female, cued: true}}
	}
	// Longer runs ("Eagles of Death Metal") are dropped; the last word
	// may still resolve as a surname.
	last := c[len(c)-1]
	return []mention{{kind: "", name: stripPossessive(last.Text), toks: []string{foldTok(last)}, inTitle: inTitle, female: female}}
}

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
	amp := -1
	for i := 1; i < len(c); i++ {
		if strings.TrimSpace(text[c[i-1].End:c[i].Start]) == "&" && nameLike(c[i-1]) && nameLike(c[i]) {
			amp = i
			break
		}
	}
	if amp < 0 {
		return 0, mention{}, false
	}
	k = afterLastConnector(c[:amp])
	name := c[k:]
	if x.gaz.lookup(name, shouting) != nil {
		return 0, mention{}, false
	}
	return k, mention{kind: Organization, name: stripPossessive(text[name[0].Start:name[len(name)-1].End]), toks: folds(name), inTitle: inTitle}, true
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
		if !nameLike(t) && !connectors[t.Lower] {
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
		if connectors[c[i].Lower] && !c[i].Capitalized() {
			if orgSuffixes[foldTok(c[i-1])] || orgHeads[foldTok(c[0])] {
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
	if i == 0 || ts[i].SentStart || !familyNouns[ts[i-1].Lower] {
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
