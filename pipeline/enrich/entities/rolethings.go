package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// roleThings are the nouns a chief or an official has or goes through,
// which a headline writes after the role as a compound ("CEO Memo",
// "CEO Exit", "Chairman Pay", "CEO Search"): after the role they are
// the thing, not the holder's name, though some are surnames too
// ("Memo", "Pay").
var roleThings = set(`memo memos email emails letter letters exit exits departure ouster resignation pay salary
bonus bonuses search succession shakeup shake-up interview`)

// roleThingAfter reports whether c, the words after a role title in a
// title-case headline, open with a thing of the role's (roleThings)
// that ends the run or runs into the headline's verb: "Apple CEO Memo
// Lists Cuts", "Apple CEO Memo" (issue 15, round 46). A given name
// there is a holder's ("CEO Bonnie Hammer" is no bonus).
func roleThingAfter(c []tokens.Token) bool {
	if len(c) == 0 || c[0].AllCaps() || possessive(c[0].Text) {
		return false
	}
	f := foldTok(c[0])
	if !roleThings[f] || givenNames[f] || listedGivenName(f) {
		return false
	}
	return len(c) == 1 || subjectVerbWord(c[1]) || headlineVerbWord(foldTok(c[1]))
}
