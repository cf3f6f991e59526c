package entities

import "testing"

// TestADottedAbbreviationInATitleCaseRunIsNoOrdinaryWord (issue 15, round
// 29): in a title-case headline a name the gazetteer knows only in
// ordinary words ("US" folds as "us") says nothing by its capitals; but
// written with its full stops ("U.S.", "U.K.") it is no ordinary word,
// wherever the headline's capitals run it on ("Public Transit Use In U.S.
// Is At a 57-Year High", set 34's uci-news:457). Undotted, the pronoun's
// reading stands ("Join Us Today").
func TestADottedAbbreviationInATitleCaseRunIsNoOrdinaryWord(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Public Transit Use In U.S. Is At a 57-Year High, Report Finds", want: []string{"place:us"}},
		{title: "Stocks Rise In U.S. Trading", want: []string{"place:us"}},
		{title: "Inflation In U.K. Falls Again", want: []string{"place:gb"}},
		{title: "Sales Rise In U.S.", want: []string{"place:us"}},
		{title: "Come Join Us Today For Music", absent: []string{"place:us"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
