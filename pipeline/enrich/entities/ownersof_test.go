package entities

import "testing"

// TestGroupPossessiveAfterOf: "of" before a group's possessive that
// opens a store's name ends the run, so that "Bid of" or "Shares of" no
// longer swallows "Men's" and the name is read whole. The first case is a
// UCI dev headline, the second the shape round 15 left out.
func TestGroupPossessiveAfterOf(t *testing.T) {
	got := newX(t).Extract("Will this Bid of Men's Wearhouse (NYSE:MW) Rally Stock after Merger, Clean  ...", "", "en")
	checkKeys(t, got, []string{"organization:men_wearhouse"}, nil)
	checkCases(t, "News", []keyCase{
		{body: "Shares of Men's Wearhouse rose 3 percent on Friday.", want: []string{"organization:men_wearhouse"}, absent: []string{"organization:wearhouse"}},
		{body: "Readers of Women's Health wrote in.", absent: []string{"organization:women_health"}},
	})
}
