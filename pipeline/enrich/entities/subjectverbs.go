package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// subjectVerb returns where a title-case headline's run goes on past its
// subject into the headline's verb, or 0: the words before are names the
// gazetteer knows whole, one or two joined by "and" ("China Pressures
// Crude Oil", "Japan and China Pressures Crude Oil"), or a known given
// name and one more word, or two before a modal ("Rand Paul Would Solve
// Ukraine Crisis By Drilling …"); the word after them an ordinary word in -s (verbInS) or
// a modal that is no name ("Would", "Could", "Should", "Must", "Might").
// Issue 15, round 32, set 37's uci-news:484 and 634: read whole, the
// run's last word made it a body ("… Crude Oil", "… For Oil") and the
// subject was lost. A name that goes on in such a word is not cut:
// the gazetteer's longest form must end right before it ("Japan
// Airlines", "American Express").
func (x *Extractor) subjectVerb(c []tokens.Token, shouting bool) int {
	if len(c) > 1 && subjectVerbWord(c[1]) && bareNameWord(c[0]) && x.gaz.lookup(c[:1], shouting) == nil {
		if _, n := x.longest(c, shouting); n < 2 { // "Getty Images Sells Unit": the known body is read whole (the loop below)
			return 1 // "Carney Faces Foreign Exchange Scandal": see bareNameWord
		}
	}
	for k := 0; k < len(c); {
		if k > 0 && subjectVerbWord(c[k]) {
			return k
		}
		if k > 0 && c[k].Lower == "and" && k+1 < len(c) {
			k++
			continue
		}
		if k == 0 && len(c) > 2 && x.twoWordSubject(c) {
			return 2
		}
		e, n := x.longest(c[k:], shouting)
		// a weak body's longer form is its written name ("Cisco Systems
		// Beats Estimates"), unless its words are all ordinary ones
		weakRead := n == 1 && !x.weakBodyWritten(c[k:k+n], e) || n > 1 && x.gaz.ordinaryForm(c[k:k+n])
		if n == 0 || e.weak && weakRead || e.kind == Person && n == 1 {
			return 0
		}
		k += n
		if k < len(c) && !subjectVerbWord(c[k]) && c[k].Lower != "and" {
			return 0
		}
	}
	return 0
}

// ordinarySubjectVerb returns where a title-case headline's run goes on
// from an ordinary word in the singular into the headline's verb
// (subjectVerbWord) before its last word, or 0: "Spider-Man Sequel Tops
// Box Office", "Horror Remake Tops Weekend Box Office" (issue 15, round
// 35's brief), where the run was a body by its last word. A plural of
// people in -ers, -ors, -ists or -ians is a noun, no verb ("Golf Writers
// Association").
func ordinarySubjectVerb(c []tokens.Token) int {
	for k := 1; k < len(c)-1; k++ {
		p, v := foldTok(c[k-1]), foldTok(c[k])
		if !subjectVerbWord(c[k]) || c[k-1].AllCaps() || possessive(c[k-1].Text) || !commonWord(p) || strings.HasSuffix(p, "s") || stopwords.IsAny(p) || orgSuffixes[p] {
			continue
		}
		if strings.HasSuffix(v, "ers") || strings.HasSuffix(v, "ors") || strings.HasSuffix(v, "ists") || strings.HasSuffix(v, "ians") {
			continue
		}
		return k
	}
	return 0
}

// bareNameWord: t, a capitalised word, is one no dictionary or stop list
// holds, nor a demonym or a plural written without its apostrophe: as a
// title-case headline's subject before its verb ("Carney Faces Foreign
// Exchange Scandal", "Beyoncé Shows Who's Boss"; issue 15, round 33) it
// is a name, read alone (a bare word, which the story's people and
// bodies or the alias map name, else nothing), not the run it opens.
// subjectVerb's caller checks the gazetteer.
func bareNameWord(t tokens.Token) bool {
	if !t.Capitalized() || t.AllCaps() || possessive(t.Text) || t.Break {
		return false
	}
	f := foldTok(t)
	// capStop by the word's facts first: a sentence's "The", "In", "He",
	// the commonest run, told before the dictionary
	if len(f) < 3 || inFoldSet(t, wCapStop) || commonWord(f) || stopwords.IsAny(f) || hasDigit(f) || demonymShaped(f) {
		return false
	}
	return !(strings.HasSuffix(f, "s") && commonWord(f[:len(f)-1])) // "Mens Wearhouse Nears Deal"
}

// givenNameSubject: t, a sentence's first word, is a given name no
// dictionary holds and the gazetteer does not know, and v, right after
// it, the sentence's verb — a headline's verb (headlineVerbWord) or a
// modal ("Lindsay starts soft on OWN", "Shakira may return"; issue 15,
// round 33, set 31's uci-news:2353): the person the story names so,
// whom a speech verb would have vouched for ("Lindsay says"). The
// sentence's capital made the word bare; resolve gives it the story's
// full name with that given name first. Not a city's name the gazetteer
// leaves out as a given name ("Victoria announces lockdown", "Charlotte
// hosts convention"): a place as likely as a person, it names neither.
func (x *Extractor) givenNameSubject(t, v *tokens.Token, shouting bool) bool {
	if !t.SentStart || v.Break || !bareNameWord(*t) || !x.firstName(*t) || x.gaz.wordCities[foldTok(*t)] {
		return false
	}
	if f := foldTok(*v); !headlineVerbWord(f) && !modalWords[v.Lower] || strings.HasSuffix(f, "ians") || strings.HasSuffix(f, "ists") {
		return false // "Madison musicians descend on Austin": a plural of people, no verb
	}
	return x.gaz.lookup([]tokens.Token{*t}, shouting) == nil
}

// twoWordSubject: the run opens with two capitalised words, the second no
// ordinary word, and then a verb: an -s verb after a known given name
// ("Michelle Obama Goes …" is step 4's, but not past five words), a
// modal after any ("Rand Paul Would Solve …": "Rand" is a currency too).
//
// A known given name and a census surname that is an ordinary word too
// ("Neil Young Launches PONO Music Service": "Young") are a subject as
// well, and after a given name the verb may be an -ing form ("Neil Young
// Launching PonoMusic Via Kickstarter"; issue 15, round 33, set 38's
// uci-news:3345): read whole, the run was a body by its last word or
// nothing.
func (x *Extractor) twoWordSubject(c []tokens.Token) bool {
	if !c[0].Capitalized() || !c[1].Capitalized() || c[0].AllCaps() || c[1].AllCaps() || possessive(c[0].Text) || possessive(c[1].Text) ||
		stopwords.IsAny(foldTok(c[0])) || stopwords.IsAny(foldTok(c[1])) || c[1].Break {
		return false
	}
	given := x.firstName(c[0])
	if f := foldTok(c[1]); commonWord(f) && !(given && surnameWord(f) && x.gaz.lookup(c[1:2], false) == nil) {
		return false // "Tom Ford Opens …": a body's name ("Ford") cut off alone reads as the body
	}
	if !subjectVerbWord(c[2]) && !(given && ingVerbWord(c[2])) {
		return false
	}
	return given || headlineModals[foldTok(c[2])]
}

// ingVerbWord: t, capitalised in a title-case headline, is an ordinary
// word in -ing of six letters or more, no given name ("Launching"), a
// verb's form after the headline's subject.
func ingVerbWord(t tokens.Token) bool {
	if !t.Capitalized() || t.AllCaps() || possessive(t.Text) || t.Break || t.SentStart {
		return false
	}
	f := foldTok(t)
	return len(f) >= 6 && strings.HasSuffix(f, "ing") && commonWord(f) && !givenNames[f]
}

// subjectVerbWord: t is a headline's verb after its subject (see
// subjectVerb).
func subjectVerbWord(t tokens.Token) bool {
	if !t.Capitalized() || t.AllCaps() || possessive(t.Text) || t.Break || t.SentStart {
		return false
	}
	f := foldTok(t)
	return verbInS(f) && !orgSuffixes[f] && !placeSuffixes[f] || headlineModals[f]
}

// weakBodyWritten: the weak body e, matched by ts, is an organization
// written in a form no dictionary holds ("SoftBank", "T-Mobile",
// "Kickstarter"; not "Sprint", "Target"): its capitals are its own, not
// the title case's, so before or after a title-case headline's verb it is
// the body (issue 15, round 33, set 38's "Softbank sees Sprint and
// T-Mobile merger …"). As a weak body it still yields to a person of the
// story with that surname (bodyMention).
func (x *Extractor) weakBodyWritten(ts []tokens.Token, e *entry) bool {
	if e.kind != Organization || len(ts) != 1 || x.gaz.ordinaryForm(ts) {
		return false
	}
	f := foldTok(ts[0])
	return !commonWord(f) && !givenNames[f] && !surnameWord(f) && !listedGivenName(f)
}

// weakBodyOwnForm reports whether e, the longest form (n words) at c[0],
// is a weak one-word body written in its own form (weakBodyWritten):
// what knownAfterVerb and weakBodiesWritten read in a headline's run.
func (x *Extractor) weakBodyOwnForm(c []tokens.Token, e *entry, n int) bool {
	return n == 1 && e.weak && x.weakBodyWritten(c[:1], e)
}

// weakBodiesWritten appends the weak bodies written in their own form
// (weakBodyWritten) among the words of c, a title-case headline's run
// that yielded nothing else: "Buy T-Mobile", "Player Through
// Kickstarter" (issue 15, round 34, set 38), where the
// run's other capitals are the headline's. A weak body of ordinary words
// ("Target") stays unread, as everywhere in title case.
func (x *Extractor) weakBodiesWritten(out []mention, c []tokens.Token, inTitle, shouting bool) []mention {
	for k := range c {
		if e, n := x.longest(c[k:], shouting); x.weakBodyOwnForm(c[k:], e, n) {
			// a company by its form: no weak mention, which a person
			// learned from other stories' misreadings ("Sprint/T-Mobile")
			// would take over
			out = append(out, mention{kind: Organization, e: e, name: e.name, inTitle: inTitle})
		}
	}
	return out
}

// headlineModals are the modal verbs no one is named: not "Will", "May"
// or "Can".
var headlineModals = set(`would could should must might`)

// knownAfterVerb appends the names among the words after a headline's
// verb (see subjectVerb) that need no capitals to be read: names the
// gazetteer knows, one before a hyphen ("Ford-Firestone Debacle"), and a
// known given name with the word after it ("Marries Jared Pobre"); the
// rest are the headline's ordinary words in capitals ("Solve Ukraine
// Crisis By Drilling Everywhere For Oil" holds Ukraine).
func (x *Extractor) knownAfterVerb(out []mention, c []tokens.Token, inTitle, shouting bool) []mention {
	for k := 0; k < len(c); {
		e, n := x.longest(c[k:], shouting)
		if n > 0 && !e.weak && !x.gaz.ordinaryForm(c[k:k+n]) {
			out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
			k += n
			continue
		}
		if x.weakBodyOwnForm(c[k:], e, n) {
			out = append(out, bodyMention(c[k], e, inTitle)) // "Wants To Buy T-Mobile": weak, it yields to a person so named
			k++
			continue
		}
		if h := hyphenHead(c[k]); h != nil {
			if e := x.gaz.lookup([]tokens.Token{*h}, shouting); e != nil && !e.weak && e.kind != Person {
				out = append(out, mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle})
			}
			k++
			continue
		}
		if k+1 < len(c) && x.firstName(c[k]) && !c[k+1].Break && c[k+1].Capitalized() && !commonWord(foldTok(c[k+1])) && !stopwords.IsAny(foldTok(c[k+1])) {
			out = append(out, mention{kind: Person, name: stripPossessive(joinText(c[k : k+2])), toks: folds(c[k : k+2]), inTitle: inTitle, cued: true})
			k += 2
			continue
		}
		k++
	}
	return out
}

// stormName: c, one word opening the sentence at ts[i] before its verb
// next, is what givenNameSubject makes a person, but the sentence speaks
// of a storm ("Katrina batters New Orleans", "Irma makes landfall"; issue
// 15, round 33, rev33d): storms are given people's names, and the word
// names neither a person nor anything else the gazetteer holds.
func (x *Extractor) stormName(ts []tokens.Token, i int, c []tokens.Token, next *tokens.Token, shouting bool) bool {
	if len(c) != 1 || next == nil || !x.givenNameSubject(&c[0], next, shouting) {
		return false
	}
	for k := i + 1; k < len(ts) && !ts[k].SentStart; k++ {
		if stormWords[ts[k].Lower] {
			return true
		}
	}
	return false
}

// stormWords are a storm's nouns and the verbs news gives it; not
// "hits", "slams" or "pounds", which people do as often.
var stormWords = set(`storm storms hurricane hurricanes typhoon typhoons cyclone cyclones tropical landfall batters battered battering lashes lashed lashing`)
