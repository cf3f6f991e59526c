package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// recognize appends the mentions in one segment of text (the title or the
// body) to out.
func (x *Extractor) recognize(out []mention, text string, w storyWords, inTitle bool, sports *footballStory, lang string, defs map[string]mention, asked *[]aliasAnswer) []mention {
	ts := w.ts
	guarded := inTitle && titleCase(ts)
	shouting := inTitle && allCaps(ts)
	// The last chunk's end and what it named, for lists: a bare word
	// joined by "and", "or" or a comma to an organization or a place is
	// listed with it ("Huawei, Lenovo and ZTE", "Verviers, Belgium").
	lastEnd, lastKind, lastBare := -1, "", -1
	// lastOpener: the last chunk was a sentence's first word left bare,
	// which a person listed after it makes a person (openerListedPerson).
	lastOpener := -1
	lastFrom := 0 // where the last chunk's mentions start in out
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
	// bodyList: the last chunk was a body a list of examples named (see
	// bodyListCue), so a name listed after it is one too.
	bodyList := false
	var lineups [][2]int // a match report's printed line-ups: see lineupSpans
	if !inTitle && sports.football() {
		// only in a football story: a list of countries, votes or
		// stations after a colon has the same shape
		lineups = lineupSpans(text)
	}
	i := 0
	for i < len(ts) {
		t := ts[i]
		fi := t.Facts
		if lineups != nil && fi&wNameLike != 0 && inSpan(lineups, t.Start) {
			m, j := lineupName(text, ts, i, inTitle)
			out = append(out, m)
			i = j
			continue
		}
		if fi&wCaseless != 0 {
			// Longest gazetteer match starting here, nothing else.
			if m, n := x.longest(ts[i:], false); n > 0 {
				out = append(out, mention{kind: m.kind, e: m, name: m.name, inTitle: inTitle})
				i += n
				continue
			}
			i++
			continue
		}
		if fi&wPlainLower == 0 {
			if k := linkPathEnd(text, ts, i); k > i {
				i = k // "Visit Example.com/News": a link, no body (round 36)
				continue
			}
			// a plain lower-case word is neither shape
			if m, ok := x.siteOrCamelOrg(t, inTitle); ok {
				out = append(out, m)
				i++
				continue
			}
		}
		if fi&wNameLike == 0 || t.Start > 0 && text[t.Start-1] == '.' && t.AllCaps() {
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
			if fi&wSpacedParticle != 0 && !guarded && i+1 < len(ts) && !ts[i+1].Break && !ts[i+1].SentStart && ts[i+1].Capitalized() {
				// "an al Qaeda affiliate", "aired on al Jazeera": a
				// lower-case article and a space open a name the
				// gazetteer knows whole; the capital after it alone is
				// no name of it.
				if e, n := x.longest(ts[i:], false); e != nil && n >= 2 {
					out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
					i += n
					continue
				}
			}
			i++ // "(.DJI)": an index or ticker code, no name
			continue
		}
		if t.End < len(text) && text[t.End] == '$' && t.AllCaps() && len(t.Text) <= 3 {
			i++ // "US$399", "A$2 billion", "HK$10": a currency's sign, no place
			continue
		}
		if t.Start > 0 && (text[t.Start-1] == '#' || text[t.Start-1] == '@') {
			i++ // "#BringBackOurGirls", "@BBCBreaking": a hashtag or a handle
			continue
		}
		if i+1 < len(ts) && exchangeTicker(text, ts, i+1) {
			// "Apple (NASDAQ:AAPL)": the exchange, then its ticker, which
			// names no body of its own
			if e := x.gaz.lookup(ts[i:i+1], shouting); e != nil {
				out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
			}
			i += 2
			continue
		}
		from := 0 // a filing's first word after its verb (filingFrom), sought in a guarded run alone
		if guarded {
			from = filingFrom(text, ts, i)
		}
		if from > i {
			// "… Files For Chapter 11 Reorganization": the filing's words,
			// which the name before them was cut from, name nothing
			// (but a place the gazetteer knows among them is read:
			// "Files For US Chapter 15")
			for i = from; i < len(ts); i++ {
				if filingNounAt(ts, i) {
					i++ // the noun, the filing's last word read here
					break
				}
				if x.knownPlace(ts[i]) {
					break
				}
			}
			continue
		}
		if hyphenModelCode(text, t) {
			i++ // "AK-47", "IL-76": a model's code, no body's acronym
			continue
		}
		// The chunk: capitalised words, with lower-case connectors between
		// them, up to punctuation or a sentence end.
		j, nicks := x.runEnd(text, ts, i, guarded)
		if k := x.numberedName(ts, i, j); k > j {
			j = k // "Channel 4", "Europe 1", "Ligue 1": a known name ends in its number
		}
		if guarded {
			for k := i + 1; k < j; k++ {
				if filingAt(text, ts, k) {
					j = k // "Sbarro Files For Chapter 11": the name ends before its filing
					if k-1 > i && filingAdverb(ts[k-1]) {
						j-- // "Sbarro Officially Files", "Sbarro Again Files"
					}
					break
				}
			}
		}
		if j-i >= 2 && t.SentStart && !guarded && leadNouns[t.Lower] && ts[i+1].Facts&wConnector == 0 && !bodyWordsOnly(ts[i+1:j]) && x.gaz.lookup(ts[i:j], shouting) == nil {
			// "Insurer Allianz said", "Retailer Tesco cut": a sentence's
			// opening noun of a kind of company is no part of the name
			// after it, and says what it is, as "said insurer Allianz"
			// does (orgNoun before the name). Not when the words after it
			// are only a body's nouns ("Carrier Corp") or the run is known.
			i++
			t = ts[i]
		}
		if m, ok := x.datelinePlace(text, ts, i, j, inTitle); ok {
			out = append(out, m)
			i = j
			continue
		}
		if inTitle && i == 0 && j-i >= 2 && reviewTag(text, ts, j) && x.gaz.lookup(ts[i:j], shouting) == nil {
			j-- // "SXSW Film Review: 'Neighbors'": what is reviewed, no journal
		}
		if quotedWork(text, ts, i, j) && x.gaz.lookup(ts[i:j], shouting) == nil {
			i = j // "'House of Cards' Comes to Comcast": a work's title, no body
			continue
		}
		var prev, next *tokens.Token
		if i > 0 && !t.SentStart {
			prev = &ts[i-1]
			if prev.Lower == "the" && i >= 2 && !prev.Break && lowerWord(ts[i-2]) && orgNounTok(ts[i-2]) {
				// "rock group the Eagles of Death Metal": the body's noun
				// before "the" says what the name is, as right before it
				prev = &ts[i-2]
			}
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
		// "the island of Leros", "the city of Homs": a place; so is where
		// one is "a native of" ("a native of Courcouronnes").
		ofPlace := prev != nil && i >= 2 && prev.Lower == "of" && (placeOfNouns[ts[i-2].Lower] || nativeOf(ts[i-2]))
		// "in central Volos", "in southern Kandahar": a region's adjective
		// between the preposition and the name.
		ofPlace = ofPlace || prev != nil && i >= 2 && compassWords[prev.Lower] && !prev.Capitalized() && inSet(ts[i-2], wPlacePrep)
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
		} else if m, ok := x.apStateAfterTown(text, ts, i, j, inTitle); ok && !guarded {
			// "Madison, Wis.": AP's abbreviation after a town is its state.
			out = append(out, m)
		} else if m, ok := x.waterBody(prev, c, next, inTitle, shouting); ok {
			// "the southern Indian ocean": a sea, not India
			out = append(out, m)
			j++
		} else if m, ok := x.leagueNickname(c, inTitle, sports); ok {
			// "the Rockets" in a story about the NBA
			out = append(out, m)
		} else if amp, ok := x.placesJoined(text, c, shouting); ok {
			// "Middle East & North Africa": two places, each its own run.
			out = x.chunk(out, c[:amp], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			out = x.chunk(out, c[amp:], nil, next, false, false, inTitle, guarded, shouting, lang)
		} else if k, ok := x.slashJoined(text, c, shouting); ok {
			// "Sprint/T-Mobile merger": two names, each its own run.
			out = x.chunk(out, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			out = x.chunk(out, c[k:], nil, next, false, false, inTitle, guarded, shouting, lang)
		} else if amp, ok := x.peopleJoined(text, c, shouting); ok && !guarded {
			// "Stacy Keibler & Jared Pobre": two people, each its own run.
			out = x.chunk(out, c[:amp], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			out = x.chunk(out, c[amp:], nil, next, false, false, inTitle, guarded, shouting, lang)
		} else if k, m, ok := x.ampersandOrg(text, c, inTitle, guarded, shouting); ok {
			// "Shares of Quill & Hart": what precedes the firm's name is read as usual.
			out = x.chunk(out, c[:k], prev, nil, ofPlace, false, inTitle, guarded, shouting, lang)
			out = append(out, m)
		} else if ms, ok := x.languageMedium(withoutSentenceOpeners(c), shouting, inTitle); ok && !guarded {
			// "Spanish-language Telemundo": a language and its medium.
			out = append(out, ms...)
		} else if ms, ok := x.carMakeRun(out, text, ts, i, j, inTitle, guarded, shouting, lang); ok && nicks == nil {
			// "Jeep Grand Cherokees", "Ohio Jeep Plant": a make and its
			// model where the sentence is about cars.
			out = ms
		} else if m, ok := x.ordinaryMake(ts, i, j, shouting); ok && !guarded && !inTitle {
			// "a black Seat Leon", "a Seat car": a make the brand list
			// leaves out, for its name is an ordinary word.
			out = append(out, m)
		} else if m, ok := x.openingBodyListed(ts, i, j, shouting, inTitle); ok && !guarded {
			// "Sky and Setanta agree": a sentence's ordinary-word body
			// heading a list of bodies.
			out = append(out, m)
		} else if !x.stormName(ts, i, c, next, shouting) { // "Katrina batters New Orleans": no one
			out = x.chunk(out, c, prev, next, ofPlace, listedPerson, inTitle, guarded, shouting, lang)
		}
		if guarded && len(out) == before {
			out = x.weakBodiesWritten(out, c, inTitle, shouting) // "Sprint Wants to Buy T-Mobile"
		}
		if guarded {
			out = x.streamPersonInRun(out, before, c, inTitle, i == 0, asked) // "Neil Young Annouces Launch …" once the stream knows him
		}
		if defs != nil {
			out = x.samePlaceNamedPerson(out, before, defs)
		}
		x.orgsOfficer(out, lastFrom, before, ts, i, j, lastEnd, inTitle, shouting) // "BoE's Carney"
		speakerBeforeColon(out, before, text, ts, i, j, inTitle)                   // "Beyonce: Don't …"
		premierBefore(out, before, ts, i, j)                                       // "Libyan pm Zeidan"
		out = x.pairBeforePunct(out, before, text, ts, i, j, inTitle, lang)        // "Shailene Woodley: I …"
		if last := len(out) - 1; last >= before && out[last].shape && camelCase(out[last].name) && len(out[last].toks) == 1 && out[last].toks[0] == foldTok(ts[j-1]) && x.productCue(ts, j-1) {
			// "TouchWiz interface", "Android 4.4 KitKat", the run's last
			// word after its maker ("Apple CarPlay"): see dropProducts
			out[last].product = true
		}
		if filingAfter(text, ts, j) && x.gaz.lookup(c, shouting) == nil {
			// "Sbarro files for bankruptcy", "Quellmark has filed for
			// Chapter 11": what files so is a company, a sentence's first
			// word too; a name the gazetteer knows keeps its reading.
			// A title-case headline's kind of firm around the name is no
			// part of it ("Pizza Chain Sbarro Files", "Sbarro Pizza Chain
			// Files").
			// A sentence's first word read as a bare candidate is the
			// company too; not a word after a hyphen or an abbreviation
			// ("RPT-Mt. Gox files").
			m := out[before:]
			bare := len(m) == 1 && m[0].kind == "" && m[0].e == nil && !m[0].cued && !m[0].place && c[0].SentStart
			afterAbbrev := i > 0 && ts[i-1].End < len(text) && text[ts[i-1].End] == '.' && shortCapital(ts[i-1])
			if n := filerName(c); (len(m) == 0 || bare) && len(n) > 0 && !afterAbbrev {
				out = append(out[:before], mention{kind: Organization, name: stripPossessive(joinText(n)), toks: folds(n), inTitle: inTitle})
			}
		}
		// sports.football() asked first: the pass that read the story's
		// words (readWords) counted its football nouns, where the cues
		// after it scan the words around the run
		if sports.football() && len(out) == before+1 && j == i+1 && (rivalCue(ts, i) || clubNounAfter(ts, j) || clubClauseAfter(text, ts, i, j) || clubVerbAfter(ts, i, j) || i == clubEnd+1 && ts[i-1].Lower == "to") {
			// "beat Cardiff", "on loan at Birmingham", "Newcastle boss",
			// "his move from Newcastle to
			// Liverpool": in a football story a city after a result or a
			// transfer, or before a club's people, is its club, the one
			// the story names in full if it does ("Swansea City"); a word
			// no list or dictionary knows after a match's words is a club
			// too ("a goal against Norwich"), unless it is the surname of
			// a person the story names (resolve asks first), and so is
			// one that opens its clause with a plural verb ("Burnley are
			// now bigger than Ajax"). Not after a transfer's: "moved to"
			// also says where a family lived.
			if e := x.gaz.lookup(ts[i:j], shouting); e != nil && e.kind == Place && x.gaz.cities[foldTok(t)] {
				out[before] = mention{kind: "", listOrg: true, club: true, name: e.name, toks: []string{foldTok(t)}, inTitle: inTitle}
				clubEnd = j
			} else if m := &out[before]; (matchCue(ts, i) || clubVerbAfter(ts, i, j)) && m.kind == "" && m.e == nil && !m.cued && !m.place && !commonWord(m.toks[0]) && !demonymShaped(m.toks[0]) {
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
		if len(out) == before+1 && j == i+1 && out[before].e != nil && out[before].e.kind == Place && out[before].e.iso != "" && !foldIs(out[before].e.name, foldTok(t)) && (languageSpoken(ts, i, j, lang) || languageAdjective(ts, i, j)) {
			// "she learned French", "speaks fluent Spanish", "its
			// Spanish language network": a language, which names no
			// country.
			out = out[:before]
		}
		if !inTitle && sports.football() && len(out) > before && tableRow(text, ts, i, j) {
			// "Everton 2 Chelsea 1", "Aston Villa 594, 729": a side in a
			// results or standings line is its club.
			out = x.asTableClub(out, before, c, inTitle, shouting)
		}
		inClubList := listed && clubList
		clubList = false
		if !inTitle && sports.football() && len(out) > before && (inClubList || clubListCue(ts, i)) && x.clubSide(out[before:]) {
			// "Welsh clubs, like Swansea and Cardiff", "clubs ... including
			// Wrexham, Newport County and Colwyn Bay": what a list of clubs
			// names is a club, whatever its town's or its words' reading.
			out = x.asTableClub(out, before, c, inTitle, shouting)
			clubList = true
		}
		inBodyList := listed && bodyList
		bodyList = false
		if !guarded && len(out) > before && (inBodyList || bodyListCue(ts, i)) {
			// "retailers such as Quill Hart and Vantrell Brothers",
			// "companies like Norvane, Quellmark and Brandvik": each
			// example is a body, read whole, unless a given name or a
			// title vouches for a person or the gazetteer knows it.
			out = x.wholeRunOrg(out, before, c, inTitle, shouting)
			asEmployer(out, before, c)
			m := out[len(out)-1]
			bodyList = m.kind == Organization || m.listOrg || m.e != nil && m.e.kind == Organization
		}
		if len(out) == before+1 && j == i+1 && out[before].kind == "" && out[before].e == nil && !out[before].cued && !out[before].place && x.placeAfter(ts, j, shouting) && !commonWord(out[before].toks[0]) && !demonymShaped(out[before].toks[0]) && !groupPlural(out[before].toks[0]) && !(prev != nil && (prev.Lower == "the" || prev.Lower == "by" || hasDigit(prev.Lower))) {
			// "Kyushu island", "Kandahar in southern Afghanistan": the
			// words after a bare name say it is a place; not after "the"
			// or an ordinal ("the Obamas in Europe", "the 11th
			// Arrondissement in Paris"), nor after "by", which names
			// an agent ("the attack by Lashkar-e-Taiba in Mumbai"),
			// nor for a group of people
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
			if m := out[len(out)-1]; m.kind == Organization && foldIs(m.name, foldTok(ts[j-1])) {
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
		if !guarded && inSet(t, wPartyWord) && (j > i+1 && stripRole(c) > 0 && !partyEventRun(c) || j == i+1 && j < len(ts) && lowerWord(ts[j]) && (isCoreTitle(ts[j].Lower) || partyMemberNouns[ts[j].Lower])) && !hasOrg(out[before:]) {
			// "Conservative MP Douglas Carswell", "the Democratic
			// presidential nominee": a party's adjective before a role
			// names the party, which the role's title leaves out; not a
			// gathering named whole ("the Democratic National
			// Convention"), an event, which names no one.
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
			// "a spokesman for Quellmark", "shares in Quellmark"; "a
			// researcher at the Norwegian Defence Research
			// Establishment": the whole run, not the demonym's country
			out = x.wholeRunOrg(out, before, c, inTitle, shouting)
			asEmployer(out, before, c)
		}
		if !guarded && inTitle && x.demonymBrandOwner(ts, i, j, shouting) {
			// "American Eagle's forecast": a brand, not the country.
			out = append(out[:before], mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle})
		}
		if !guarded && nicks == nil && x.resultsReporter(ts, i, j, shouting) {
			// "American Eagle sees fall in revenue": what reports its
			// results is a company, not the country its demonym names.
			out = append(out[:before], mention{kind: Organization, name: joinText(c), toks: folds(c), inTitle: inTitle})
		}
		if !guarded && len(out) == before+1 && out[before].kind != Person && (j > i+1 || !inTitle) && counterpartyCue(ts, i, j, lang) {
			// "a contract with Mediapro", "Norvane's chief executive"; not
			// one word in a headline, which names people by surname
			// alone ("Deal With Mnuchin"): in the text a person is named
			// in full first, and asEmployer leaves a word a person bears.
			asEmployer(out, before, c)
		}
		if !guarded && tickerAfter(text, ts, j) || j > i+2 && x.possessiveLegalName(text, ts, i) == j {
			// "Allstate (ALL.N)": a ticker makes the name a listed company,
			// in a title-case headline too where a possessive opens it and
			// the ticker ends it ("Dick's Sporting Goods (DKS)").
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
			// "Sidley Austin, a corporate law firm": the whole run, not
			// an unknown word and a town.
			out = x.wholeRunOrg(out, before, c, inTitle, shouting)
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
		if listed && sports.football() && (city >= 0 && lastKind == Organization || lastCity >= 0 && bodyNamed(out[before:])) {
			// "Everton, Liverpool and Norwich City", "between Liverpool
			// and Juventus": in a football story a town listed with a
			// body is its club, the one the story names in full if it
			// does ("Swansea City").
			for _, k := range []int{city, lastCity} {
				if k >= 0 && out[k].e != nil && out[k].e.kind == Place && x.gaz.cities[string(appendFold(make([]byte, 0, 64), out[k].e.name))] {
					out[k] = mention{listOrg: true, club: true, name: out[k].e.name, toks: []string{Fold(out[k].e.name)}, inTitle: out[k].inTitle}
				}
			}
			city = -1
		}
		lastCity = city
		kind, bare, opener := "", -1, -1
		if len(out) > before {
			switch m := &out[len(out)-1]; {
			case m.kind == Organization || m.kind == Place || m.kind == Person:
				kind = m.kind // the chunk ends with it: "Shares of Reuters"
			case m.kind == "" && m.listOrg:
				// a one-word brand ("Verizon"), which only its story's
				// people may claim, or a town read as its club lists
				// bodies as a body does
				kind = Organization
			case len(out) == before+1 && m.kind == "" && !m.place && !m.cued && (j == i+1 && !t.SentStart || j == i+2 && t.SentStart && capStop[t.Lower] && len(m.toks) == 1) && !hasDigit(m.toks[0]):
				bare = before
			case len(out) == before+1 && m.kind == "" && !m.place && !m.cued && !m.listOrg && j == i+1 && t.SentStart:
				opener = before
			case len(out) == before+1 && m.kind == "" && m.cued && (prev != nil && (inSet(*prev, wRoleNoun) || inSet(*prev, wFamilyNoun)) || kinAfter(ts, j)):
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
		if listed && kind == Person && lastOpener >= 0 {
			openerListedPerson(&out[lastOpener])
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
		lastEnd, lastKind, lastBare, lastDemonym, lastOpener, lastFrom = j, kind, bare, demonym, opener, before
		// "Australian Maritime Safety Authority (Amsa)": the bracketed
		// word is this story's short name for the entity just named.
		if len(out) > before && j < len(ts) && defs != nil {
			last := out[len(out)-1]
			gap, after := text[ts[j-1].End:ts[j].Start], text[ts[j].End:]
			bracketed := strings.Contains(gap, "(") && strings.HasPrefix(after, ")")
			if last.kind == Person && last.e == nil && bracketed && ts[j].AllCaps() && !acronymStop[foldTok(ts[j])] && namesShortForm(last, ts[j-1], ts[j]) && x.gaz.lookup(ts[j:j+1], shouting) == nil {
				// "Democratic Rally (DISY)": an acronym is a body's short
				// name, so the run before it is that body, not a person,
				// and one entity under one kind. A known one is not the
				// name's: "James Whitfield (AFP)" credits an agency. Nor
				// one after other words or of another letter: "Jared
				// Pobre Is Married (DETAILS)" tags the headline.
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
		// A body after the run: the run's last mention a known place,
		// outside a title-case headline; most runs are none, and skip the
		// two rules.
		if len(out) > before && !guarded && out[len(out)-1].e != nil && out[len(out)-1].e.kind == Place {
			m := out[len(out)-1]
			owned := possessive(ts[j-1].Text)
			k := govBodyAfter(ts, j)
			if k == 0 && !owned {
				// not after a possessive: "Malaysia's embassy" is told as
				// "the Malaysian embassy" too, and one body keyed by two
				// spellings would be named twice
				k = countryBodyAfter(ts, j)
			}
			switch {
			case k == 0 || x.gaz.lookup(ts[j-1:j], shouting) != m.e:
			case !owned:
				// "the US state department", "The Japanese meteorological
				// agency", "the US navy": a country or its adjective and a
				// lower-case body.
				out[len(out)-1] = mention{kind: Organization, name: text[ts[j-1].Start:ts[k-1].End], toks: folds(ts[j-1 : k]), inTitle: inTitle}
				j = k
			case !portfolioMinistry(ts, k):
				// "Chicago's water department", "Japan's weather agency": a
				// place's possessive owns the lower-case body after it, which
				// is named by both (the text's words, keyed without the
				// possessive); the place stays named. A portfolio's ministry
				// ("China's foreign ministry") is read as before.
				toks := append([]string{Fold(stripPossessive(ts[j-1].Text))}, folds(ts[j:k])...)
				out = append(out, mention{kind: Organization, name: text[ts[j-1].Start:ts[k-1].End], toks: toks, inTitle: inTitle})
				j = k
			}
		}
		i = j
	}
	return out
}

// reviewTag reports whether the run ending at ts[j] ends in "Review" and
// a colon, or ends the headline: a headline's tag for a review of what the
// run names before it ("SXSW Film Review: 'Neighbors'", "True Detective
// Season Finale Review: …"; round 34; "Samsung Galaxy Gear Review", round
// 36), where "Review", a journal's noun elsewhere ("Harvard Business
// Review", which the gazetteer knows), makes no body of the words before
// it.
func reviewTag(text string, ts []tokens.Token, j int) bool {
	if ts[j-1].Lower != "review" {
		return false
	}
	end := len(text)
	if j < len(ts) {
		end = ts[j].Start
	}
	after := strings.TrimSpace(text[ts[j-1].End:end])
	return strings.HasPrefix(after, ":") || j == len(ts) && strings.Trim(after, ".!?") == ""
}

// filingNouns are what a company files for: bankruptcy, Chapter 11,
// insolvency, receivership, an IPO.
var filingNouns = set(`bankruptcy chapter insolvency receivership ipo offering`)

// filingAt reports whether ts[k] opens a filing: "files", "filed", "file"
// or "filing", "for", and a filing noun within the four words after it
// ("files for Chapter 11", "filed for an IPO", "files for second
// bankruptcy"), through brackets but no other punctuation ("Files For
// (Another) Bankruptcy"); or "seeks", "sought", "seek" or "seeking" in lower case and a
// filing noun within the five words after it ("seeks bankruptcy
// protection", "again seeks to reorganize under bankruptcy protection":
// round 30, set 35); or, with no "for", a filing noun right after the
// verb ("files Chapter 11", "enters bankruptcy", "returns to Chapter 11":
// round 34). "Ch." and a number is Chapter ("files for Ch. 11").
func filingAt(text string, ts []tokens.Token, k int) bool {
	return filingFrom(text, ts, k) > k
}

// filingFrom is where the words of the filing ts[k] opens start, after
// its verb and "for" or "to" (see filingAt); 0 if ts[k] opens none.
func filingFrom(text string, ts []tokens.Token, k int) int {
	from := k + 2
	switch filingVerbOf(ts[k].Lower) {
	case fileVerb:
		if k+1 >= len(ts) {
			return 0
		}
		if ts[k+1].Lower != "for" {
			if bareFilingNounAt(ts, k+1) {
				return k + 1 // "files Chapter 11", "files Ch. 11 bankruptcy"
			}
			return 0
		}
	case seekVerb: // no "for": "seeks bankruptcy protection"
		if !lowerWord(ts[k]) {
			// "Bitcoin Exchange Mt. Gox Seeks US Bankruptcy Relief": a
			// title-case headline's run, cut there, would leave its
			// descriptive words a body's name
			return 0
		}
		from = k + 1 // "seeks bankruptcy protection", "seeks to reorganize under bankruptcy protection"
	case enterVerb:
		if k+1 < len(ts) && !ts[k+1].Break && bareFilingNounAt(ts, k+1) {
			return k + 1 // "enters bankruptcy protection"
		}
		return 0
	case returnVerb:
		if k+2 < len(ts) && ts[k+1].Lower == "to" && !ts[k+2].Break && bareFilingNounAt(ts, k+2) {
			return k + 2 // "returns to Chapter 11"
		}
		return 0
	case goVerb:
		if k+1 < len(ts) && !ts[k+1].Break && ts[k+1].Lower == "bankrupt" {
			return k + 1 // "goes bankrupt"
		}
		return 0
	default: // noFilingVerb: what filingVerbWithin asks first, from the same list
		return 0
	}
	for n := from; n < len(ts) && n <= k+5; n++ {
		if filingNounAt(ts, n) {
			return from
		}
		if ts[n].Break && !onlyBrackets(text[ts[n-1].End:ts[n].Start]) || ts[n].SentStart {
			return 0
		}
	}
	return 0
}

// filingVerbWithin reports whether a word of ts[from:to+1] is one of the
// verbs filingFrom opens a filing with: filingAfter's filing opens no
// further than three words after the run (two for a kind of firm, one
// for "has" or an adverb), so without one there it reads nothing.
func filingVerbWithin(ts []tokens.Token, from, to int) bool {
	for n := from; n <= to && n < len(ts); n++ {
		if filingVerb(ts[n].Lower) {
			return true
		}
	}
	return false
}

// filingVerbKind is which of the verbs a filing opens with a word is:
// what may follow it differs (filingFrom).
type filingVerbKind uint8

const (
	noFilingVerb filingVerbKind = iota
	fileVerb                    // "for" and a filing noun, or a bare filing noun
	seekVerb                    // in lower case, a filing noun within five words
	enterVerb                   // a bare filing noun right after it
	returnVerb                  // "to" and a bare filing noun
	goVerb                      // "bankrupt" right after it (issue 15, round 46)
)

// filingVerbOf is the kind of filing verb w is, noFilingVerb for any other
// word. The one list of those verbs: filingFrom reads a filing after them,
// filingVerbWithin looks for them after every run (a switch, not a map,
// for that).
func filingVerbOf(w string) filingVerbKind {
	switch w {
	case "files", "filed", "file", "filing":
		return fileVerb
	case "seeks", "sought", "seek", "seeking":
		return seekVerb
	case "enters", "entered", "enter", "entering":
		return enterVerb
	case "declares", "declared": // "declares bankruptcy" (round 46); not a gerund, whose run before it is no subject
		return enterVerb
	case "goes", "went", "gone": // "goes bankrupt"; not "To Protect From Going Bankrupt"
		return goVerb
	case "returns", "returned", "return", "returning":
		return returnVerb
	}
	return noFilingVerb
}

// filingVerb: w is one of the verbs filingFrom opens a filing with.
func filingVerb(w string) bool { return filingVerbOf(w) != noFilingVerb }

// filingNounAt: ts[n] is a filing noun, or "Ch." before a number, Chapter
// abbreviated ("Ch. 11").
func filingNounAt(ts []tokens.Token, n int) bool {
	if filingNouns[ts[n].Lower] {
		return true
	}
	return ts[n].Lower == "ch" && n+1 < len(ts) && ts[n+1].Text != "" && ts[n+1].Text[0] >= '0' && ts[n+1].Text[0] <= '9'
}

// bankruptcyChapters are the chapters of the US Bankruptcy Code a
// company or a city files under.
var bankruptcyChapters = set(`7 9 11 13 15`)

// bareFilingNounAt is filingNounAt for a filing written without "for"
// ("files Chapter 11", "returns to Chapter 11"), where a book's or a
// life's chapter reads the same ("returns to Chapter 11 of her saga",
// "files chapter on …", "Returns To Chapter One"): there "Chapter" or
// "Ch." is bankruptcy's only with a bankruptcy chapter's number and no
// "of" after it.
func bareFilingNounAt(ts []tokens.Token, n int) bool {
	if !filingNounAt(ts, n) {
		return false
	}
	if ts[n].Lower != "chapter" && ts[n].Lower != "ch" {
		return true
	}
	return n+1 < len(ts) && bankruptcyChapters[ts[n+1].Text] && (n+2 >= len(ts) || ts[n+2].Lower != "of")
}

// onlyBrackets reports whether the gap between two words holds round
// brackets and spaces alone: an aside the words read through ("Files For
// (Another) Bankruptcy").
func onlyBrackets(gap string) bool {
	return strings.Trim(gap, " ()") == ""
}

// filingAfter reports whether a filing follows the run ending at ts[j],
// next to it or after "has" or "had" ("has filed for bankruptcy") or an
// adverb ("again files", "Officially Files"), or after the kind of firm
// ("Sbarro pizza chain files").
func filingAfter(text string, ts []tokens.Token, j int) bool {
	if !filingVerbWithin(ts, j, j+3) {
		return false // asked after every run: most have no filing's verb near
	}
	// "Sbarro pizza chain files": a kind of firm in lower case, one or
	// two words ending in a body's noun, between the name and its filing.
	for n := j; n < len(ts) && n <= j+1 && !ts[n].Break && lowerWord(ts[n]); n++ {
		if orgNounTok(ts[n]) {
			j = n + 1
			break
		}
	}
	if j < len(ts) && (ts[j].Lower == "has" || ts[j].Lower == "had" || filingAdverb(ts[j])) && !ts[j].Break {
		j++
	}
	return j < len(ts) && !ts[j].Break && !ts[j].SentStart && filingAt(text, ts, j)
}

// filerName is the name in c, a run before a filing, without the
// ordinary words around it ("Pizza Chain Sbarro" → "Sbarro"); nil if a
// word of it is no name's or nothing but ordinary words is left.
func filerName(c []tokens.Token) []tokens.Token {
	for _, t := range c {
		if !nameLike(t) {
			return nil
		}
	}
	for len(c) > 0 && (commonWord(foldTok(c[0])) || strings.HasSuffix(foldTok(c[0]), "-based")) {
		c = c[1:]
	}
	for len(c) > 0 && commonWord(foldTok(c[len(c)-1])) {
		c = c[:len(c)-1]
	}
	return c
}

// filingAdverb: "again" or an ordinary word in -ly ("officially") between
// a filer and its filing.
func filingAdverb(t tokens.Token) bool {
	a := foldTok(t)
	return a == "again" || strings.HasSuffix(a, "ly") && commonWord(a)
}

// shortCapital: t, or its part after a hyphen ("RPT-Mt"), is a capitalised
// word of three letters at most, which a period after it may abbreviate
// ("Mt. Gox") and not end the sentence.
func shortCapital(t tokens.Token) bool {
	w := t.Text
	if h := strings.LastIndexByte(w, '-'); h >= 0 {
		w = w[h+1:]
	}
	return len(w) >= 1 && len(w) <= 3 && w[0] >= 'A' && w[0] <= 'Z'
}

// namesShortForm reports whether the capitals acr in brackets can be the
// short name of the mention m that a run ended with: m's name ends
// right before the bracket (its last word is prev) and acr opens with
// its first letter ("Democratic Rally (DISY)"). A headline's tag after
// its verb ("Jared Pobre Is Married (DETAILS)", round 30) is neither.
func namesShortForm(m mention, prev, acr tokens.Token) bool {
	if len(m.toks) == 0 || m.toks[len(m.toks)-1] != foldTok(prev) || m.toks[0] == "" {
		return false
	}
	return acr.Lower[0] == m.toks[0][0]
}
