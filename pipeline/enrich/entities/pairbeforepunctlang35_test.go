package entities

import "testing"

// TestAPairBeforeAHeadlinesColonIsNoPersonOutsideEnglish (round 35's
// review of people35): the rule that reads two unknown capitalised words
// opening a title-case headline before its colon or comma as a person
// knows "unknown" by the English dictionary, so every German noun — all
// capitalised — and every French or Spanish word is unknown: "Neue
// Regeln: Bundestag stimmt zu" read "Neue Regeln" (new rules) as a
// person. The rule reads English headlines only.
func TestAPairBeforeAHeadlinesColonIsNoPersonOutsideEnglish(t *testing.T) {
	for _, c := range []struct{ title, lang, absent string }{
		{"Neue Regeln: Bundestag stimmt zu", "de", "person:neue_regeln"},
		{"Hohe Preise, wenig Wohnungen", "de", "person:hohe_preise"},
		{"Nouvelle Loi: le Parlement vote", "fr", "person:nouvelle_loi"},
	} {
		checkKeys(t, newX(t).Extract(c.title, "", c.lang), nil, []string{c.absent})
	}
	checkTitles(t, []headlineCase{
		{title: "Quinnelle Ardwick: I Don't Own a Cellphone!", want: []string{"person:quinnelle_ardwick"}},
	})
}
