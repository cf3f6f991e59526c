package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// chiefAndStaff are the words after a name that only a company's people
// are: its chief and its staff ("Respawn CEO", "given to Respawn
// employees"). Not a spokesman, an analyst or shares: a person, a
// government or a bank has those too ("Kerry spokeswoman", "Buffett's
// shares").
var chiefAndStaff = set(`ceo cfo coo chairman chairwoman founder co-founder employees executives shareholders`)

// unknownBeforeChief reports whether t, a capitalised word that no
// dictionary, name list or gazetteer holds, stands right before role, a
// company's chief or staff, or "corporate": t names the company (issue
// 15, round 46: "Respawn CEO Vince Zampella", "Respawn CEO Teases …",
// "Given to Respawn Employees"; round 47: "The Chaori Corporate Bond
// Default"), where alone it read as nothing or a surname. A
// word the lists know keeps its reading ("Apple CEO"), a known person's
// surname too ("Obama chairman pick"), an
// ordinary word is the headline's ("New CEO", "Former Employees"), and a
// possessive is storePossessive's.
func (x *Extractor) unknownBeforeChief(t, role tokens.Token, shouting bool) bool {
	if shouting || role.Break {
		return false
	}
	// "Quellmark Corporate Bond Default", "Quellmark corporate
	// headquarters": what is corporate is a company's (round 47), where
	// a person's or a country's bonds and offices are not called so.
	if f := foldTok(role); !chiefAndStaff[f] && f != "corporate" {
		return false
	}
	return x.unknownNameWord(t, shouting)
}

// unknownNameWord reports whether t is a capitalised word no dictionary,
// name list or gazetteer holds, and no known person's surname: where a
// company's cue follows it (unknownBeforeChief, resultsReporter), the
// word can only be the company's own name.
func (x *Extractor) unknownNameWord(t tokens.Token, shouting bool) bool {
	if shouting || !t.Capitalized() || possessive(t.Text) {
		return false
	}
	f := foldTok(t)
	if len(f) < 3 || hasDigit(f) || commonWord(f) || givenNames[f] || listedGivenName(f) || capStop[f] || stopwords.IsAny(f) || demonymShaped(f) || prefixed(f) {
		return false
	}
	return !x.gaz.surnames[f] && x.gaz.lookup([]tokens.Token{t}, shouting) == nil
}

// chiefAt is where in the run c, with next the word after it, a word
// stands that unknownBeforeChief makes a company; -1 where none does, or
// where the word ends a longer name the gazetteer knows ("Mt. Gox CEO":
// the known body's reading stands).
func (x *Extractor) chiefAt(c []tokens.Token, next *tokens.Token, shouting bool) int {
	for k := range c {
		role := next
		if k+1 < len(c) {
			role = &c[k+1]
		}
		if role == nil || !x.unknownBeforeChief(c[k], *role, shouting) {
			continue
		}
		for i := 0; i < k; i++ {
			if x.gaz.lookup(c[i:k+1], shouting) != nil {
				return -1
			}
		}
		return k
	}
	return -1
}

// prefixed reports whether f, a folded word, is a prefix and a hyphen
// before another word ("ex-apple" of "Ex-Apple CEO", "pro-quellmark"): a
// former chief's or a side's, the company the part after the hyphen, so
// the whole word is no unknown name of its own.
func prefixed(f string) bool {
	i := strings.IndexByte(f, '-')
	return i > 0 && (f[:i] == "ex" || commonWord(f[:i]))
}
