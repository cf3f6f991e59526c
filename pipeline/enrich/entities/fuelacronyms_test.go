package entities

import "testing"

// TestAFuelOrAFeedFormatInCapitalsIsNoBody (issue 15, round 42): LNG,
// LPG and CNG name a fuel and RSS a feed's format, terms as GDP and USB
// are (acronymStop), not bodies ("LNG exports self-limiting", set 41's
// uci-news:619; "Canada's LNG export industry", set 40's 586; "via RSS",
// set 42's 4556).
func TestAFuelOrAFeedFormatInCapitalsIsNoBody(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "LNG exports self-limiting", absent: []string{"organization:lng"}},
		{title: "Canada's LNG export industry could benefit from the crisis", want: []string{"place:ca"}, absent: []string{"organization:lng"}},
		{title: "Follow Reason 24/7 on Twitter and via RSS", want: []string{"organization:twitter"}, absent: []string{"organization:rss"}},
		{title: "India's LPG subsidy bill rises", absent: []string{"organization:lpg"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
