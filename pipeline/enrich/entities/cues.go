package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Cues around a name that say what it is, from the words of news English
// next to it rather than from the name: an apposition (", an Islamic
// militant group"), a capitalised "The" in mid-sentence ("supported by
// The Vaccines").

// orgAppositive reports whether the name ending at token j is followed by
// an apposition that calls it an organization: a comma, an article, up
// to four words and a noun of organizations ("Boko Haram, an Islamic
// militant group"; "Acme, the Dutch chipmaker's parent" is not: a
// possessive noun owns something else; ", a spokesman for the party"
// names a person first). A person's place in a body, before the body's
// noun or right after it, makes the apposition a person's: "Anna Berg, a
// partner at the law firm", "Anna Berg, a law firm partner", ", a party
// spokesman" describe the person, whom it must not retype.
func orgAppositive(text string, ts []tokens.Token, j int) bool {
	if !opensApposition(text, ts, j) {
		return false
	}
	for k := j + 1; k < len(ts) && k <= j+5; k++ {
		if ts[k].Break || ts[k].SentStart {
			return false
		}
		f := ts[k].Lower
		if titles[f] || roleNouns[f] || memberNouns[f] && !memberModifiesBody(ts, k) || possessive(ts[k].Text) {
			return false
		}
		if orgNouns[f] || appositionHeads[f] {
			if k+1 >= len(ts) || ts[k+1].Break {
				return true
			}
			g := ts[k+1].Lower
			return !orgNouns[g] && g != "of" && !memberNouns[g] && !isCoreTitle(g)
		}
	}
	return false
}

// appositionHeads call a name a body in an apposition only, where no
// product or person is meant ("Sinai Province, an Islamic State
// affiliate"; "Rusi, a London think-tank"; "Meridia, a non-profit"); before
// a name they are no cue, so they are not orgNouns.
var appositionHeads = set(`affiliate offshoot faction subsidiary think-tank thinktank non-profit nonprofit`)

// memberNouns name a person by their place in a body, as the titles and
// roleNouns do by office: what an apposition calls someone who works for,
// belongs to or owns part of an organization.
var memberNouns = set(`partner partners employee employees member members staffer staffers worker workers official
officials executive executives associate associates consultant consultants engineer engineers trader traders banker
bankers insider insiders volunteer volunteers veteran veterans lobbyist lobbyists fellow alumnus alumna graduate
intern owner owners co-founder cofounder shareholder`)

// memberModifiesBody: the member noun at ts[k] modifies a body's noun one
// or two words on ("a shareholder advisory firm", "a volunteer group", "a
// workers union"): it says what the body is, not the name's place in one,
// as "a partner at the law firm" does.
func memberModifiesBody(ts []tokens.Token, k int) bool {
	for h := k + 1; h < len(ts) && h <= k+2; h++ {
		if ts[h].Break || ts[h].SentStart || !lowerWord(ts[h]) {
			return false
		}
		if inSet(ts[h], wOrgNoun) || appositionHeads[ts[h].Lower] {
			return true
		}
		if stopwords.IsAny(ts[h].Lower) {
			return false // "a partner at the firm", "a member of the union"
		}
	}
	return false
}

// opensApposition reports whether token j is an article right after a
// comma that follows a name: where an apposition that describes the name
// starts.
func opensApposition(text string, ts []tokens.Token, j int) bool {
	if j <= 0 || j+1 >= len(ts) || strings.TrimSpace(text[ts[j-1].End:ts[j].Start]) != "," {
		return false
	}
	switch ts[j].Lower {
	case "a", "an", "the":
		return true
	}
	return false
}

// personAppositive reports whether the name ending at token j is followed
// by an apposition that gives a person's title or role: a comma, "the",
// "a" or "an", up to three words and a title ("Angus Houston, the retired
// Air Chief Marshal"; "…, a former senator"), no organization's noun
// before it (", the defence force chief" calls a body first).
func personAppositive(text string, ts []tokens.Token, j int) bool {
	if !opensApposition(text, ts, j) {
		return false
	}
	for k := j + 1; k < len(ts) && k <= j+4; k++ {
		if ts[k].Break || ts[k].SentStart || possessive(ts[k].Text) {
			return false
		}
		f := ts[k].Lower
		if orgNouns[f] {
			return false
		}
		if titles[f] || roleNouns[f] || isCoreTitle(f) {
			return true
		}
	}
	return false
}

// townAfterUnknown: a run's mentions are a town the gazetteer knows (no
// country), perhaps after the bare word no list knows before it.
func (x *Extractor) townAfterUnknown(ms []mention) bool {
	if len(ms) == 0 || len(ms) > 2 {
		return false
	}
	last := ms[len(ms)-1]
	if last.e == nil || last.e.kind != Place || last.e.iso != "" {
		return false
	}
	return len(ms) == 1 || ms[0].e == nil && ms[0].kind == ""
}

// modelNumberAfter: the run ending before ts[j] ends in a word a hyphen
// joins to a number ("Il-76", "Su-27"): a model's designation.
func modelNumberAfter(text string, ts []tokens.Token, j int) bool {
	if j >= len(ts) || j < 1 {
		return false
	}
	e := ts[j-1].End
	return ts[j].Start == e+1 && text[e] == '-' && ts[j].Text[0] >= '0' && ts[j].Text[0] <= '9' && len(ts[j-1].Text) <= 3
}

// maidenCue reports whether the words before ts[i] say the name there is
// the one a person was born with: "the former", "born" (not a compound's
// "Chicago-born"), "née".
func maidenCue(text string, ts []tokens.Token, i int) bool {
	if i < 1 {
		return false
	}
	switch p := ts[i-1]; p.Lower {
	case "born":
		return p.Start == 0 || text[p.Start-1] != '-'
	case "née", "nee":
		return true
	case "former":
		return i >= 2 && ts[i-2].Lower == "the" && !ts[i-1].Break
	}
	return false
}

// unknownGiven: a capitalised word that may open a person's name and that
// no list knows as anything: not in the gazetteer, not a dictionary word.
func (x *Extractor) unknownGiven(t tokens.Token, shouting bool) bool {
	f := foldTok(t)
	return t.Capitalized() && !t.AllCaps() && !possessive(t.Text) && !commonWord(f) && !capStop[f] && x.gaz.lookup([]tokens.Token{t}, shouting) == nil
}

// sentenceAdverbs open a sentence before a comma and name nothing
// ("Therefore, the team …"); with every word in -ly ("Separately,
// Finally,") they are what a capitalised first word before a comma is
// when it is no name. A closed list, as a company may be called by an
// ordinary word ("Slack, the workplace messaging company").
var sentenceAdverbs = set(`therefore however meanwhile instead still yet moreover furthermore nevertheless nonetheless
thus hence indeed otherwise besides earlier later now then today yesterday tomorrow also again overall likewise
elsewhere afterwards afterward regardless anyway meantime so here there first second third last next finally
consequently accordingly similarly additionally ultimately`)

// sentenceAdverb reports whether a lower-case word is a sentence adverb
// (see sentenceAdverbs): an -ly word must be in the dictionary, as names
// end so too ("Italy", "Kelly").
func sentenceAdverb(l string) bool {
	return sentenceAdverbs[l] || len(l) > 4 && strings.HasSuffix(l, "ly") && commonWord(l)
}

// appositiveKey is how an apposition's organization is remembered for the
// rest of the story (see Recognize): its folded words joined.
func appositiveKey(toks []string) string { return "\x00org " + strings.Join(toks, " ") }

// theName reads a run opened by a capitalised "The" in mid-sentence
// ("supported by The Vaccines, The Temper Trap", "told The Huffington
// Post"): the capital makes the article part of a name, which in news
// is a band's, a paper's or a firm's, or one the gazetteer knows. Not in
// a title-case headline, where every word has a capital, nor after "and"
// or "of" (inside a work's title), nor before a role title ("The Prime
// Minister") or a lone generic word ("The Government").
func (x *Extractor) theName(c []tokens.Token, prev *tokens.Token, guarded, shouting, inTitle bool) ([]mention, bool) {
	if len(c) < 2 || c[0].Text != "The" || c[0].SentStart || guarded {
		return nil, false
	}
	if prev != nil && (prev.Lower == "and" || prev.Lower == "or" || inSet(*prev, wConnector)) {
		return nil, false // "Sex and The City", "Lord of The Rings": inside a title
	}
	rest := c[1:]
	if e := x.gaz.lookup(rest, shouting); e != nil {
		return []mention{{kind: e.kind, e: e, name: e.name, inTitle: inTitle}}, true
	}
	f := foldTok(rest[0])
	// "The Sun" is the paper, though "Sun" alone may be a Sunday.
	if stripRole(rest) > 0 || titles[f] || roleNouns[f] || len(rest) == 1 && capStop[f] && f != "sun" {
		return nil, false
	}
	if ms, ok := shapeNoPerson(rest, inTitle); ok {
		return ms, true
	}
	return []mention{{kind: Organization, name: stripPossessive(joinText(rest)), toks: folds(rest), inTitle: inTitle}}, true
}

// nickname reports whether ts[j] is a one-word nickname in quotes inside
// a person's name, the name going on after it: `Susan "Nunu" Bell`. The
// words before it must be a given name the list knows, so a quoted word
// after any capitalised run ("Apple 'Watch' Series") is not taken.
func nickname(text string, ts []tokens.Token, j int) bool {
	// asked of every word after a run's first: the quotes first, the
	// given-name list (a fold and a map probe) only for a quoted word
	if j == 0 || j+1 >= len(ts) || !ts[j].Capitalized() || !ts[j+1].Capitalized() {
		return false
	}
	open := strings.TrimSpace(text[ts[j-1].End:ts[j].Start])
	shut := strings.TrimSpace(text[ts[j].End:ts[j+1].Start])
	return slices.Contains(openQuotes, open) && slices.Contains(closeQuotes, shut) && givenNames[foldTok(ts[j-1])]
}

// withoutNicknames is ts[i:j] without the nicknames at nicks: a copy, as
// the story's tokens are shared and never modified.
func withoutNicknames(ts []tokens.Token, i, j int, nicks []int) []tokens.Token {
	c := make([]tokens.Token, 0, j-i-len(nicks))
	for k := i; k < j; k++ {
		if len(nicks) > 0 && nicks[0] == k {
			nicks = nicks[1:]
			continue
		}
		c = append(c, ts[k])
	}
	return c
}

// memberRoles between two names make the first the body the second
// works for or plays in: "U2 frontman Bono", "Vantor chairman Tom
// Reed". Not the roles of a place ("Texas senator", "Leros mayor"), nor
// those one serves a person in ("Obama adviser", "Clinton spokesman
// Brian Fallon": a politician has a spokesman as often as a firm does).
var memberRoles = set(`frontman frontwoman singer guitarist drummer bassist keyboardist chairman chairwoman ceo
boss founder co-founder striker midfielder defender goalkeeper winger coach manager analyst economist researcher
guard forward center centre quarterback pitcher`)

// playerRoles are the member roles of a team's players and coach: a
// player plays for a team, never for a town, so a city or a US state
// before one names the team or the school ("Kansas forward Dan Marsh",
// "Leeds striker Tom Reed"). A country or a nation stays a place:
// "Brazil striker", "England striker" may be the national side or the
// player's origin.
var playerRoles = set(`striker midfielder defender goalkeeper winger coach guard forward center centre quarterback
pitcher`)

// asTeamOfPlace reads the chunk that gave out[before:] as the team a
// player role after it names (see playerRoles): one place the gazetteer
// knows as a city or a US state (see teamTown). ok is false otherwise.
func (x *Extractor) asTeamOfPlace(out []mention, before int, inTitle bool) (mention, bool) {
	if len(out) != before+1 || !x.teamTown(out[before].e) {
		return mention{}, false
	}
	return mention{kind: Organization, name: out[before].e.name, inTitle: inTitle}, true
}

// orgBeforeRole reports whether the name ending before token j is
// followed by a lower-case member role and then a name (see memberRoles).
func orgBeforeRole(ts []tokens.Token, j int) bool {
	return j+1 < len(ts) && !ts[j].Break && !ts[j].SentStart && !ts[j].Capitalized() && inSet(ts[j], wMemberRole) &&
		!ts[j+1].Break && !ts[j+1].SentStart && nameLike(ts[j+1])
}

// asRoleOrg turns what the chunk c gave (out[before:]) into the
// organization a member role after it names (see orgBeforeRole): one
// name no gazetteer entry or given name vouches for, or a band's name
// with a digit ("U2") that the acronym rule drops. ok is false when the
// chunk named something else.
func asRoleOrg(out []mention, before int, c []tokens.Token, inTitle bool) (mention, bool) {
	c = withoutSentenceOpeners(c)
	if c[0].SentStart && commonWord(foldTok(c[0])) {
		return mention{}, false // "Pop singer Ana Ruiz": a genre opening the sentence
	}
	org := mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}
	switch {
	case len(out) == before:
		return org, len(c) == 1 && c[0].AllCaps() && hasDigit(c[0].Lower)
	case len(out) == before+1:
		m := out[before]
		return org, m.e == nil && (m.kind == "" && !m.place || m.kind == Person && !givenNames[m.toks[0]])
	}
	return mention{}, false
}

// notGroupPlurals end a plural name that is no band, team or party:
// events, works, eras, places and buildings ("The Winter Games", "The
// Middle Ages", "The Great Lakes", "The Twin Towers", "The Napoleonic
// Wars", "The Pulitzer Prizes", "The Outer Banks"), agreements and
// events named after a town ("the Paris Accords", "California
// Wildfires": the place is what they name) and a town's parts ("Dallas
// Suburbs").
var notGroupPlurals = set(`games olympics awards globes championships series finals ages times news talks attacks
lakes islands isles mountains alps hills highlands lands plains towers gardens studios records pictures rules papers
files chronicles diaries memoirs wars battles scrolls prizes medals hearings elections primaries states provinces
territories banks keys falls springs rivers seas accords agreements treaties protocols wildfires fires floods storms
riots protests suburbs outskirts`)

// sentenceThe reads a sentence that opens with "The" and two or more
// capitalised words, the last a plural ("The Rolling Stones are to
// play", "The Golden Reds won"): in news that is a band, a team or a
// party, whose capital "The" theName cannot see at a sentence's start.
// Not when the gazetteer knows any part of it, a known given name opens
// it (a family), or the plural names a thing (notGroupPlurals).
func (x *Extractor) sentenceThe(c []tokens.Token, guarded, shouting, inTitle bool) (mention, bool) {
	if len(c) < 3 || c[0].Text != "The" || !c[0].SentStart || guarded {
		return mention{}, false
	}
	rest := c[1:]
	last := foldTok(rest[len(rest)-1])
	if len(last) < 4 || last[len(last)-1] != 's' || strings.HasSuffix(last, "ss") || notGroupPlurals[last] ||
		placeSuffixes[last] || orgSuffixes[last] || demonymShaped(last) || givenNames[foldTok(rest[0])] {
		return mention{}, false
	}
	for k, t := range rest {
		if !t.Capitalized() || t.AllCaps() || possessive(t.Text) || hasDigit(t.Lower) || strings.IndexByte(t.Text, '-') >= 0 {
			return mention{}, false // "The LTE-capable GS4s": a product's words
		}
		if _, n := x.longest(rest[k:], shouting); n > 0 {
			return mention{}, false
		}
	}
	return mention{kind: Organization, name: joinText(rest), toks: folds(rest), inTitle: inTitle}, true
}

// employerRoles before "of" or "at" (a spokesman's also "for") make the name after them the
// body the role serves ("a spokesman for Quellmark", "chief executive
// of Varga Lund", "an analyst at Brandvik"), and holdings before "in"
// or "of" the company held ("shares in Quellmark"). Not the roles of a
// state ("president of France", "mayor of Leeds"): a place the
// gazetteer knows is left as read, and a story's person bearing the
// name still claims it ("a spokesman for Clinton").
var (
	employerRoles = set(`spokesman spokeswoman spokesperson executive executives ceo cfo chairman chairwoman founder
co-founder analyst analysts economist strategist employee employees shareholder shareholders`)
	holdingNouns = set(`shares stake stakes`)
	// bandRoles before "for" or "of" make the name after them a band's
	// ("the drummer for Eagles of Death Metal", "the lead singer of
	// Coldplay"), which is an organization.
	bandRoles = set(`drummer guitarist bassist singer vocalist frontman frontwoman keyboardist`)
	// atRoles serve the body named after "at" only: "a seismologist at
	// the British Geological Survey", "a researcher at Central
	// Queensland University"; "professor of Economics" names a subject.
	atRoles = set(`researcher researchers scientist scientists professor professors lecturer seismologist
geologist volcanologist engineer engineers expert experts`)
	// dealNouns take their counterparty after "with": "a broadcasting
	// contract with Mediapro", "deals with Quellmark"; what signs one is
	// a body, a known place (a country's deal) or a person with a known
	// given name aside.
	dealNouns = set(`contract contracts deal deals agreement agreements partnership partnerships sponsorship`)
	// companyPeople after a possessive name make it a company's
	// ("Norvane's shareholders", and what only a company has: "Tessaro's
	// board", "Norvane's subsidiary"); not the employerRoles a person has
	// too ("Halvorsen's spokesman", "Halvorsen's analysts").
	companyPeople = set(`executive executives ceo cfo chairman chairwoman shareholder shareholders board subsidiary subsidiaries`)
)

// employerCue reports whether the words before ts[i] are an employer
// role and its preposition (see employerRoles), perhaps "the", and the name ending
// before ts[j] is what the role serves or the holding is in: not when a
// place's or a facility's noun follows it, which the name only
// qualifies ("a stake in Mogadishu port", "an engineer at Heathrow
// airport": the town or the site is named, not a company).
func employerCue(ts []tokens.Token, i, j int) bool {
	if i >= 3 && ts[i-1].Lower == "the" && !ts[i-1].Capitalized() {
		i-- // "a seismologist at the British Geological Survey"
	}
	if i < 2 || ts[i].SentStart || ts[i-1].Break || ts[i-1].SentStart {
		return false
	}
	// the role and its preposition first: asked of every run, and most
	// follow none, told before the three lists of places after the name
	if !employerRoleBefore(ts, i) {
		return false
	}
	return !(j < len(ts) && !ts[j].Break && !ts[j].Capitalized() && (placeOfNouns[ts[j].Lower] || placeSuffixes[ts[j].Lower] || venueSuffixes[ts[j].Lower]))
}

// employerRoleBefore: the two words before ts[i] are a company's role and
// its preposition ("a spokesman for", "chief executive of", "shares in"),
// employerCue's words before the name.
func employerRoleBefore(ts []tokens.Token, i int) bool {
	role, prep := ts[i-2].Lower, ts[i-1].Lower
	switch prep {
	case "for":
		// "a spokesman for Quellmark"; "employees for the Toledo plant"
		// says what for, not whose
		return strings.HasPrefix(role, "spokes") || bandRoles[role]
	case "of", "at":
		return employerRoles[role] || bandRoles[role] && prep == "of" || holdingNouns[role] && prep == "of" || atRoles[role] && prep == "at" || prep == "at" && roleOfFieldAt(ts, i-1)
	case "in":
		return holdingNouns[role]
	}
	return false
}

// counterpartyCue reports whether the words before ts[i] make the name
// from ts[i] to ts[j] the other side of a deal ("a contract with
// Mediapro", see dealNouns), the addressee of a statement ("said in a
// statement to Android Community": a publication or a body), or whether
// a possessive name is followed by a company's people ("Norvane's chief
// executive", "Quellmark's shareholders"). Unlike employerCue a person
// shaped name stays one: people sign contracts and have spokesmen too.
func counterpartyCue(ts []tokens.Token, i, j int, lang string) bool {
	if j < len(ts) && !ts[j].Break && possessive(ts[j-1].Text) && !ts[j].Capitalized() {
		l := ts[j].Lower
		if companyPeople[l] || l == "chief" && j+1 < len(ts) && (ts[j+1].Lower == "executive" || ts[j+1].Lower == "financial") {
			return true
		}
	}
	if i < 2 || ts[i].SentStart || ts[i-1].Break || ts[i-1].SentStart {
		return false
	}
	role, prep := ts[i-2].Lower, ts[i-1].Lower
	// "a contract with Tamsin Grey": two or more capitalised words may
	// be a person, who signs as often as a firm
	return prep == "with" && dealNouns[role] && (j == i+1 || !personShaped(ts[i:j], lang)) || prep == "to" && role == "statement"
}

// asEmployer turns the one name the chunk c after an employer cue gave
// (out[before:]) into a body: a bare word becomes an organization
// unless a person of the story bears it, and a run of ordinary words
// that kept only its last word is one organization ("an economist at
// Capital Economics"); a run read as a person with no known given name,
// or as a place no gazetteer knows, becomes one. Not a run a role title
// opens ("a spokesman for Senator Warren", "for Dr Fauci"): a title
// names a person, whom spokesmen serve as often as firms.
func asEmployer(out []mention, before int, c []tokens.Token) {
	if len(out) != before+1 {
		return
	}
	if n := stripRole(c); n > 0 && !onlyAdjectival(c[:n]) {
		return
	}
	m := &out[before]
	switch {
	case m.e != nil:
	case m.kind == "" && len(c) > len(m.toks):
		*m = mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: m.inTitle}
	case m.kind == "":
		m.listOrg, m.cued, m.place = true, false, false
	case m.kind == Person && !givenNames[m.toks[0]] || m.kind == Place:
		*m = mention{kind: Organization, name: m.name, toks: m.toks, inTitle: m.inTitle}
	}
}

// partyWords are the capitalised adjectives of parties that open a role
// ("Conservative MP", "Democratic nominee"), and partyMemberNouns the
// lower-case words after one that make it the party's: its people, and
// the contests and tickets only a party holds ("the Democratic
// nomination", "the Republican primary", "the Republican ticket").
var (
	partyWords       = set(`conservative labour tory democratic republican socialist communist`)
	partyMemberNouns = set(`presidential candidate candidates nominee nominees lawmaker lawmakers legislator legislators
politician politicians mp mps voters nomination primary primaries convention ticket leadership`)
)

// partyEvents end a party's gathering named whole ("Democratic National
// Convention", "Republican National Conference"): an event, which names
// no party (see recognize's party adjective).
var partyEvents = set(`convention conference congress debate debates primary primaries caucuses`)

// partyEventRun reports whether the run c, opened by a party's adjective,
// is its gathering named whole: a word of partyEvents after the first,
// and after it only a day's or a month's name ("Democratic National
// Convention Monday"), which dates it.
func partyEventRun(c []tokens.Token) bool {
	for k := len(c) - 1; k >= 1; k-- {
		f := foldTok(c[k])
		if partyEvents[f] {
			return true
		}
		if !capStop[f] {
			return false
		}
	}
	return false
}

// party is the mention of the party the adjective t names: the
// gazetteer's "<Word> Party" or "<Word>" ("Tory") when it knows either,
// else "<Word> Party".
func (x *Extractor) party(t tokens.Token, inTitle bool) mention {
	name := t.Text + " Party"
	for _, form := range []string{Fold(name), foldTok(t)} {
		if a := x.gaz.byForm[form]; a.e != nil && a.e.kind == Organization {
			return mention{kind: Organization, e: a.e, name: a.e.name, inTitle: inTitle}
		}
	}
	return mention{kind: Organization, name: name, toks: []string{foldTok(t), "party"}, inTitle: inTitle}
}

// partyMembers reports whether t is a capitalised plural of an
// ideology's follower ("Socialists", "Communists", "Nationalists"),
// which after "the" names their party.
func partyMembers(t tokens.Token) bool {
	return strings.HasSuffix(t.Lower, "ists") && len(t.Lower) > 6 && t.Capitalized() && !t.AllCaps()
}

// departmentsAlone are title words ("Treasury Secretary") that name a
// government department when no name follows ("the Treasury said").
var departmentsAlone = set(`treasury exchequer`)

// hasOrg reports whether ms holds an organization.
// bodyNamed: one of ms is an organization, a one-word brand or a club.
func bodyNamed(ms []mention) bool {
	for _, m := range ms {
		if m.kind == Organization || m.kind == "" && m.listOrg {
			return true
		}
	}
	return false
}

func hasOrg(ms []mention) bool {
	for _, m := range ms {
		if m.kind == Organization {
			return true
		}
	}
	return false
}

// withoutSentenceOpeners drops a sentence's opening "The" or stop word
// from a run that names a body after it ("The Acme frontman", "Shares of
// …"), keeping one word at least.
func withoutSentenceOpeners(c []tokens.Token) []tokens.Token {
	for len(c) > 1 && c[0].SentStart && (c[0].Lower == "the" || inFoldSet(c[0], wCapStop)) {
		c = c[1:]
	}
	return c
}

// personOfBody splits "<person> of <body>" ("Kate Smith of The Guardian",
// "Mark Smith of Capital Economics", "Paul Krugman of Princeton"): two to
// four words a given name or a role title vouches for, none of a body's
// head or suffix ("Christian Democratic Union of Germany"), then "of" and
// a name read as the run alone would be, an unknown one of two words or
// more as the person's employer. One or two words before "of" are left alone: "Catherine of
// Aragon", "Duke of Edinburgh".
func (x *Extractor) personOfBody(c []tokens.Token, next *tokens.Token, titled, female, inTitle, guarded, shouting bool, lang string) ([]mention, bool) {
	k := 2
	for k < len(c) && k <= 4 && c[k].Lower != "of" {
		k++
	}
	if k > 4 || k+1 >= len(c) || guarded || !(titled || givenNames[foldTok(c[0])]) || !personShaped(c[:k], lang) {
		return nil, false
	}
	for _, t := range c[:k] {
		if f := foldTok(t); orgSuffixes[f] || orgHeads[f] {
			return nil, false
		}
	}
	if e := x.gaz.lookup(c[:k], shouting); e != nil && e.kind != Person {
		return nil, false
	}
	body := c[k+1:]
	out := []mention{{kind: Person, name: joinText(c[:k]), toks: folds(c[:k]), inTitle: inTitle, female: female, cued: true}}
	before := len(out)
	out = x.chunk(out, body, &c[k], next, false, false, inTitle, guarded, shouting, lang)
	if len(body) > 1 {
		asEmployer(out, before, body) // one unknown word may be a town: "Justin Welby of Canterbury"
	}
	return out, true
}
