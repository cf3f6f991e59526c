package entities

import (
	"strings"
	"testing"
)

// TestTitleCaseClauseForIsNoBodyRound17: in a title-case headline a run
// that opens with a body's head word ("European", "Royal") and holds
// "for" or "of" is a body's name only when a body's noun stands before
// the connector ("European Bank for …"); otherwise the capitals are the
// headline's subject and verb and "for" joins a clause. Round 17's
// "European" alias made the first of these a false organization.
func TestTitleCaseClauseForIsNoBodyRound17(t *testing.T) {
	cases := []struct {
		title        string
		want, absent []string
		noOrgWith    string // no organization key holds this word
	}{
		{title: "Four European Nations Appeal for US Natural Gas Exports", want: []string{"place:europe", "place:us"}, noOrgWith: "appeal"},
		{title: "European Leaders Call for Calm After Vote", want: []string{"place:europe"}, noOrgWith: "call"},
		{title: "Royal Engagement Coming Up For Prince Harry and Cressida Bonas?", noOrgWith: "engagement"},
		{title: "US Attorney's Office Begins Criminal Investigation Of GM Over Recall", want: []string{"organization:general_motors"}, noOrgWith: "investigation"},
		// a body's noun before the connector keeps the name
		{title: "European Bank for Reconstruction Cuts Forecast", want: []string{"organization:european_bank"}},
		{title: "Royal Society for the Protection of Birds", want: []string{"organization:royal_society_for_the_protection_of_birds"}},
	}
	for _, c := range cases {
		got := newX(t).Extract(c.title, "", "en")
		checkKeys(t, got, c.want, c.absent)
		for _, e := range got {
			if c.noOrgWith != "" && e.Kind == Organization && strings.Contains(e.Key, c.noOrgWith) {
				t.Errorf("%q: organization %s holds the headline's clause", c.title, e.Key)
			}
		}
	}
}
