package entities

import "testing"

// TestAQuotedTitleWithALowerCaseWordIsAWork (issue 15, round 43): a
// name wholly inside quotes with a small word of a title in it ("'House
// of Cards' Comes to Comcast Store", set 41's uci-news:2967; "No Netflix
// required: 'House of Cards' now available", 2953) is a work's title,
// which the labels leave out, not a body its head word ("House") makes
// one; the bodies beside it stay, and a body the gazetteer knows stays
// when quoted.
func TestAQuotedTitleWithALowerCaseWordIsAWork(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "'House of Cards' Comes to Comcast Store", want: []string{"organization:comcast"}, absent: []string{"organization:house_of_cards"}},
		{title: "No Netflix required: 'House of Cards' now available to Comcast subscribers", want: []string{"organization:netflix", "organization:comcast"}, absent: []string{"organization:house_of_cards"}},
		{title: "Netflix renews \u201cHouse Of Cards\u201d for a third season", want: []string{"organization:netflix"}, absent: []string{"organization:house_of_cards"}},
		{title: "Investors fear the 'Bank of England' will raise rates", want: []string{"organization:bank_of_england"}},
		{title: "House of Commons votes on the bill", want: []string{"organization:uk_parliament"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
