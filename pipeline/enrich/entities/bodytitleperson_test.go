package entities

import "testing"

// TestAKnownBodysOfficeHolderIsAPerson (issue 15, round 30): "Bank of
// England Governor Carney questioned over 'rate fixing'" (set 35's
// uci-news:4920) read as one body "Bank of England Governor Carney"; a
// body the gazetteer knows by two words or more, a capitalised office and
// one or two name words are the body and a person, in a title-case
// headline too. An ordinary word after the office ("Governor Race") and
// an office with no holder are read as before.
func TestAKnownBodysOfficeHolderIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Bank of England Governor Carney questioned over 'rate fixing'", want: []string{"organization:bank_of_england", "person:carney"}, absent: []string{"organization:bank_of_england_governor_carney"}},
		{text: "Bank of England Governor Tovalla Pellucci Questioned Over Rate Fixing", want: []string{"organization:bank_of_england", "person:tovalla_pellucci"}},
		{text: "Bank of England Governor Mark Carney questioned by MPs", want: []string{"organization:bank_of_england", "person:mark_carney"}},
		{text: "Bank of England Governor Race Heats Up", absent: []string{"person:race", "person:race_heats_up"}},
		{text: "The Bank of England Governor said rates would rise.", absent: []string{"person:said"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
