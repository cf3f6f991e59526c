package entities

import (
	"cmp"
	"slices"
)

// mergeSpellings folds two persons of one story whose names differ in one
// word by one letter typed wrong, missing, added or swapped ("Henry
// Samuel" and "Henry Samuels", "Mohamed Adbeslam" and "Mohamed
// Abdeslam"): one person the text spelt two ways. Only persons the
// recognizer read (the gazetteer's are spelt as it knows them), of the
// same number of words, the differing word of five letters or more at
// both ends; the survivor is the one with more mentions, then the first.
func mergeSpellings(byKey map[string]*agg) {
	var persons []*agg
	for _, a := range byKey {
		if a.ent.Kind == Person && a.toks != nil && len(a.toks) >= 2 {
			persons = append(persons, a)
		}
	}
	if len(persons) < 2 {
		return
	}
	slices.SortFunc(persons, func(a, b *agg) int {
		if a.ent.Mentions != b.ent.Mentions {
			return cmp.Compare(b.ent.Mentions, a.ent.Mentions)
		}
		return cmp.Compare(a.order, b.order)
	})
	gone := map[*agg]bool{}
	for i, keep := range persons {
		if gone[keep] {
			continue
		}
		for _, drop := range persons[i+1:] {
			if !gone[drop] && oneWordMisspelt(keep.toks, drop.toks) {
				foldInto(byKey, keep, drop)
				gone[drop] = true
			}
		}
	}
}

// oneWordMisspelt: a and b have the same words but one, and that one is
// five letters or more in both and one edit apart — and not two given
// names the lists know that differ in their ending only ("Mario Rossi" and
// his sister "Maria Rossi", "Daniel" and "Daniela", "Louis" and "Louise",
// "Christian" and "Christina"): a name's masculine and feminine forms, a
// relative of the same surname. A given name spelt another way inside
// ("Philip" and "Phillip", "Jeffrey" and "Jeffery") is one person still.
func oneWordMisspelt(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	diff := -1
	for k := range a {
		if a[k] != b[k] {
			if diff >= 0 {
				return false
			}
			diff = k
		}
	}
	if diff == 0 && knownGivenName(a[0]) && knownGivenName(b[0]) && endingOnly(a[0], b[0]) {
		return false
	}
	return diff >= 0 && len(a[diff]) >= 5 && len(b[diff]) >= 5 && oneEdit(a[diff], b[diff])
}

// endingOnly: a and b, one edit apart, differ in their last letter only —
// changed, added or dropped — or in their last two, swapped.
func endingOnly(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	n := len(b)
	if len(a) == n+1 {
		return a[:n] == b // "daniela", "daniel"
	}
	return n >= 2 && a[:n-2] == b[:n-2] && (a[n-2] == b[n-2] || a[n-2] == b[n-1] && a[n-1] == b[n-2]) // "maria", "mario"; "christina", "christian"
}

// knownGivenName: the folded word is a given name of the hand list or of
// the generated one.
func knownGivenName(f string) bool { return givenNames[f] || listedGivenName(f) }

// oneEdit: a and b differ by one byte changed, added, removed, or two
// neighbours swapped.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return false
		}
		if a[i+1:] == b[i+1:] {
			return true // one changed
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // two swapped
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:] // one added
	}
	return false
}
