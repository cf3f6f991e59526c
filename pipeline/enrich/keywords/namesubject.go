package keywords

import (
	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A headline that capitalises only its names says by its capitals where
// a name stands, and a lower-case -s word right after a name is that
// name's verb far more often than a plural the name qualifies: "FTSE down
// as BoE defends guidance policy", "Apple rolls out iOS 7.1", "Titanfall
// requires day one patch", "White House plays down …". The rules before
// this one read a verb there only before an object of a shape (a
// determiner, a name, a lone noun, a plural, an infinitive), so a
// particle or a compound after the verb left it in a phrase with the
// name ("boe defends", "colorado rolls") or a keyword alone ("plays").
//
// The plural a name qualifies is the subject of the verb after it ("Apple
// shares fall", "Russian forces seize Crimea", "Bitcoin balances
// posted"): a verb's plain form right after the -s word, by the lists or
// by the dictionary, keeps the -s word a noun, and so does an -ed or -ing
// form that ends the clause or meets a function word (before a content
// word it is the object's adjective: "praises wounded ex-servicemen",
// "decries sterling strength"), as a list's "and" or "or" does
// ("O-type stars and …"), and a subject's pronoun, which opens a clause
// of its own and is no verb's object ("… Doumeeckplist cars he is …":
// "cared" is in the dictionary, so by the form alone "cars" may be a verb),
// and a preposition (afterVerbFunctionWords), and so does a listed verb a few words on, before any
// function word ("Flappy birds creator says"). So does a possessive before it ("BoE's plans"), and
// nothing after it in its clause ("… buy Apple shares").

// afterSentenceCaseName reports whether headline token i, lower case in
// a headline that is not title case, follows a name and is followed by
// no verb of its own: the caller has read it as an -s form the
// dictionary inflects (pastInDictionary). A capital opening the
// headline or a clause says nothing of a name, so there the word must be
// a proper name by its form (properName: "EU", "Carney"; not "Company
// aims to").
func afterSentenceCaseName(title tokens.Field, i int, facts map[string]wordFacts, known *shapes.Set) bool {
	toks := title.Tokens
	if i < 1 || i+1 >= len(toks) {
		return false
	}
	t, prev, next := toks[i], toks[i-1], toks[i+1]
	if t.Break || t.SentStart || t.Capitalized() || next.Break || next.SentStart {
		return false
	}
	if !prev.Capitalized() || possessive(title, prev) {
		return false
	}
	pf := facts[normalize(prev.Lower)]
	if pf.stop&stopwords.Bit("en") != 0 || pf.news || pf.det || pf.verb {
		return false // "The", "This": a capital of the clause, no name ("EU" is Portuguese's "I")
	}
	if (i == 1 || prev.Break || prev.SentStart) && !properName(prev) {
		return false
	}
	nw := normalize(next.Lower)
	nf := facts[nw]
	if nf.verb || nf.hlBare || nf.hlForm || nf.aux || nf.modal || bareVerb(nw, nf) || thirdPerson(nw) && pastInDictionary(nw) ||
		isVerbForm(nw, nf) && !beforeContentWord(toks, i+1, facts, known) || next.Lower == "and" || next.Lower == "or" || next.Text == "&" ||
		subjectPronouns[next.Lower] || nf.stop&stopwords.Bit("en") != 0 && !nf.det && !afterVerbFunctionWords[next.Lower] {
		return false // "Apple shares fall", "Bitcoin balances posted", "O-type stars and"
	}
	return !listedVerbBeforeFunctionWord(toks[i+1:], facts, known)
}

// afterVerbFunctionWords are the function words an -s verb stands before
// more often than a plural noun does: a particle ("rolls out", "plays
// down"), an infinitive's "to" ("offers to monitor") and an object's
// pronoun ("rakes it in"). Before any other function word, a preposition
// mostly, the -s word is read as a noun: "Cypriot banks in politician loan
// scandal", "UI tweaks for Phone", "Bitcoin balances on CEO's own blog" —
// "EU aims for deal" stays a phrase, the price of the rule.
var afterVerbFunctionWords = words(`up down out off away back over to it them him her us`)

// subjectPronouns open a clause: no verb's object.
var subjectPronouns = words(`he she they we i`)

// beforeContentWord reports whether headline token k is followed, in its
// clause, by a content word: no function word, determiner or clause start.
func beforeContentWord(toks []tokens.Token, k int, facts map[string]wordFacts, known *shapes.Set) bool {
	if k+1 >= len(toks) || toks[k+1].Break || toks[k+1].SentStart {
		return false
	}
	f := factsTok(toks[k+1], normalize(toks[k+1].Lower), facts, known)
	return f.stop&stopwords.Bit("en") == 0 && !f.det && !f.clause
}

// listedVerbBeforeFunctionWord reports whether a listed verb stands among
// the next three words of the clause before any function word: the verb
// of a subject the -s word is a noun of ("Flappy birds creator says").
// After a function word a listed form is the object's noun ("Opec
// prepares for output talks").
func listedVerbBeforeFunctionWord(ts []tokens.Token, facts map[string]wordFacts, known *shapes.Set) bool {
	for i := 0; i < len(ts) && i < 3; i++ {
		if ts[i].Break || ts[i].SentStart {
			return false
		}
		f := factsTok(ts[i], normalize(ts[i].Lower), facts, known)
		if f.hlForm || f.verb {
			return true
		}
		if f.clause || f.stop&stopwords.Bit("en") != 0 || f.det {
			return false
		}
	}
	return false
}
