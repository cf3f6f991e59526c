package entities

import "testing"

// TestFrenchStreetInLowerCase covers streetHeadBefore (issue 15, round
// 12): a French street's head in lower case makes the name after it a
// street, which is a place, across particles and "au"; the street's
// words are no person.
func TestFrenchStreetInLowerCase(t *testing.T) {
	got := newX(t).Extract("News", "Shots were fired on rue de la Vannerie au Comte and along boulevard Marcellin, near rue Quillard.", "en")
	checkKeys(t, got, []string{"place:rue_de_la_vannerie_au_comte", "place:boulevard_marcellin", "place:rue_quillard"},
		[]string{"person:marcellin", "person:quillard"})
}
