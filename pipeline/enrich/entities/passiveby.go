package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// passiveAgentAt returns where, in a title-case headline's run c, the
// past of a passive stands before its "By" and the agent after it
// ("Theresa May Plan Rejected By Parliament", "Tax Bill Approved By
// European Parliament"; issue 15, round 46): the past is the headline's
// verb, so the run is the subject before it and the agent after "By",
// not one body's name by its last word. -1 where there is none. The past
// is an ordinary word in -ed (headlineVerbWord's shape); a body's name
// seldom holds one before "By". Only a run that a body's word ends
// (orgSuffixes: "Parliament", "Congress", "Commission") is split: that
// word is what made the whole run a body, and other runs read as they
// did ("Titanfall Xbox One Download Times Announced By Respawn", whose
// subject alone a "Times" would make a paper).
func passiveAgentAt(c []tokens.Token) int {
	if len(c) < 4 || !orgSuffixes[foldTok(c[len(c)-1])] {
		return -1
	}
	for k := 1; k+2 < len(c); k++ {
		v, by := c[k], c[k+1]
		if by.Lower != "by" || by.Break || v.Break || v.AllCaps() || possessive(v.Text) {
			continue
		}
		f := foldTok(v)
		if len(f) > 4 && f[len(f)-2:] == "ed" && headlineVerbWord(f) {
			return k
		}
	}
	return -1
}
