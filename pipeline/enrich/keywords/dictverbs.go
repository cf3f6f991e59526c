package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A headline's verb that headlineVerbStems does not list ("von der Leyen
// visits Kyiv", "Neil Young announces …", "parliament ousts the prime
// minister") ran into its subject's and object's words as one phrase
// ("leyen visits kyiv"). Listing more verbs is a list without end; English
// itself says which -s words can be verbs — those whose past or -ing
// form the dictionary holds ("visited", "ousted", "seeking") — and where
// the word stands says whether it is one here: a plural noun seldom stands
// right before a name or an article ("ukraine talks", "oil prices"
// are followed by a verb, a preposition or nothing).

// pastInDictionary reports whether w, a word in -s, is the third person of
// a verb the dictionary knows: the stem's -ed or -ing form, by the regular
// rules ("visits" → "visited", "creates" → "created", "stops" →
// "stopped", "carries" → "carried", "watches" → "watched", "seeks" →
// "seeking").
func pastInDictionary(w string) bool {
	n := len(w)
	if !thirdPerson(w) {
		return false
	}
	if strings.HasSuffix(w, "ies") {
		return entities.IsDictionaryWord(w[:n-3] + "ied")
	}
	stem := w[:n-1]
	if strings.HasSuffix(w, "es") && formsInDictionary(w[:n-2]) {
		return true // "watches", "fixes"
	}
	return formsInDictionary(stem)
}

// formsInDictionary: the stem's -ed or -ing form, a final e dropped or a
// final consonant doubled, is a dictionary word.
func formsInDictionary(stem string) bool {
	n := len(stem)
	if n < 2 {
		return false
	}
	last := stem[n-1:]
	if stem[n-1] == 'e' {
		return entities.IsDictionaryWord(stem+"d") || entities.IsDictionaryWord(stem[:n-1]+"ing")
	}
	return entities.IsDictionaryWord(stem+"ed") || entities.IsDictionaryWord(stem+"ing") ||
		entities.IsDictionaryWord(stem+last+"ed") || entities.IsDictionaryWord(stem+last+"ing")
}

// objectAhead reports whether the headline token after i opens a verb's
// object as a plural noun's next word seldom does: a determiner ("ousts
// the prime minister"), a quotation ("promises “massive pricing war”"),
// or, in a headline that does not capitalise every word, a name ("visits
// Kyiv", "crashes HBO GO").
func objectAhead(toks []tokens.Token, text string, i int, titleCase bool, facts map[string]wordFacts) bool {
	if i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	if next.SentStart || timeAhead(toks, i+1) {
		return false
	}
	if next.Break {
		if toks[i].End > next.Start || next.Start > len(text) {
			return false // offsets not of this text: no gap to read
		}
		gap := text[toks[i].End:next.Start]
		return strings.ContainsAny(gap, "\"“‘") || strings.Contains(gap, " '")
	}
	return facts[normalize(next.Lower)].det || !titleCase && next.Capitalized()
}

// purposeAhead reports whether the headline tokens after i are a noun and
// an infinitive, the object and purpose of a verb: "Men's Wearhouse
// secures deal to buy Jos A Bank", "finalizes deal to buy". A plural
// noun's next word, before "to" and a verb, is that plural's own verb
// ("champions stand to pick up"), so the caller reads the -s word as a
// verb only where a verb stands (after its subject) and the dictionary
// inflects it as one. The noun is lower case (in a headline that does
// not capitalise every word), no plural, no function or news word.
func purposeAhead(toks []tokens.Token, i int, titleCase bool, facts map[string]wordFacts) bool {
	if i+3 >= len(toks) || toks[i+2].Lower != "to" {
		return false
	}
	for k := i + 1; k <= i+3; k++ {
		if toks[k].Break || toks[k].SentStart {
			return false
		}
	}
	noun := toks[i+1]
	nw := normalize(noun.Lower)
	nf := facts[nw]
	if !titleCase && noun.Capitalized() || plural(nw) || nf.stop != 0 || nf.det || nf.news || nf.verb || isVerbForm(nw, nf) {
		return false
	}
	vw := normalize(toks[i+3].Lower)
	return infinitive(toks, i+3, !titleCase) && bareVerb(vw, facts[vw])
}

// nounObjectAhead reports whether the token after i is a verb's object
// noun as a plural's next word seldom is: a lower-case singular noun
// (no function, news or verb word, no verb's plain form) that ends its
// clause or meets a function word or a participle — "Sbarro declares bankruptcy",
// "downplays role of", "impounds tanker registered in", "claims
// responsibility as". A content word after it makes the two a
// compound's tail ("pot sales tax revenue"), and a plain verb after a
// plural is that plural's verb ("profits decline"): neither is read so.
// Not in a headline that capitalises every word, whose capitals say
// nothing of a name.
func nounObjectAhead(toks []tokens.Token, i int, facts map[string]wordFacts) bool {
	if i+1 >= len(toks) {
		return false
	}
	noun := toks[i+1]
	if noun.Break || noun.SentStart || noun.Text == "" || noun.Text[0] < 'a' || noun.Text[0] > 'z' {
		return false // a name, a number
	}
	nw := normalize(noun.Lower)
	nf := facts[nw]
	if len(nw) < 3 || plural(nw) || nf.stop != 0 || nf.det || nf.news || nf.verb || isVerbForm(nw, nf) || bareVerb(nw, nf) {
		return false
	}
	if i+2 >= len(toks) || toks[i+2].Break || toks[i+2].SentStart {
		return true
	}
	aw := normalize(toks[i+2].Lower)
	after := facts[aw]
	if after.stop != 0 && !after.det && !after.verb && !after.aux {
		return true
	}
	// a participle: "tanker registered in" (not a verb of the -s list:
	// "Flappy birds creator says")
	return (strings.HasSuffix(aw, "ed") || strings.HasSuffix(aw, "ing")) && isVerbForm(aw, after)
}

// subjectBefore reports whether headline token i follows what a verb
// follows in a headline: a name ("Libya impounds", "Sbarro declares"), a
// plural ("exports knocks") or a comma's or a quotation's break ("…,
// fixes reboot", "'Neighbors' pits"). After a lower-case singular noun an
// -s word is as often a compound's plural ("book awards event",
// "marijuana numbers breakdown").
func subjectBefore(toks []tokens.Token, i int) bool {
	if i < 1 || toks[i].SentStart {
		return false
	}
	if toks[i].Break {
		return true
	}
	prev := toks[i-1]
	return prev.Capitalized() || plural(normalize(prev.Lower))
}

// timeAhead reports whether headline token k opens a time phrase: a
// weekday or a month ("Apple shares Friday close higher"), or a
// demonstrative before a span of time ("Gas prices this summer set to
// soar"). A plural noun is followed by one as often as a verb is, so it
// says nothing of an object.
func timeAhead(toks []tokens.Token, k int) bool {
	w := normalize(toks[k].Lower)
	if weekdaysMonths[w] {
		return true
	}
	if !demonstratives[w] || k+1 >= len(toks) || toks[k+1].Break || toks[k+1].SentStart {
		return false
	}
	return timeSpans[normalize(toks[k+1].Lower)]
}

// "may" is not among the months: capitalised in a headline it is as often
// the modal or a name.
var (
	weekdaysMonths = words(`monday tuesday wednesday thursday friday saturday sunday
	january february march april june july august september october november december`)
	demonstratives = words(`this these those`)
	timeSpans      = words(`week weeks weekend weekends month months year years summer winter spring autumn
	season quarter morning afternoon evening night decade`)
)

// afterPerson reports whether headline token i follows a person's name of
// two words, a given name and a capitalised word ("Neil Young Announces
// Launch", "Josh Kaufman sings on"): a name's -s word after it is its
// verb, whatever follows, in a headline that capitalises every word too.
func afterPerson(toks []tokens.Token, i int) bool {
	if i < 2 || toks[i].Break || toks[i].SentStart || toks[i-1].Break || toks[i-1].SentStart {
		return false
	}
	first, last := toks[i-2], toks[i-1]
	return first.Capitalized() && last.Capitalized() && entities.IsGivenName(normalize(first.Lower))
}

// personPair reports whether pair is a given name and the word w ("miley
// cyrus", "cyrus"): a person's name, whole, is the keyword, though the
// surname alone may score higher where the name is frequent — a common
// pair's idf falls below its rarer word's.
func personPair(pair, w string) bool {
	first, last, ok := strings.Cut(pair, " ")
	return ok && last == w && !strings.Contains(last, " ") && entities.IsGivenName(first)
}

// A verb after "to" is the infinitive's ("Men's Wearhouse to buy Jos. A.
// Bank", "wants to ban the word", "on track to cost hundreds of millions"),
// and ran into its object as a phrase ("buy jos", "ease citizenship") or
// stood alone ("launch", "ban"). "To" before a noun is a preposition: the
// noun is a name ("to China"), has no verb's inflections ("to stainless
// steel"), or "to" is part of a preposition of two words ("due to",
// "according to").

// toPrepositions make "to" after them a preposition: "due to power
// failure", "next to", "back to school".
var toPrepositions = words(`due according thanks next close prior owing compared contrary addition regard respect relation
similar up back as`)

// infinitive reports whether token i follows "to" in its clause, not a
// preposition's "to" (toPrepositions); capitals says whether a capital
// marks a name in the text (not in a headline that capitalises every
// word): then token i must be lower case.
func infinitive(toks []tokens.Token, i int, capitals bool) bool {
	if i < 1 || toks[i].Break || toks[i].SentStart || toks[i-1].Lower != "to" {
		return false
	}
	if capitals && toks[i].Capitalized() {
		return false // "to China", "to Washington"
	}
	return i < 2 || toks[i-1].Break || toks[i-1].SentStart || !toPrepositions[normalize(toks[i-2].Lower)]
}

// bareVerb reports whether w is a verb's plain form: a filler verb
// ("come", "make") or a word of no -s, -ed or -ing ending whose -ed or
// -ing form the dictionary holds ("buy" → "buying", "launch" →
// "launched", "ease" → "eased").
func bareVerb(w string, f wordFacts) bool {
	if verbForms[w] && !strings.HasSuffix(w, "s") {
		return true
	}
	n := len(w)
	if n < 3 || inflectedS(w) || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || f.stop != 0 {
		return false
	}
	return formsInDictionary(w)
}

// A plain form after a plural noun, before a determiner, is the
// plural's verb: "other OEMs eat its lunch", "parents ignore their kids",
// "armchair warriors wage a phoney war". A noun after a plural noun (the
// rarer compound: "arms race", "sales forecast") is followed by a verb or
// a preposition, seldom by "the" or "its". Before "to" and a verb a
// plain form after a plural is the plural's verb too ("celebs campaign to
// stop", "champions stand to pick up"), unless the -s word before it was
// read as the verb already ("secures deal to buy": purposeAhead; round
// 25 found a noun there as common as a verb before that rule), which the
// caller knows by that word's not being kept.

// infinitiveAhead reports whether "to" and a verb's plain form follow
// token i in its clause.
func infinitiveAhead(toks []tokens.Token, i int, capitals bool, facts map[string]wordFacts) bool {
	if i+2 >= len(toks) || toks[i+1].Lower != "to" || toks[i+1].Break || toks[i+1].SentStart {
		return false
	}
	w := normalize(toks[i+2].Lower)
	return infinitive(toks, i+2, capitals) && bareVerb(w, facts[w])
}

// verbAfterPlural reports whether token i, the word w with facts f, is a
// verb's plain form (bareVerb) after a plural noun; the caller has seen
// a determiner after it, or "to" and a verb (infinitiveAhead), in its
// clause.
func verbAfterPlural(toks []tokens.Token, i int, w string, f wordFacts, facts map[string]wordFacts) bool {
	if i < 1 || toks[i].Break || toks[i].SentStart {
		return false
	}
	pw := normalize(toks[i-1].Lower)
	if !plural(pw) {
		return false
	}
	pf := facts[pw]
	return pf.stop == 0 && !pf.news && !pf.verb && !pf.hlForm && bareVerb(w, f) // "eat its lunch"
}

// quantityAhead reports whether the headline token after i is a quantity,
// the object a plural noun's next word seldom is: "Chrysler Recalls
// 25,000 Jeeps", "Colorado reaps $2.1 million", "enrollment surpasses
// 4.2 million". Not a year ("release dates 2014"), a date ("Rumors
// 3/10/14", "09.03.2014"), a span of time ("switches 10 years before")
// or a number in brackets ("(1)").
func quantityAhead(toks []tokens.Token, text string, i int, facts map[string]wordFacts) bool {
	if i+1 >= len(toks) || toks[i+1].SentStart {
		return false
	}
	next := toks[i+1]
	if next.Break {
		if toks[i].End > next.Start || next.Start > len(text) {
			return false
		}
		if g := strings.TrimSpace(text[toks[i].End:next.Start]); g != "$" && g != "£" && g != "€" {
			return false
		}
	}
	n := next.Text
	if n == "" || n[0] < '1' || n[0] > '9' || strings.Count(n, ".") > 1 || len(n) == 4 && (n[:2] == "19" || n[:2] == "20") {
		return false
	}
	if next.End < len(text) && text[next.End] == '/' {
		return false
	}
	return i+2 >= len(toks) || !facts[normalize(toks[i+2].Lower)].news
}

// A sentence's verb in -s, after its subject, ran into the subject's
// name as a phrase ("malaysian government confirms") or stood alone
// ("graces", "offers"): the headline's rules do not read a summary or a
// body. textVerb reports whether text token i, the word w, is such a
// verb: lower case, an -s form the dictionary inflects as a verb, after
// a name (not one after a determiner or a possessive: "after the Paris
// attacks the government …") or "he", "she", "it", and before an object
// a plural noun's next word seldom is — a determiner, a quotation or a
// quantity ("Michelle Obama graces the cover", "she offers a trained
// smile"). Not before a name: a plural's apposition is as common
// ("Welsh clubs Swansea and Cardiff").
func textVerb(toks []tokens.Token, text string, i int, w string, facts map[string]wordFacts) bool {
	if i < 1 || toks[i].Break || toks[i].SentStart || toks[i].Capitalized() || !thirdPerson(w) {
		return false
	}
	prev := toks[i-1]
	if pl := prev.Lower; pl != "he" && pl != "she" && pl != "it" {
		if !prev.Capitalized() || facts[normalize(pl)].stop != 0 {
			return false
		}
		// a name after a determiner or a possessive is a plural's
		// modifier: "after the Paris attacks the government …"
		j := i - 1
		for j > 0 && !toks[j].Break && !toks[j].SentStart && toks[j-1].Capitalized() {
			j--
		}
		if j > 0 && !toks[j].Break && !toks[j].SentStart && (facts[toks[j-1].Lower].det || strings.HasSuffix(toks[j-1].Lower, "'s")) {
			return false
		}
	}
	// objectAhead as in a title-case headline: a name after the plural
	// is as often its apposition ("Welsh clubs Swansea and Cardiff")
	return (objectAhead(toks, text, i, true, facts) || quantityAhead(toks, text, i, facts) || nounObjectAhead(toks, i, facts)) &&
		pastInDictionary(w)
}

// endsPredicate reports whether token i, a plain verb after its plural
// subject, stands where a verb with no object does: at its clause's end,
// before a comma or a word that opens a clause ("Ukraine tensions
// escalate", "kids eat, study shows", "markets stutter amid"). A content
// word after it makes it a compound's head ("sales tax revenue"), and so
// may a preposition ("sales forecast for the iPhone"); a determiner
// makes it a verb with its object, which verbAfterPlural reads.
func endsPredicate(toks []tokens.Token, i int, facts map[string]wordFacts) bool {
	if i+1 >= len(toks) || toks[i+1].Break || toks[i+1].SentStart {
		return true
	}
	return facts[normalize(toks[i+1].Lower)].clause
}

// A headline's subject of one word — a name or an initialism opening it
// ("EU delays talks on Russian pipeline", "Colorado reaps millions from
// pot sales", "Carney pledges to push …") —
// ran into its -s verb as a phrase ("eu delays", "carney pledges"): the
// verb's object was a plural ("talks", "millions"), which nounObjectAhead
// leaves alone after a compound's words, or an infinitive with no noun
// before it, which purposeAhead wants. After the headline's first word,
// a name, a plural that the dictionary inflects as a verb and that a
// plural, or (after a name no dictionary holds) "to" and a verb, follow
// is that verb: "China exports rise" and
// "Apple shares fall" have a plain verb after the plural, and stay. So is
// an -s word after an adverb that stands before a verb ("JOLTS again
// predicts little change", "MtGox still has").

// openingName reports whether headline token i follows the first word of
// its clause, a capitalised word that is no function word.
func openingName(toks []tokens.Token, i int) bool {
	if i < 1 || toks[i].Break || toks[i].SentStart {
		return false
	}
	prev := toks[i-1]
	if !(i == 1 || prev.Break || prev.SentStart) || !prev.Capitalized() {
		return false
	}
	// an English function word: "EU" is Portuguese's "I"
	f := wordTable()[normalize(prev.Lower)]
	return f.stop&stopwords.Bit("en") == 0 && !f.news && !f.det && !f.verb
}

// properName: t is an initialism or a word no dictionary holds
// ("Carney", "Colorado", "EU"). Before an -s word and an infinitive a
// common noun opening the headline is as often a compound's first word
// ("Search ships to verify signals") as a subject ("Company aims to").
func properName(t tokens.Token) bool {
	return t.AllCaps() || !entities.IsDictionaryWord(normalize(t.Lower))
}

// pluralObjectAhead reports whether the headline token after i is a
// plural noun, lower case (in a headline that does not capitalise every
// word), that ends its clause or meets a function word: "delays talks
// on", "reaps millions from". A plain verb after it would make it the
// subject ("exports rise"), so none may follow.
func pluralObjectAhead(toks []tokens.Token, i int, titleCase bool, facts map[string]wordFacts) bool {
	if i+1 >= len(toks) {
		return false
	}
	noun := toks[i+1]
	if noun.Break || noun.SentStart || !titleCase && noun.Capitalized() {
		return false
	}
	nw := normalize(noun.Lower)
	nf := facts[nw]
	if len(nw) < 4 || !plural(nw) || nf.stop != 0 || nf.det || nf.aux {
		return false
	}
	if i+2 >= len(toks) || toks[i+2].Break || toks[i+2].SentStart {
		return true
	}
	after := facts[normalize(toks[i+2].Lower)]
	return after.stop != 0 && !after.det && !after.verb && !after.aux
}

// preverbs stand between a subject and its verb: "again predicts", "still
// makes", "also plans".
var preverbs = words(`again still also now never already even`)

// afterPreverb reports whether headline token i follows such an adverb,
// which follows a content word of its clause.
func afterPreverb(toks []tokens.Token, i int) bool {
	if i < 2 || toks[i].Break || toks[i].SentStart || toks[i-1].Break || toks[i-1].SentStart || !preverbs[toks[i-1].Lower] {
		return false
	}
	f := wordTable()[normalize(toks[i-2].Lower)]
	return f.stop == 0 && !f.det
}

// Two subjects joined by "and" take a verb's plain form, which ran into
// the second as a phrase ("oil fall" of "World stocks, copper and oil
// fall after weak China exports"; "wife share" of "he and his wife share
// the position"). coordinatedSubject reports whether token i, the word w
// with facts f, is such a verb: a plain form (bareVerb) after a content
// word that "and" precedes by one or two words, and before what a verb
// stands before and a compound's noun seldom does — a determiner or a
// word opening a clause ("research and development spending" has a noun
// after it, "Marks and Spencer profit falls" a verb; at the clause's end
// the word is a list's last noun as often: "First Look and Early Buzz").
//
// The tests run cheapest first: "and" one or two words back is rare, and
// bareVerb (four dictionary look-ups of built forms) comes last. Asked
// first, for nearly every lower-case word of a body, it cost 5 % of the
// whole process's CPU end to end (round 30's profile of the harness).
func coordinatedSubject(toks []tokens.Token, i int, w string, f wordFacts, facts map[string]wordFacts) bool {
	if i < 3 || toks[i].Break || toks[i].SentStart || toks[i-1].Break || toks[i-1].SentStart {
		return false
	}
	and := -1
	for k := i - 2; k >= i-3 && k >= 0; k-- {
		if toks[k+1].Break || toks[k+1].SentStart {
			break
		}
		if toks[k].Lower == "and" {
			and = k
			break
		}
	}
	if and < 0 {
		return false
	}
	if i+1 >= len(toks) || toks[i+1].Break || toks[i+1].SentStart {
		return false // "First Look and Early Buzz": a list's last noun
	}
	if prev := facts[normalize(toks[i-1].Lower)]; prev.stop != 0 || prev.news || prev.verb || prev.det {
		return false
	}
	// not "as": "a public relations and financial blow as it struggles"
	nw := normalize(toks[i+1].Lower)
	next := facts[nw]
	return (next.det || next.clause && nw != "as") && bareVerb(w, f)
}
