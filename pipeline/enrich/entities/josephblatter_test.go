package entities

import "testing"

// "Joseph Blatter" is Sepp Blatter's given name written out (Sepp is
// its short form): the gazetteer lists it, as it lists "Leo Messi", so
// the known-kin rule (personmerge.go) does not read a relative of his.
func TestJosephBlatterIsSeppBlatter(t *testing.T) {
	got := newX(t).Extract("News", "Fifa president Joseph Blatter said the vote would go ahead. Blatter smiled.", "en")
	checkKeys(t, got, []string{"person:sepp_blatter"}, []string{"person:joseph_blatter"})
}
