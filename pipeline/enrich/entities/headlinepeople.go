package entities

import "strings"

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
