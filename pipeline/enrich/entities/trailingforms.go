package entities

import (
	"cmp"
	"slices"
)

// mergeTrailingForms folds a name of two or more words that ends a longer
// organization's name the story gave into that organization: "Manly Sea
// Eagles … The Sea Eagles said", "Toronto Maple Leafs … the Maple
// Leafs", "Collingwood Football Club … the Football Club". News gives a
// body's full name once, then drops its town or its qualifier, as it
// drops a person's given name; the one-word short forms ("the
// Rabbitohs") are resolved with the bare words (see orgsByEdgeWords),
// this does the longer ones, which the recognizer reads as names of
// their own. The short form may also have been read as a person by its
// shape ("Maple Leafs said"), unless it opens with a known given name.
//
// Not when:
//   - the short form is the gazetteer's own body ("Merrill Lynch" after
//     "Bank of America Merrill Lynch" is the broker);
//   - it is generic, every word a body's suffix or head ("Air Force",
//     "National Bank"), or opens with a head ("Bank of Scotland" after
//     "Royal Bank of Scotland" is another bank), or ends in "Party":
//     parties are named as a shared base and a qualifier, and the base
//     is another party ("Democratic Party" and "Liberal Democratic
//     Party", "National Party" and "Liberal National Party");
//   - two of the story's bodies end with it ("Essendon Football Club"
//     and "Collingwood Football Club": which one?);
//   - it came first in the text, outside the headline: the longer name
//     after it may be another body that holds it.
func (x *Extractor) mergeTrailingForms(byKey map[string]*agg) {
	// count first: most stories have no organization or no candidate, and
	// Resolve runs once per story, so the common case allocates nothing
	nLong, nShort := 0, 0
	for _, a := range byKey {
		if a.ent.Kind == Organization {
			nLong++
		}
		if trailingCandidate(a) {
			nShort++
		}
	}
	if nShort == 0 || nLong == 0 {
		return
	}
	longs, shorts := make([]*agg, 0, nLong), make([]*agg, 0, nShort)
	for _, a := range byKey {
		if a.ent.Kind == Organization {
			longs = append(longs, a)
		}
		if trailingCandidate(a) {
			shorts = append(shorts, a)
		}
	}
	// first mention first: the same folds in every run
	byOrder := func(a, b *agg) int { return cmp.Compare(a.order, b.order) }
	slices.SortFunc(longs, byOrder)
	slices.SortFunc(shorts, byOrder)
	// Each long name's words, folded once when first compared: a
	// gazetteer body's are folded from its name (agg.words), which every
	// short form asked again — an article's dozens of organizations made
	// that a fold and a split per pair. Neither a name nor its recognizer
	// words change here, so the first answer is every later one.
	longWords := make([][]string, len(longs))
	var joined []byte
	for _, s := range shorts {
		if !trailingFormShape(s.toks) {
			continue
		}
		joined = appendJoined(joined[:0], s.toks)
		if x.gaz.byForm[string(joined)].e != nil { // a lookup that does not copy
			continue
		}
		var into *agg
		n := 0
		for i, l := range longs {
			if l == s || byKey[l.ent.Key] != l {
				continue // itself, or folded away already
			}
			if longWords[i] == nil {
				longWords[i] = l.words()
			}
			if w := longWords[i]; len(w) > len(s.toks) && slices.Equal(w[len(w)-len(s.toks):], s.toks) {
				into, n = l, n+1
			}
		}
		if n != 1 || s.order < into.order && !s.ent.InTitle {
			continue
		}
		into.ent.Mentions += s.ent.Mentions
		into.ent.InTitle = into.ent.InTitle || s.ent.InTitle
		delete(byKey, s.ent.Key)
	}
}

// appendJoined appends words joined by single spaces to b: the text
// strings.Join(words, " ") gives, in a buffer the caller reuses.
func appendJoined(b []byte, words []string) []byte {
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	return b
}

// trailingCandidate says whether a may be the short form that ends a
// longer organization's name: an organization or a person (not led by a
// given name) of two words or more.
func trailingCandidate(a *agg) bool {
	if a.toks == nil || len(a.toks) < 2 {
		return false
	}
	switch a.ent.Kind {
	case Organization:
		return true
	case Person:
		return !givenNames[a.toks[0]]
	}
	return false
}

// trailingFormShape reports whether folded words may be a body's short
// form (see mergeTrailingForms): not all generic, not opened by a head,
// not a party.
func trailingFormShape(toks []string) bool {
	if orgHeads[toks[0]] || toks[len(toks)-1] == "party" {
		return false
	}
	for _, w := range toks {
		if !orgSuffixes[w] && !orgHeads[w] && !divisionWords[w] && !compassWords[w] {
			return true
		}
	}
	return false
}
