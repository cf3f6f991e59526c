package entities

import "testing"

// TestAQuotedRunOfOrdinaryWordsIsATitleNotABody (issue 15, round 39): a
// run in quotes of ordinary words only, read as a body by its shape alone
// ("'House of Cards'", its last word a body's noun), is the title of a
// work — a show, a film, a book — as headlines quote them: FP on sets 39
// and 41 (twice), ten dev.csv headlines in all. A body the gazetteer knows
// keeps its reading in quotes, and so does a name with a word no
// dictionary holds.
func TestAQuotedRunOfOrdinaryWordsIsATitleNotABody(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "'House of Cards' Comes to Comcast Store", want: []string{"organization:comcast"}, absent: []string{"organization:house_of_cards"}},
		{title: "Comcast Subscribers Can Now Watch \"House Of Cards\" Without Netflix", want: []string{"organization:netflix"}, absent: []string{"organization:house_of_cards"}},
		{title: "Netflix's “House of Cards” hits Comcast Xfinity", absent: []string{"organization:house_of_cards"}},
		{title: "Comcast Cuts Sony Deal to Sell 'House of Cards,' Early-Release Movies", absent: []string{"organization:house_of_cards"}},
		{title: "Fans flock to 'Harrods Bank' opening", want: []string{"organization:harrods_bank"}},
		{title: "House of Cards collapses in Florida", want: []string{}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
