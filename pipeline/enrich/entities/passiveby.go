package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// passiveAgentAt returns where, in a title-case headline's run c, the
// past of a passive stands before its "By" and the agent after it
// ("Theresa May Plan Rejected By Parliament", "Tax Bill Approved By
// European Parliament"; issue 15, round 46): the past is the headline's
// verb, so the run is the subject before it and the agent after "By",
// not one body's name by its last word. -1 where there is none. The past
// is an ordinary word in -ed (headlineVerbWord's shape); a body's name
// seldom holds one before "By". Only a run with a body's word after the
// "By" (orgSuffixes: "Parliament", "Congress", "Police") is split: that
// word is what made the whole run a body, and other runs read as they
// did ("Titanfall Xbox One Download Times Announced By Respawn", whose
// subject alone a "Times" would make a paper).
func passiveAgentAt(c []tokens.Token) int {
	for k := 1; k+2 < len(c); k++ {
		v, by := c[k], c[k+1]
		if by.Lower != "by" || by.Break || v.Break || v.AllCaps() || possessive(v.Text) {
			continue
		}
		f := foldTok(v)
		if len(f) > 4 && f[len(f)-2:] == "ed" && headlineVerbWord(f) && bodyWordIn(c[k+2:]) {
			return k
		}
	}
	return -1
}

// bodyWordIn reports whether a word of the agent c is a body's
// (orgSuffixes): "By Parliament", "By Police In Miami".
func bodyWordIn(c []tokens.Token) bool {
	for _, t := range c {
		if orgSuffixes[foldTok(t)] {
			return true
		}
	}
	return false
}
