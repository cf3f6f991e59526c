package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A French headline's verb ran into its subject as a phrase ("président
// reçoit", "agriculteurs bloquent", "paris restreint", "astronaute
// européen s'envole"): the English rules read no French, and French, as
// English, puts the verb between its subject and its object. Where it
// stands says what it is (round 29):
//
//   - a lower-case word after a content word and right before a
//     determiner opening the object is the verb ("présente un budget",
//     "dévoile sa sélection", "valide l'essentiel"): a French noun is
//     followed by its adjective or a preposition, not by "la" or "un".
//     Not "des", "du", "au", "aux": "de" and "à" with the article, after
//     a noun as often as after a verb ("Réforme des retraites", "musée
//     du Louvre");
//   - a word with the reflexive "s'" is a verb ("s'envole", "s'impose",
//     "s'ouvre"), and so are "va", "doit", "peut" and kin;
//   - after "pour", or after "va", "vont", "doit", "peut" and kin, a word
//     in -er, -ir or -re is the infinitive ("pour produire", "va
//     augmenter").

// frenchObjects open a verb's object.
// Not "ce", "cette": as often a time after a participle ("le trafic
// perturbé ce week-end").
var frenchObjects = words(`le la les un une sa son ses leur leurs`)

// frenchModals are verbs an infinitive follows; so do the prepositions
// "pour" and "sans" (frenchBeforeInfinitive).
var frenchModals = words(`va vont doit doivent peut peuvent veut veulent faut`)

// frenchBeforeInfinitive reports whether an infinitive follows the word w.
func frenchBeforeInfinitive(w string) bool {
	return frenchModals[w] || w == "pour" || w == "sans"
}

// frenchVerb reports whether headline token i, the word w, reads as a
// French verb by where it stands; prevContent says that the word before
// it in its clause is a content word.
func frenchVerb(toks []tokens.Token, i int, w string, prevContent bool) bool {
	t := toks[i]
	if t.Break || t.SentStart || t.Capitalized() {
		return false
	}
	if frenchModals[w] || len(w) > 3 && (strings.HasPrefix(w, "s'") || strings.HasPrefix(w, "s’")) {
		return true
	}
	if i > 0 && frenchBeforeInfinitive(toks[i-1].Lower) &&
		(strings.HasSuffix(w, "er") || strings.HasSuffix(w, "ir") || strings.HasSuffix(w, "re")) {
		return true
	}
	if !prevContent || i+1 >= len(toks) || toks[i+1].Break || toks[i+1].SentStart {
		return false
	}
	n := toks[i+1].Lower
	return frenchObjects[n] || len(n) > 2 && (strings.HasPrefix(n, "l'") || strings.HasPrefix(n, "l’"))
}
