package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// storeResults are the words after a company's possessive that only a
// company has: its results and its chief ("Dick's 4Q revenue", "Modell's
// CEO"). Shares and stock are left out: a person holds them too
// ("Buffett's shares").
var storeResults = set(`ceo revenue revenues sales profit profits earnings 1q 2q 3q 4q q1 q2 q3 q4`)

// contractionStems are the words whose "'s" is "is", "has" or "us",
// not a possessive: "It's earnings season", "Here's revenue guidance",
// "Who's CEO now".
var contractionStems = set(`it he she that what who where when why how here there let`)

// storePossessive reports whether a one-word run, a possessive, names a
// company by its founder's name (Dick's, Modell's, issue 15, round 44):
// a store's results or its chief follow, and no list holds the name as
// anything (a known person's or place's possessive is theirs).
func (x *Extractor) storePossessive(c []tokens.Token, next *tokens.Token, shouting bool) bool {
	if len(c) != 1 || next == nil || !possessive(c[0].Text) || !c[0].Capitalized() || !storeResults[next.Lower] {
		return false
	}
	if contractionStems[strings.ToLower(stripPossessive(c[0].Text))] {
		return false
	}
	return x.gaz.lookup(tokens.Split(stripPossessive(c[0].Text)), shouting) == nil
}
