package entities

import "testing"

// TestNamesEndingInANumberRound17: a body the gazetteer knows by a name
// ending in a number is read whole; a run of capitals stopped at the
// number before, leaving "Europe" a place and "Channel 4" unread.
func TestNamesEndingInANumberRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "French radio Europe 1 reported the raid first.", want: []string{"organization:europe_1"}, absent: []string{"place:europe"}},
		{body: "Britain's Channel 4 and France 24 aired the footage.", want: []string{"organization:channel_4", "organization:france_24"}},
		{body: "The television station Metropole 6 named him; M6 later said so again.", want: []string{"organization:metropole_6"}, absent: []string{"organization:metropole"}},
		{body: "He scored 20 goals in Ligue 1 for Lyon.", want: []string{"organization:ligue_1"}},
		{body: "In 2012 France 2 aired it, when France had 65 million people.", want: []string{"organization:france_2", "place:fr"}},
	})
}
