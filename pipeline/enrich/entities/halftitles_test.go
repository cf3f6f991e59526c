package entities

import "testing"

// TestAHalfTitleWithoutItsCoreTitleIsNoRole: "Amazon Prime Raises Price"
// (issue 15, round 33's brief) read "Prime" as a role title and the
// headline's verb and noun after it as a person, "Raises Price". A word
// that is a title only as the first half of one ("Prime Minister",
// "Vice President", "Foreign Secretary") vouches for no one without its
// core title: a brand's product, a verb and a noun are left to the
// other rules.
func TestAHalfTitleWithoutItsCoreTitleIsNoRole(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Amazon Prime Raises Price", want: []string{"organization:amazon"}, absent: []string{"person:raises_price"}},
		{title: "Amazon Prime Price Hike", want: []string{"organization:amazon"}, absent: []string{"person:price_hike"}},
		{title: "Netflix Prime Raises Price", absent: []string{"person:raises_price"}},
		{title: "Prime Minister Tovalla Quenby Resigns", want: []string{"person:tovalla_quenby"}},
		{title: "News", body: "Prime Minister Tovalla Quenby said on Monday that taxes would rise.", want: []string{"person:tovalla_quenby"}},
		{title: "News", body: "Foreign Minister Tovalla Quenby arrived in Paris.", want: []string{"person:tovalla_quenby"}},
		{title: "News", body: "Vice President Tovalla Quenby spoke.", want: []string{"person:tovalla_quenby"}},
	} {
		got := newX(t).Extract(tt.title, tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
