package entities

import "testing"

// TestRugbyLeagueAndAFLClubsRound17: the NRL's and the AFL's clubs by
// their full names and short forms are one body each, not their town.
func TestRugbyLeagueAndAFLClubsRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The Penrith Panthers beat the Melbourne Storm, and the Sydney Swans lost to the Brisbane Lions.", want: []string{"organization:penrith_panthers", "organization:melbourne_storm", "organization:sydney_swans", "organization:brisbane_lions"}, absent: []string{"place:melbourne", "place:sydney"}},
		{body: "The Canterbury-Bankstown Bulldogs met the South Sydney Rabbitohs while the Wests Tigers lost.", want: []string{"organization:canterbury_bulldogs", "organization:south_sydney_rabbitohs", "organization:wests_tigers"}},
		{body: "Essendon beat Collingwood, and the West Coast Eagles lost.", want: []string{"organization:essendon", "organization:collingwood", "organization:west_coast_eagles"}, absent: []string{"place:west_coast_eagles"}},
		{body: "The North Queensland Cowboys beat the Cronulla-Sutherland Sharks.", want: []string{"organization:north_queensland_cowboys", "organization:cronulla_sharks"}, absent: []string{"place:queensland"}},
		{body: "He moved to Melbourne and then to Sydney in 2004.", want: []string{"place:melbourne", "place:sydney"}},
	})
}
