package entities

import "testing"

// TestACompassPointOfTwoPartsIsItsRegion (issue 15, round 31, set 36's
// uci-news:4969): a capitalised compass point of two parts, alone, names
// the region. Not a lower-case direction, nor a longer name it opens.
func TestACompassPointOfTwoPartsIsItsRegion(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Deputy Governor of the Bank of England meets North-East bosses", want: []string{"organization:bank_of_england", "place:north_east"}},
		{body: "Sunderland have three players from the North East: Michael Kay and Grant Leadbitter.", want: []string{"place:north_east"}},
		{body: "The storm moved north-east of Tokyo overnight.", absent: []string{"place:north_east"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
