package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A headline's word right after a person's name is the person's verb
// more often than a noun the name qualifies: "Kat Perkins Embarks on
// Solo Career", "… and Christopher Mintz-Plasse Share Crazy Stories".
// Collect reads words without the recognizer's names, so such a word
// made a pair with the surname ("perkins embarks") or ran into the object
// ("share crazy"); once the name is taken whole the verb was left as a
// keyword. Pick knows the people and asks personVerb.

// personVerb returns the headline word right after the person's name
// (parts: its words, normalized) when English says it is the person's
// verb: an -s form whose past or -ing form the dictionary holds
// ("embarks"), or, after names joined by "and", a plain form ("share") —
// and the word after it is no verb, as it is after a noun the name
// qualifies ("Kat Perkins Fans Rally"). "" when the name is not in the
// headline or no verb follows it.
func personVerb(title tokens.Field, parts []string) string {
	toks, n := title.Tokens, len(parts)
	for i := n - 1; i+1 < len(toks); i++ {
		if !nameAt(toks, i-n+1, parts) {
			continue
		}
		next := toks[i+1]
		if next.Break || next.SentStart || next.Capitalized() && !titleCased(toks) {
			return "" // a capital after a name, where capitals mean names, is another name's
		}
		if possessive(title, toks[i]) || possessive(title, next) {
			return "" // "Seth Rogen's Neighbors'", "Blind Auditions' Best": nouns
		}
		w := normalize(next.Lower)
		facts := wordTable()
		f := facts[w]
		switch {
		case thirdPerson(w) && pastInDictionary(w):
		case bareVerb(w, f) && i-n >= 0 && (toks[i-n].Lower == "and" || toks[i-n].Text == "&"):
		default:
			return ""
		}
		if i+2 < len(toks) && !toks[i+2].Break && !toks[i+2].SentStart {
			nw := normalize(toks[i+2].Lower)
			nf := facts[nw]
			if nf.verb || nf.hlForm || nf.aux || bareVerb(nw, nf) || thirdPerson(nw) && pastInDictionary(nw) {
				return "" // "Kat Perkins Fans Rally": the name's noun and its verb
			}
		}
		return w
	}
	return ""
}

// possessive reports whether the token is written with a possessive's
// apostrophe ("Rogen's", or "Neighbors'", whose apostrophe the token
// leaves in the text after it): a noun's mark, never a verb's.
func possessive(text tokens.Field, t tokens.Token) bool {
	if strings.HasSuffix(t.Lower, "'s") {
		return true
	}
	rest := text.Text[t.End:]
	return strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "’")
}

// nameAt reports whether the headline's tokens from i on spell the name's
// words, in one clause.
func nameAt(toks []tokens.Token, i int, parts []string) bool {
	if i < 0 || i+len(parts) > len(toks) {
		return false
	}
	for k, p := range parts {
		t := toks[i+k]
		if k > 0 && (t.Break || t.SentStart) || normalize(t.Lower) != p {
			return false
		}
	}
	return true
}

// verbOf reports whether the term is a person's verb (personVerb) alone
// or the pair it opens ("share crazy"): no keyword.
func verbOf(t *term, verbs []string) bool {
	for _, v := range verbs {
		if t.text == v || t.isBi && strings.HasPrefix(t.text, v) && len(t.text) > len(v) && t.text[len(v)] == ' ' {
			return true
		}
	}
	return false
}
