package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// knownBodyRunOn returns the body the gazetteer knows by a name with
// "of" that begins a title-case headline's run c, and how many words of
// c it spans, when the run goes on past it into the headline's ordinary
// words; nil and 0 otherwise: "Bank of
// England MPC Give Testimony", "Bank of Japan Board Member Sees Risks".
// There the body's head ("Bank") made the whole run one
// body's name (issue 15, round 44). The words after must be two or
// more, each an ordinary word or an acronym, none a given name, and the
// last no body's noun: "… Monetary Policy Committee" is the body's own.
func (x *Extractor) knownBodyRunOn(c []tokens.Token, known *runLongest, shouting bool) (*entry, int) {
	e, n := known.of(x, c, shouting)
	if e == nil || e.weak || e.kind != Organization || n < 3 || !hasOf(c[:n]) || len(c)-n < 2 {
		return nil, 0
	}
	for _, t := range c[n:] {
		f := foldTok(t)
		if !(commonWord(f) || t.AllCaps()) || givenNames[f] || possessive(t.Text) {
			return nil, 0
		}
	}
	if last := foldTok(c[len(c)-1]); orgSuffixes[last] || orgHeads[last] {
		return nil, 0
	}
	return e, n
}
