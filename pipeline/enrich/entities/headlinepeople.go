package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Rules for the people a headline names with little around them (issue
// 15, round 27): one word, a sentence's first, where no title or speech
// verb vouches for a person. Kept apart from the recognizer's loop, which
// only asks them.

// openerListedPerson marks a sentence's first word, left bare, as a person
// when a person is listed right after it ("Beyonce, Jennifer Garner
// support …", "Tovalla and Jennifer Garner join …"): a list of names
// that a person ends lists people. Not an ordinary word ("Later,
// Jennifer Garner said"), whose capital is the sentence's, nor a people's
// adjective or plural ("Americans, John Kerry …").
func openerListedPerson(m *mention) {
	if len(m.toks) != 1 || commonWord(m.toks[0]) || demonymShaped(m.toks[0]) || groupPlural(m.toks[0]) || hasDigit(m.toks[0]) {
		return
	}
	m.cued = true
}

// kinOrFormerKin: a kin noun, or one a former tie's "ex-" opens
// ("ex-girlfriend", "ex-wife"): after a possessive name either says whose
// kin, a person's ("Clooney's ex-girlfriend weds").
func kinOrFormerKin(l string) bool {
	if rest, ok := strings.CutPrefix(l, "ex-"); ok {
		l = rest
	}
	return kinNoun(l)
}

// orgsOfficer marks the one bare word after a body's possessive in a
// headline as a person: "BoE's Carney", "ECB's Draghi sees" — how
// headlines name a body's officer, by the body and a surname. The
// possessive ends its run (runEnd), so the word, ts[i:j], is a run of its
// own right after the body's, which ended at lastEnd and yielded
// out[from:before], the body alone; out[before:] is what the word
// yielded. Not an ordinary word ("Apple's Watch"), an acronym or a
// camel-case product ("BoE's MPC", "Apple's iPhone"). In a title-case
// headline too, where the word stands alone in its run ("… - BoE's
// Carney"): a word the headline's capitals ran on from ("Fed's Plosser
// Expects …") is no run of one.
func (x *Extractor) orgsOfficer(out []mention, from, before int, ts []tokens.Token, i, j, lastEnd int, inTitle, shouting bool) {
	if !inTitle || j != i+1 || lastEnd != i || before != from+1 || len(out) != before+1 || ts[i].Break || !possessive(ts[i-1].Text) || possessive(ts[i].Text) {
		return
	}
	body, m := out[before-1], &out[before]
	if !(body.kind == Organization || body.e != nil && body.e.kind == Organization || body.kind == "" && body.listOrg) || !x.namedBefore(body, ts, i, shouting) {
		return
	}
	t := ts[i]
	if m.kind != "" || m.e != nil || m.place || m.listOrg || len(m.toks) != 1 || t.AllCaps() || camelCase(t.Text) || hasDigit(m.toks[0]) || commonWord(m.toks[0]) {
		return
	}
	m.cued = true
}

// namedBefore reports whether the body's mention m is the name that ends
// right before ts[i] ("Bank of England's", "BoE's"), not a name earlier in
// a run whose possessive named nothing ("Jos. A. Bank Sold To Men's
// Wearhouse").
func (x *Extractor) namedBefore(m mention, ts []tokens.Token, i int, shouting bool) bool {
	if m.e == nil {
		return len(m.toks) > 0 && m.toks[len(m.toks)-1] == foldTok(ts[i-1])
	}
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		if x.gaz.lookup(ts[k:i], shouting) == m.e {
			return true
		}
	}
	return false
}

// unknownNamePair reports whether a title-case headline's run c opens
// with a person whose given name no list holds ("Shailene Woodley Gets
// Advice …", "Shailene Woodley's Legit …"): two capitalised words that no
// dictionary, name list or gazetteer holds, the second possessive or
// followed by the headline's verb, an ordinary word in -s (headlineVerb's
// shape) or "Is", "Was", "Has", or by a capitalised preposition and more
// of the run (namePrepositions). titleCasePerson asks it where a known given name opens no name;
// it checks the second word itself.
func (x *Extractor) unknownNamePair(c []tokens.Token) bool {
	if len(c) < 2 || possessive(c[0].Text) || c[0].AllCaps() || !c[0].Capitalized() {
		return false
	}
	f := foldTok(c[0])
	if len(f) < 2 || commonWord(f) || stopwords.IsAny(f) || capStop[f] || hasDigit(f) || givenNames[f] || ordinaryGivenName(f) {
		return false
	}
	if strings.HasSuffix(f, "s") && commonWord(f[:len(f)-1]) {
		return false // "Mens Wearhouse Nears Deal": a plural or possessive written without its apostrophe
	}
	if x.gazetteerKnowsPair(c[:2]) {
		return false // "Mt Gox Customers Hack …": a known name, whose reading stands
	}
	if possessive(c[1].Text) {
		return true
	}
	if len(c) < 3 || c[2].Start != c[1].End+1 {
		return false
	}
	// "Zac Efron Up For Reunion" (set 43): the capitals ran on from the
	// pair into the headline's predicate through a preposition.
	return headlineVerbWord(foldTok(c[2])) || len(c) >= 4 && namePrepositions[c[2].Lower]
}

// pairAfterOccupation reports whether c[p] opens a person's two words
// that no list holds right after an occupation's noun in a title-case
// headline ("Creator Dong Nguyen Speaks On …", "Nanny Kat Perkins
// Embarks On …"; issue 15, round 42): the noun says who the pair is, as a
// known given name would. Both words are names by shape (no dictionary,
// stop word or gazetteer holds them), and the name visibly ends after the
// pair: the run's end, a possessive, or the headline's predicate
// ("Speaks", "Considering"). Not "Nanny State Rules", "Creator Studio
// Launches" (ordinary words), "Nanny McPhee Returns" (one name word).
func (x *Extractor) pairAfterOccupation(c []tokens.Token, p int) bool {
	if p == 0 || p+1 >= len(c) || !occupationNouns[foldTok(c[p-1])] || c[p].Start != c[p-1].End+1 || possessive(c[p-1].Text) {
		return false
	}
	for _, t := range c[p : p+2] {
		f := foldTok(t)
		if !t.Capitalized() || t.AllCaps() || len(f) < 2 || commonWord(f) || stopwords.IsAny(f) || capStop[f] || hasDigit(f) || camelCase(t.Text) {
			return false
		}
	}
	if possessive(c[p].Text) || x.gazetteerKnowsPair(c[p:p+2]) {
		return false
	}
	return possessive(c[p+1].Text) || p+2 >= len(c) || c[p+2].Start != c[p+1].End+1 || predicateWord(c[p+2])
}

// occupationNouns name what a person does or made, before the name in a
// title-case headline, that titles and roleNouns leave out: a general
// list of occupations, no labelled set's names. Not "developer", which
// as often precedes a firm ("Developer Tishman Speyer Buys Tower").
var occupationNouns = set(`creator co-creator inventor designer nanny comedian comedienne filmmaker
screenwriter novelist playwright songwriter photographer choreographer astronaut entrepreneur billionaire
tycoon mogul showrunner`)

// namePrepositions after an unknown pair that opens a title-case
// headline's run, with more of the run after them, say the pair was the
// headline's subject (round 39): "Zac Efron Up For Reunion", "Shailene
// Woodley In Talks With …".
var namePrepositions = set(`up for in on at with after over out from into about against`)

// gazetteerKnowsPair: the gazetteer holds either word of the two-word
// run pair, or the two together — a known name whose own reading stands
// where an unknown pair would be read as a person (unknownNamePair,
// pairBeforePunct).
func (x *Extractor) gazetteerKnowsPair(pair []tokens.Token) bool {
	return x.gaz.lookup(pair[:1], false) != nil || x.gaz.lookup(pair[1:2], false) != nil || x.gaz.lookup(pair, false) != nil
}

// headlineVerbWord reports whether f, a word a title-case headline's
// capitals ran on from its subject, is the headline's verb: an ordinary
// word in -s of four letters or more ("Gets", "Marries"), one of
// headlineAuxiliaries, or an ordinary word in -ed of five or more, a past
// ("Received", "Arrested"; round 29); no given name and, in -ed, no
// surname.
func headlineVerbWord(f string) bool {
	return headlineAuxiliaries[f] || verbInS(f) || len(f) > 4 && strings.HasSuffix(f, "ed") && commonWord(f) && !givenNames[f] && !surnameWord(f)
}

// verbInS: f is an ordinary word in -s of four letters or more and no
// given name, a headline's verb after its subject ("Gets", "Marries").
func verbInS(f string) bool {
	return len(f) > 3 && f[len(f)-1] == 's' && commonWord(f) && !givenNames[f]
}

// headlineAuxiliaries are the short verbs a headline's subject takes
// that the shapes of headlineVerbWord leave out: "Zac Efron Is Totally
// Ready …", "Stacy Keibler Got Married …".
var headlineAuxiliaries = set(`is was has had got`)

// ordinaryGivenBefore reports whether c[p] is a given name that is an
// ordinary word too ("Rose", "Hunter": ordinaryGivenName) before a word
// the gazetteer does not know, alone or with it: in a title-case headline
// the pair is a person ("Rose Byrne In 'Neighbors' …") where the second
// word is no ordinary one, which titleCasePerson checks ("Senate Bill
// Passes House", "Rose Bowl" are no one), nor camel-case ("Dream ComeTo
// Life").
func (x *Extractor) ordinaryGivenBefore(c []tokens.Token, p int) bool {
	if p+1 >= len(c) || possessive(c[p].Text) || c[p].AllCaps() || !ordinaryGivenName(foldTok(c[p])) {
		return false
	}
	if camelCase(c[p+1].Text) || x.gaz.lookup(c[p+1:p+2], false) != nil || x.gaz.lookup(c[p:p+2], false) != nil {
		return false
	}
	// The pair ends the run, is possessive or a stop word follows it: not
	// "Early Titanfall Players", "Neil Young Annouces Launch", whose next
	// word runs on (a plural noun and a verb in -s look alike).
	return p+2 >= len(c) || possessive(c[p+1].Text) || stopwords.IsAny(foldTok(c[p+2]))
}

// titleBeforeOrdinary reports whether a title-case headline's title
// vouches for no one: the word left after it alone is an ordinary word,
// no given name and no surname ("2015 General Election Won't Affect …",
// "'Chef' Is A Return to Form …"), where the headline's capitals, not
// a name, follow the title's word.
func titleBeforeOrdinary(f string, guarded bool) bool {
	return guarded && commonWord(f) && !givenNames[f] && !surnameWord(f)
}

// nameEndsBeforeNoun returns where a person's name that opens a
// title-case headline's run ends when ordinary words the headline's
// capitals ran on follow it ("Mark Carney Currency-Manipulation
// Scandal", "Tom Hanks Movie Review"): the first word from the third on
// that is an ordinary word and no name — no given name, no surname that
// is an ordinary word too ("Neil Young", "Martin Luther King"), no
// initial or particle — or a compound of such words joined by hyphens.
// Only a name of two words, the second no such word ("Lindsay
// Documentary Premiere Recap" names a show): three name-like words before
// the noun do not say where a name ends ("Prince Harry Cressida Bonas
// Engagement"). Not a stop word, which other rules read.
// 0 when the third word may be a name's.
func nameEndsBeforeNoun(c []tokens.Token) int {
	if len(c) >= 3 && !titleCaseNoun(c[1]) && titleCaseNoun(c[2]) {
		return 2
	}
	// "Christopher Mintz-Plasse Share Crazy Stories" (round 42): after a
	// surname no dictionary holds, an ordinary word that is a census
	// surname too ("Share") is the headline's where an ordinary word no
	// name holds follows it; "Martin Luther King Jr" keeps its "King".
	if len(c) >= 4 && !commonWord(foldTok(c[1])) && !titleCaseNoun(c[1]) && ordinaryNotGiven(c[2]) && titleCaseNoun(c[3]) {
		return 2
	}
	// "Jennifer Garner In Banning the Word" (round 43): a preposition
	// the headline's capitals ran on into is no name's word; a body's
	// "Of" and "For" are not among them. Not after two ordinary words
	// ("Frank Talk With …", "Carol Service To Be Held"), the headline's
	// own as likely.
	if len(c) >= 3 && !titleCaseNoun(c[1]) && !stopwords.Is("en", foldTok(c[1])) && titlePrepositions[c[2].Lower] && c[2].Capitalized() &&
		!(commonWord(foldTok(c[0])) && commonWord(foldTok(c[1]))) {
		return 2
	}
	return 0
}

// titlePrepositions end a person's name in a title-case headline
// (nameEndsBeforeNoun); "of", "for" and "de" go on inside bodies' and
// people's names and are left out.
var titlePrepositions = set(`in on at to with as from into over after before by via about against amid during`)

// knownNames are the names the gazetteer knows in ts, longest first, the
// rest of the words left unread.
func (x *Extractor) knownNames(ts []tokens.Token, inTitle, shouting bool) []mention {
	var out []mention
	for k := 0; k < len(ts); {
		e, n := x.longest(ts[k:], shouting)
		if n == 0 {
			k++
			continue
		}
		out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
		k += n
	}
	return out
}

// ordinaryNotGiven: t is an ordinary word, no given name, initial or
// possessive (it may be a census surname).
func ordinaryNotGiven(t tokens.Token) bool {
	f := foldTok(t)
	return !isInitial(t) && !t.AllCaps() && !possessive(t.Text) && commonWord(f) && !givenNames[f] && !listedGivenName(f) && !ordinaryGivenName(f) && !stopwords.Is("en", f) && !capStop[f]
}

// titleCaseNoun reports whether t, capitalised in a title-case headline,
// is an ordinary word no name holds (see nameEndsBeforeNoun).
func titleCaseNoun(t tokens.Token) bool {
	if isInitial(t) || particleName(t) || t.AllCaps() || possessive(t.Text) {
		return false
	}
	f := foldTok(t)
	if stopwords.Is("en", f) || capStop[f] {
		return false // "Miley Cyrus After Twitter Comments": read as before
	}
	parts := strings.Split(f, "-")
	for _, p := range parts {
		if p == "" || !commonWord(p) || surnameWord(p) && !occasionNouns[p] || givenNames[p] || listedGivenName(p) || ordinaryGivenName(p) || personConnectors[p] {
			return false
		}
	}
	return true
}

// occasionNouns name the occasion a headline's person is in the news
// for ("Stacy Keibler Wedding"): census surnames too, but after a name
// of two words the noun a story is about, not a third name word.
var occasionNouns = set(`wedding party gala bash`)

// listedBeforePerson returns the index of a bare word that "And" or "&"
// joins to the person a title-case headline's run names at c[p] ("Why
// Beyoncé And Victoria Beckham Want To Ban 'Bossy'", set 33's
// uci-news:4074): a word listed with a person is one too, as in lower
// case ("Tovalla and Jennifer Garner join"), where the run ends before
// "and". The word stands alone, after nothing or a stop word ("Why"); it
// is no ordinary word, stop word, demonym, group plural or name the
// gazetteer knows. -1 if there is none.
func (x *Extractor) listedBeforePerson(c []tokens.Token, p int) int {
	if p < 2 || !(c[p-1].Lower == "and" || c[p-1].Text == "&") {
		return -1
	}
	w := p - 2
	t := c[w]
	f := foldTok(t)
	if !t.Capitalized() || t.AllCaps() || len(f) < 2 || hasDigit(f) || commonWord(f) || stopwords.IsAny(f) || capStop[f] || demonymShaped(f) || groupPlural(f) || possessive(t.Text) {
		return -1
	}
	if w > 0 && !(stopwords.IsAny(foldTok(c[w-1])) || inFoldSet(c[w-1], wCapStop)) {
		return -1 // "Cressida Bonas And Prince Harry": two words, another rule's
	}
	if x.gaz.lookup(c[w:w+1], false) != nil {
		return -1
	}
	return w
}

// speakerBeforeColon marks the one or two words that open a headline as
// a person when a colon follows them and then words said in the first
// person or as a plea ("Beyonce: Don't call girls bossy", set 34's
// uci-news:4056; "Zac Efron: I …"): the headline's way to say who said
// it, as "X said" does. out[before:] is what the run ts[i:j] yielded, one
// bare candidate. Not a name the gazetteer knows (its reading stands:
// "Apple: We …"), an ordinary word ("Opinion: We …"), a word in capitals
// ("LIVE: I …"), nor before words no one says of themselves ("Titanfall:
// 'good news' coming"). Two unknown words a title-case headline's run
// yields nothing for ("Shailene Woodley: 'My Religion …'") stay unread:
// a person added there moved a keyword figure down (round 29,
// BENCHMARKS.md).
func speakerBeforeColon(out []mention, before int, text string, ts []tokens.Token, i, j int, inTitle bool) {
	if !inTitle || i != 0 || j-i > 2 || len(out) != before+1 || j >= len(ts) {
		return
	}
	gap := strings.TrimSpace(text[ts[j-1].End:ts[j].Start])
	if !strings.HasPrefix(gap, ":") || !selfWords[ts[j].Lower] && !claimAhead(ts, j) {
		return
	}
	for _, t := range ts[i:j] {
		if f := foldTok(t); !t.Capitalized() || t.AllCaps() || possessive(t.Text) || len(f) < 2 || commonWord(f) || stopwords.IsAny(f) || hasDigit(f) || diseaseNames[f] {
			return
		}
	}
	if m := &out[before]; m.kind == "" && m.e == nil && !m.place && !m.listOrg && len(m.toks) == j-i {
		m.cued = true
	}
}

// pairBeforePunct appends a person for the two words ts[i:j] that open a
// title-case headline right before its colon or comma when they yielded
// nothing (out[before:] is empty): two capitalised words that no
// dictionary, name list or gazetteer holds, alone and together
// ("Shailene Woodley: I Don't Own a Cellphone!", "Shailene Woodley, 10
// Things You Never Knew …"; issue 15, round 35: six of the headline
// sets' people misses are this actress's, her given name on no list).
// What a headline opens with and sets apart so is what it is about, and
// two unknown capitalised words are most often a person in news (see
// unknown). Not an ordinary or stop word ("Flappy Bird: …"), a word in
// capitals, a possessive or a digit. English only: "unknown" is the
// English dictionary's, and a German headline's nouns are all capitalised
// ("Neue Regeln: Bundestag stimmt zu"; round 35's review).
func (x *Extractor) pairBeforePunct(out []mention, before int, text string, ts []tokens.Token, i, j int, inTitle bool, lang string) []mention {
	if lang != "en" || !inTitle || i != 0 || j-i != 2 || len(out) != before || j >= len(ts) {
		return out
	}
	gap := strings.TrimSpace(text[ts[j-1].End:ts[j].Start])
	if !strings.HasPrefix(gap, ":") && !strings.HasPrefix(gap, ",") {
		return out
	}
	for _, t := range ts[i:j] {
		if f := foldTok(t); !t.Capitalized() || t.AllCaps() || possessive(t.Text) || len(f) < 2 || hasDigit(f) || commonWord(f) || stopwords.IsAny(f) || capStop[f] || demonymShaped(f) {
			return out
		}
	}
	c := ts[i:j]
	if x.gazetteerKnowsPair(c) {
		return out
	}
	return append(out, mention{kind: Person, name: joinText(c), toks: folds(c), inTitle: inTitle, cued: true})
}

// claimAhead: the clause opening at ts[j] has a modal verb within its
// first six words ("Prodan: Price for Russian gas could stand at
// $368.5", "Bromund: Europe must wake up", "Plosser: Fed May Have to
// Accelerate …"; issue 15, round 31): a claim of what may or must be,
// which a headline gives to the one who made it, as it gives "I …" to
// who said it. A topic's tag is followed by what happened ("Titanfall:
// Xbox One resolution confirmed"), seldom by a modal, or by one in a
// clause of its own ("Titanfall: Exact Timing When Players Can Start").
func claimAhead(ts []tokens.Token, j int) bool {
	for k := j; k < len(ts) && k < j+6; k++ {
		if k > j && ts[k].Break || subordinators[ts[k].Lower] {
			return false // "Titanfall: Exact Timing When Players Can Start …"
		}
		if modalWords[ts[k].Lower] {
			return true
		}
	}
	return false
}

// subordinators open a clause inside another: a modal after them is
// not the claim's.
var subordinators = set(`when where why how what who which that if whether`)

// modalWords say what may, must or will be.
var modalWords = set(`may might must could should would can cannot can't won't couldn't shouldn't wouldn't`)

// diseaseNames are diseases and pathogens a story writes with a capital
// (named for a river or a place) and a headline tags its story with
// before a colon ("Ebola: Vaccine could be ready by 2015"; issue 15,
// round 32's brief): a topic, never the one who makes the claim after it.
// Not the diseases named for a person: they are written with the
// possessive ("Parkinson's: …", no speaker already), and their bare names
// are surnames, a speaker's ("Parkinson: I never wanted to leave"). The
// words the dictionary holds in lower case ("measles", "malaria") are
// ordinary words already.
var diseaseNames = set(`ebola zika mers sars covid marburg lassa chikungunya dengue nipah hendra`)

// selfWords open what a speaker says of themselves or asks of others: the
// first person and a plea.
var selfWords = set(`i i'm i've i'll i'd my me we we're we've we'll our don't let's`)
