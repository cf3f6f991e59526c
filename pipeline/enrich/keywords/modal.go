package keywords

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// modals take a verb's plain form after them: "may pressure", "could
// return", "will launch", "can't stop".
var modals = words(`will would may might can could should must shall won't wouldn't can't cannot couldn't shouldn't mustn't`)

// modalNegations stand between a modal and its verb: "might not pay",
// "may never unwind". (An adverb there is the adverb rule's: "will soon
// stream".)
var modalNegations = words(`not never`)

// questionWords before a modal invert the clause: "How might forex market
// be rigged?", "Which Pulpy Genre Should True Detective Plunder for Season
// Two?" — what follows the modal is its subject. A question word that
// opens no question leaves it as it is: "Why Apple will struggle to wow
// investors" (no question mark) has its verb after the modal.
var questionWords = words(`how why what when where which who whom whose`)

// modalNouns are the words before which "may", "will" or "can" is no
// modal: a month ("in May"), a noun ("the will", "a can of").
var modalNouns = words(`a an the its his her their our my your this that of in on since by until from for to during through`)

// afterModal reports whether token i, the word w with its facts, is the
// plain verb a modal before it governs: "Global Growth Worries May
// Pressure Stocks", "Flappy Bird could return", "GM might not pay". It is
// no keyword and no phrase's first word: what it does to its object is
// the object's business ("stocks", "parent-child bond"). Not where the
// modal opens its clause (a question: "Will Apple make …", "Can Sprint
// win …", "- Will Data Allow?"; after a comma a lower-case modal in a
// sentence-case text carries on its subject) or follows a question word, a determiner
// (a possessive too: "Jackson's will", "Britain's May") or a preposition
// ("in May", "the will"); not a capital in a text that does not capitalise every word ("should T-Mobile deal be approved"),
// nor a capitalised modal there ("Driver Will Power"); and only a word
// the dictionary inflects as a verb (bareVerb: "may ressurect" stays
// unread). text is the tokens' text.
func afterModal(toks []tokens.Token, text string, i int, w string, f wordFacts, titleCase bool) bool {
	if i < 2 || toks[i].Break || toks[i].SentStart || !titleCase && toks[i].Capitalized() {
		return false
	}
	k := modalAt(toks, i)
	m := &toks[k]
	if k < 1 || !tokenIs(m, bitModal, modals) || m.SentStart || !titleCase && m.Capitalized() {
		return false
	}
	// After a comma a lower-case modal goes on the sentence's subject
	// ("caused by weather, should not slow taper"); a capitalised one, or
	// one before a question mark, opens a question ("- Will Data Allow?").
	if m.Break && (titleCase || m.Capitalized() || questionAhead(toks, text, k)) {
		return false
	}
	before := normalize(toks[k-1].Lower)
	if questionWords[before] || modalNouns[before] ||
		strings.HasSuffix(toks[k-1].Lower, "'s") { // a possessive, a determiner: "Jackson's will", "Britain's May"
		return false
	}
	return bareVerb(w, f) && !askedAfter(toks, text, k)
}

// modalAt is where the modal before token i would stand: right before
// it, or before a "not" or "never" there.
func modalAt(toks []tokens.Token, i int) int {
	k := i - 1
	if tokenIs(&toks[k], bitModalNeg, modalNegations) && !toks[k].Break && !toks[k].SentStart {
		k--
	}
	return k
}

// inPersonName reports whether token k is a word of one of the people's
// names (their words, normalized) where the text spells the name whole.
func inPersonName(toks []tokens.Token, k int, people [][]string) bool {
	for _, parts := range people {
		for start := k - len(parts) + 1; start <= k; start++ {
			if nameAt(toks, start, parts) {
				return true
			}
		}
	}
	return false
}

// modalPeople returns the words (normalized) of the story's people whose
// names hold a modal's spelling ("Theresa May", "Will Power"); nil for
// none, as for most stories.
func modalPeople(ents []record.Entity) [][]string {
	var people [][]string
	for _, e := range ents {
		if e.Kind != "person" {
			continue
		}
		parts := strings.Fields(strings.ToLower(e.Name))
		for i := range parts {
			parts[i] = normalize(parts[i])
		}
		if slices.ContainsFunc(parts, func(p string) bool { return modals[p] }) {
			people = append(people, parts)
		}
	}
	return people
}

// askedAfter reports whether the modal at token k stands in a question
// its clause opens with a question word: the sentence ends in a question
// mark, and a question word comes before the modal in its clause.
func askedAfter(toks []tokens.Token, text string, k int) bool {
	if !questionAhead(toks, text, k) {
		return false
	}
	for j := k - 1; j >= 0; j-- {
		if questionWords[toks[j].Lower] {
			return true
		}
		if toks[j].Break || toks[j].SentStart {
			break
		}
	}
	return false
}

// questionAhead reports whether the sentence of token k ends in a question
// mark. It reads the punctuation between the words after k, not inside
// them: the period of "U.S." or "0.5" ends no sentence, and a period
// between words ends one only where the tokenizer starts the next ("Mr.
// Smith" goes on).
func questionAhead(toks []tokens.Token, text string, k int) bool {
	for j := k + 1; j <= len(toks); j++ {
		gapEnd := len(text)
		if j < len(toks) {
			gapEnd = toks[j].Start
		}
		gap := text[toks[j-1].End:gapEnd]
		if end := strings.IndexAny(gap, ".!?"); end >= 0 && (gap[end] != '.' || j == len(toks) || toks[j].SentStart) {
			return gap[end] == '?'
		}
	}
	return false
}
