package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// streamPersonInRun reads a person the stream already knows inside a
// title-case headline's run (issue 15, round 36). Every word of such a
// headline is capitalised, so a name runs into the words after it: "Neil
// Young Annouces Launch of PonoMusic" yields no one, "OWN's Lindsay Lohan
// Docuseries Debuts" a person of three words. When two adjacent words of
// the run are the full name the alias map holds for the second word's
// surname — a person earlier stories named whole, at least twice and
// dominant over the surname's other full names (AliasMap.Resolve) — the
// run's reading, out[before:], is replaced by that person. Only a run
// that read as no one, or as one unknown person longer than the pair,
// asks: a body or a place the rules found stays. The memory is the
// stream's, not a list: a fresh recognizer reads these runs as before.
func (x *Extractor) streamPersonInRun(out []mention, before int, c []tokens.Token, inTitle bool) []mention {
	if len(c) < 3 || !x.runOpenToStreamPerson(out[before:], len(c)) {
		return out
	}
	for k := 0; k+1 < len(c); k++ {
		if possessive(c[k].Text) || !c[k].Capitalized() || !c[k+1].Capitalized() {
			continue
		}
		last := foldTok(c[k+1])
		key, name, ok := x.aliases.Resolve(last)
		if !ok || key != Key(Person, stripPossessive(c[k].Text)+" "+stripPossessive(c[k+1].Text)) {
			continue
		}
		return append(out[:before], mention{kind: Person, name: name, toks: folds(c[k : k+2]), inTitle: inTitle})
	}
	return out
}

// runOpenToStreamPerson: what a run of n words read leaves room for a
// person the stream knows — nothing, or one person no list knows with
// more words than a pair ("Lindsay Lohan Docuseries").
func (x *Extractor) runOpenToStreamPerson(read []mention, n int) bool {
	switch {
	case len(read) == 0:
		return true
	case len(read) == 1:
		m := read[0]
		return m.kind == Person && m.e == nil && len(m.toks) > 2 && len(m.toks) <= n
	}
	return false
}
