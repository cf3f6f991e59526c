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
// five letters or more in both and one edit apart.
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
	return diff >= 0 && len(a[diff]) >= 5 && len(b[diff]) >= 5 && oneEdit(a[diff], b[diff])
}

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
