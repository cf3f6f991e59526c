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

// The English words "rue" and "avenue" before a name are no street
// (review, round 12): a street's head follows a preposition, an article,
// "and" or a comma, and a possessive name is no street's.
func TestEnglishRueAndAvenueAreNoStreets(t *testing.T) {
	got := newX(t).Extract("News", "Democrats may rue Halvorsen's decision. It is another avenue Quorvex has not explored. The attack came on rue Tessier, rue de Lomme and 50 boulevard Marcellin.", "en")
	checkKeys(t, got, []string{"place:rue_tessier", "place:rue_de_lomme", "place:boulevard_marcellin"},
		[]string{"place:rue_halvorsen_s", "place:rue_halvorsen", "place:avenue_quorvex"})
}
