package entities

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

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
// asks: a body or a place the rules found stays (a body that opens on a
// name is marked for resolve: personOpeningBody). The memory is the
// stream's, not a list: a fresh recognizer reads these runs as before.
// opening: the run opens the headline. Every question asked of the map
// and its answer go to asked, for the stream-order step to check that
// the map still answers so (Extractor.Current).
func (x *Extractor) streamPersonInRun(out []mention, before int, c []tokens.Token, inTitle, opening bool, asked *[]aliasAnswer) []mention {
	if len(c) >= 2 && runReadAsOneUnknownBody(out[before:]) {
		out[before].opener = personOpeningBody(c, opening)
		return out
	}
	if len(c) < 3 || !x.runOpenToStreamPerson(out[before:], len(c)) {
		return out
	}
	for k := 0; k+1 < len(c); k++ {
		if possessive(c[k].Text) || !c[k].Capitalized() || !c[k+1].Capitalized() {
			continue
		}
		last := foldTok(c[k+1])
		key, name, ok := x.aliases.Resolve(last)
		*asked = append(*asked, aliasAnswer{word: last, key: key})
		if !ok || key != Key(Person, stripPossessive(c[k].Text)+" "+stripPossessive(c[k+1].Text)) {
			continue
		}
		return append(out[:before], mention{kind: Person, name: name, toks: folds(c[k : k+2]), inTitle: inTitle})
	}
	return out
}

// openerWords: how many of a body's first words may be a person the
// stream knows (personOpeningBody): none, its first word, its first
// two, or either.
type openerWords uint8

const (
	openerWord openerWords = 1 << iota
	openerPair
)

// personOpeningBody says which of a title-case run's first words, read as
// one body no list knows, may be a person the stream knows (issue 15,
// round 37): "Liam Hemsworth and Miley Cyrus Breakup News" (its first two,
// a full name, anywhere), "Cyrus Tour News: Singer Cancels Shows" (its
// first word, opening the headline, no ordinary word). Title case runs a
// name into the headline's words up to a body's noun ("News",
// "Campaign"). Not when the words after the name are all a body's nouns
// ("Dimon Capital Partners"): a firm named after its founder. Whether the
// words are such a person only the alias map says, which the stream's
// order fills: resolve asks it (streamPersonOpening), not the recognizer,
// which reads stories concurrently (EnrichAll).
func personOpeningBody(c []tokens.Token, opening bool) openerWords {
	var w openerWords
	if c[0].Capitalized() && !possessive(c[0].Text) && c[1].Capitalized() && (len(c) == 2 || !bodyWordsOnly(c[2:])) {
		w |= openerPair
	}
	if opening && c[0].Capitalized() && !possessive(c[0].Text) && !bodyWordsOnly(c[1:]) && !commonWord(foldTok(c[0])) {
		w |= openerWord
	}
	return w
}

// streamPersonOpening is the person the stream knows that a body m marked
// by personOpeningBody opens on: the full name the alias map holds for its
// second word's surname, when its first two words are that name; else
// what the alias map answers for its first word, when that is a person.
func (x *Extractor) streamPersonOpening(m mention) (key, name string, toks []string, ok bool) {
	if m.opener&openerPair != 0 && len(m.toks) >= 2 {
		if key, name, ok := x.aliases.Resolve(m.toks[1]); ok && key == Key(Person, m.toks[0]+" "+m.toks[1]) {
			return key, name, m.toks[:2], true
		}
	}
	if m.opener&openerWord != 0 && len(m.toks) >= 1 {
		if key, name, ok := x.aliases.Resolve(m.toks[0]); ok && kindOfKey(key) == Person {
			return key, name, m.toks[:1], true
		}
	}
	return "", "", nil, false
}

// runReadAsOneUnknownBody: a run's reading is one body no list knows.
func runReadAsOneUnknownBody(read []mention) bool {
	return len(read) == 1 && read[0].kind == Organization && read[0].e == nil
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

// observeBodies teaches the alias map the story's bodies by their first
// word ("Sbarro", "Respawn" of Respawn Entertainment), as it learns a
// person's surname and given name: a later story that names the body by
// that word alone, where no rule reads it ("Sbarro goes bankrupt",
// "Respawn says"), gets the body the stream named (issue 15, round 36).
// Only a name of one to three words whose first word is no ordinary word,
// given name or title ("General Motors", "Bank of England", "Morgan
// Stanley" are learned by none; "Jos. A. Bank" is, so that "Jos. Bank"
// is the retailer), in the story's order, so that the map's state stays
// a function of the stories.
func (x *Extractor) observeBodies(byKey map[string]*agg) {
	var buf [8]*agg
	bodies := buf[:0]
	for _, a := range byKey {
		if a.ent.Kind == Organization {
			bodies = append(bodies, a)
		}
	}
	if len(bodies) == 0 {
		return
	}
	slices.SortFunc(bodies, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	for _, a := range bodies {
		ws := a.words()
		if len(ws) == 0 || len(ws) > 3 || !bodyFirstWordLearned(ws[0]) || !plainNameWord(a.ent.Name) {
			continue
		}
		x.aliases.Observe(ws[0], a.ent.Key, a.ent.Name)
	}
}

// bodyFirstWordLearned: a body's first word the alias map may learn it
// by — a word of three letters or more, no ordinary word, given name of
// either list, title or digit. A given name of the generated list is a
// surname too as often ("Morgan" of Morgan Stanley: Piers Morgan, a bare
// "Morgan said"): learned, it would make every such person the body.
func bodyFirstWordLearned(f string) bool {
	return learnableWord(f) && !knownGivenName(f)
}

// learnableWord: a folded word the stream's memory may learn or be asked
// about at all — three letters or more, no ordinary word, title or word
// with a digit. bodyFirstWordLearned, oneNameLearned and
// titleCaseStreamWords each add their own exclusions to it.
func learnableWord(f string) bool {
	return len(f) >= 3 && !commonWord(f) && !titles[f] && !hasDigit(f)
}

// plainNameWord: the name's first word is neither camel-case
// ("CarPlay", "PonoMusic") nor capitals ("SXSW"), the shapes of products
// and events the recognizer sometimes reads as bodies, which the stream
// would spread.
func plainNameWord(name string) bool {
	w, _, _ := strings.Cut(name, " ")
	return w != "" && !camelCase(w) && strings.ToUpper(w) != w
}

// kindOfKey is the kind a key names: "organization" of
// "organization:sbarro".
func kindOfKey(key string) string {
	if i := strings.IndexByte(key, ':'); i > 0 {
		return key[:i]
	}
	return Person
}

// oneNameLearned: a person of one word the alias map may learn by it — a
// star known by one name ("Beyonce", "Shakira"), whom no full name teaches
// it (issue 15, round 37): a learnableWord that is no technology, of a
// name whose first word is neither camel case nor capitals
// (plainNameWord).
func oneNameLearned(f, name string) bool {
	return learnableWord(f) && !techTerms[f] && plainNameWord(name)
}

// titleCaseStreamWords are the words of a title-case headline (ts, its
// tokens) that resolve asks the stream's memory about (issue 15, round
// 37): every word is capitalised there, so the recognizer trusts only
// lists and strong cues, and a person named by one word ("Sheryl Sandberg
// And Beyonce Want To Ban The Word 'Bossy'") reads as no one. A
// capitalised word of three letters or more that no mention took (its
// words or its name's) and that is no ordinary word, title or word with a
// digit. None for a headline in sentence case, where the recognizer reads
// a capitalised word itself.
func titleCaseStreamWords(ts []tokens.Token, ms []mention) []string {
	if len(ts) == 0 || !titleCase(ts) {
		return nil
	}
	var words []string
	for _, t := range ts {
		if !t.Capitalized() || t.AllCaps() {
			continue
		}
		f := foldTok(t)
		if !learnableWord(f) || slices.Contains(words, f) || takenByMention(f, ms) {
			continue
		}
		words = append(words, f)
	}
	return words
}

// takenByMention: the folded word f is a word of a title mention of ms.
func takenByMention(f string, ms []mention) bool {
	for _, m := range ms {
		if !m.inTitle {
			continue
		}
		if slices.Contains(m.toks, f) {
			return true
		}
		for w := range strings.FieldsSeq(Fold(m.name)) {
			if w == f {
				return true
			}
		}
		if m.e != nil {
			for w := range strings.FieldsSeq(Fold(m.e.name)) {
				if w == f {
					return true
				}
			}
		}
	}
	return false
}
