package entities

import "testing"

// TestAWeakCityAfterIntoIsThePlace (issue 15, round 32, set 37's
// uci-news:2466): "into" before a city the gazetteer knows but holds weak
// (a surname too) says the place, as "in", "from" and "to" do.
func TestAWeakCityAfterIntoIsThePlace(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Police: Miley Cyrus fan sneaked into Omaha dressing room", want: []string{"person:miley_cyrus", "place:omaha"}},
		{title: "Fan sneaks into Omaha arena", want: []string{"place:omaha"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
