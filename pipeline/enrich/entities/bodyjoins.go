package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Where a body's name goes on past a word that would end another run:
// "and", "of", "for the", "on" inside an institution's name, an
// organization's suffix that ends it inside a longer run, and the
// government bodies news writes in lower case ("the foreign ministry",
// "the US state department", "the European commission").

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
	if ts[j+1].Break || ts[j+2].Break || ts[j+2].SentStart || !nameLike(ts[j+2]) || !(orgHeads[foldTok(ts[j-1])] || inFoldSet(ts[j-1], wOrgSuffix)) {
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
	if inFoldSet(before, wOrgSuffix) {
		return 0
	}
	if !(commonWord(foldTok(before)) || adjectiveShaped(foldTok(before))) || givenNames[foldTok(before)] || !nameLike(after) || after.Break || after.SentStart || !commonWord(foldTok(after)) || inFoldSet(after, wCapStop) {
		return 0
	}
	end := 0
	for k := j + 1; k < len(ts) && !ts[k].Break && !ts[k].SentStart; k++ {
		if !nameLike(ts[k]) {
			if inSet(ts[k], wConnector) && k+1 < len(ts) && nameLike(ts[k+1]) {
				continue
			}
			break
		}
		if inFoldSet(ts[k], wOrgSuffix) {
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
			return orgHeads[foldTok(ts[k-1])] || inFoldSet(ts[k-1], wOrgSuffix)
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

// pluralPossessiveOpensBody reports whether the plural possessive
// ts[j-1] ("Ladies'", "Workers'") opens a body's name that the
// capitalised words after it end, one to three of them and the last a
// body's word: "Ladies' Home Journal", "the Workers' Party", "the
// Farmers' Union of Wales". The plural is an ordinary noun, whose
// members the body serves; a name's possessive ("The Beatles' John
// Lennon") is followed by a person, no body's word.
func pluralPossessiveOpensBody(text string, ts []tokens.Token, i, j int) bool {
	p, u := ts[j-1], ts[j]
	if !(j-i == 1 || j-i == 2 && ts[i].Lower == "the") || !strings.HasSuffix(p.Lower, "s") || u.SentStart || !nameLike(u) {
		return false
	}
	// the apostrophe before the dictionary: most words have none after
	if gap := strings.TrimRight(text[p.End:u.Start], " "); gap != "'" && gap != "’" || !commonWord(foldTok(p)) {
		return false
	}
	for k := j; k < len(ts) && k < j+3; k++ {
		if k > j && (ts[k].Break || ts[k].SentStart) || !nameLike(ts[k]) {
			return false
		}
		if f := foldTok(ts[k]); orgSuffixes[f] {
			return true
		} else if givenNames[f] || capStop[f] {
			return false
		}
	}
	return false
}

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
	if len(c) < 3 || givenNames[foldTok(c[0])] || inFoldSet(c[len(c)-1], wOrgSuffix) {
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
	return prev != nil && prev.Lower == "the" && bodyThingNouns[next.Text] && !inFoldSet(c[0], wCapStop)
}

// govHeads end a government body a story may write in lower case after
// its country ("the US state department", "the Chinese foreign
// ministry"); a news agency is a firm, and its country names no one. A
// sport's federation and a lower-case authority are named so too ("the
// French soccer federation", "the Australian maritime safety authority").
var govHeads = set(`ministry department agency federation authority`)

// powerWords before "authority" make it the power a government holds,
// not a body it has ("Washington's moral authority", "Beijing's legal
// authority over the city").
var powerWords = set(`moral legal political constitutional executive religious spiritual absolute full sole final
ultimate sweeping broad limited personal central`)

// portfolioMinistry: the government body ending before ts[k] is a
// portfolio's ministry ("foreign ministry"), which recognize names by its
// portfolio alone wherever a government owns it.
func portfolioMinistry(ts []tokens.Token, k int) bool {
	return k >= 2 && ts[k-1].Lower == "ministry" && portfolios[ts[k-2].Lower]
}

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
		if !inSet(ts[h], wGovHead) || !lowerWord(ts[h]) || ts[h].Lower == "authority" && powerWords[ts[h-1].Lower] {
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

// countryBodyAfter returns the end of a country's navy, air force,
// embassy or consulate named in lower case at ts[j] ("the US navy", "the
// Malaysian air force", "the Malaysian embassy"), 0 if none starts there.
// Each is a body of its own, as a capitalised one is ("US Embassy"),
// where a military named by a demonym ("the Soviet military") gives only
// the country; a colour ("navy-blue") is one word of its own, no navy.
func countryBodyAfter(ts []tokens.Token, j int) int {
	switch {
	case j >= len(ts) || !lowerWord(ts[j]):
		return 0
	case ts[j].Lower == "navy" || ts[j].Lower == "embassy" || ts[j].Lower == "consulate":
		return j + 1
	case ts[j].Lower == "air" && j+1 < len(ts) && ts[j+1].Lower == "force" && lowerWord(ts[j+1]):
		return j + 2
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
	if j >= len(ts) || !inSet(ts[j], wLowerHead) || !lowerWord(ts[j]) {
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

// theBodyAnd: at ts[j] == "and", where "the" opens the run ts[i:j], the
// end of one body's name that "and" goes on through to its suffix ("the
// Defence Imagery and Geospatial Organisation", "the Geo-Informatics and
// Space Technology Development Agency"): one determiner names one thing,
// and the words before "and" are no name of their own — none known to the
// gazetteer, no given name, no body's suffix or head (which would make it
// a body listed with another: "the Ministry of Defence and Home Office",
// headedAnd's case), at most three. Where institutionAnd asks for
// dictionary words on both sides of "and", this asks for the article
// instead (or a place's possessive, which stands for it). 0 otherwise;
// never in a title-case headline.
func (x *Extractor) theBodyAnd(ts []tokens.Token, i, j int, guarded bool) int {
	if guarded || ts[j].Lower != "and" || j+1 >= len(ts) {
		return 0
	}
	start := i
	switch {
	case ts[i].Lower == "the" && ts[i].SentStart:
		start = i + 1
	case i > 0 && ts[i-1].Lower == "the" && !ts[i].Break && !ts[i].SentStart:
	case i > 0 && possessive(ts[i-1].Text) && !ts[i].Break && x.knownPlace(ts[i-1]):
		// "Australia's Defence Imagery and Geospatial Organisation": a
		// place's possessive determines the body as "the" does
	default:
		return 0
	}
	if j-start < 1 || j-start > 3 {
		return 0
	}
	for k := start; k < j; k++ {
		f := foldTok(ts[k])
		if !ts[k].Capitalized() || givenNames[f] || orgSuffixes[f] || orgHeads[f] || capStop[f] || demonymShaped(f) {
			return 0
		}
		if _, n := x.longest(ts[k:j], false); n > 0 {
			return 0
		}
	}
	after := ts[j+1]
	if !nameLike(after) || after.Break || after.SentStart || givenNames[foldTok(after)] || inFoldSet(after, wCapStop) {
		return 0
	}
	end := 0
	for k := j + 1; k < len(ts) && k <= j+5 && !ts[k].Break && !ts[k].SentStart && nameLike(ts[k]); k++ {
		if inFoldSet(ts[k], wOrgSuffix) {
			end = k + 1
		}
		if possessive(ts[k].Text) {
			break
		}
	}
	return end
}

// knownPlace: t, its possessive's "'s" aside, is a place the gazetteer
// knows, not a weak one.
func (x *Extractor) knownPlace(t tokens.Token) bool {
	e := x.gaz.lookup([]tokens.Token{t}, false)
	return e != nil && e.kind == Place && !e.weak
}
