package entities

import "testing"

// TestAwardsAndChannelsRound13: an award's noun before "of the Year" is
// no person, though a body in the award stays ("PFA"); an unknown acronym
// that is a story's broadcaster and one or two letters more is its
// channel, that broadcaster, while letters before it make another name
// ("CNBC") and a two-letter acronym opens many ("UN", "UNHCR").
func TestAwardsAndChannelsRound13(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Okafor, a former African Goalkeeper of the Year, signed on Monday.", absent: []string{"person:goalkeeper", "person:african_goalkeeper"}},
		{body: "He was named PFA Player of the Year last May.", want: []string{"organization:pfa"}},
		{body: "The matches air on NBC, and the rest on NBCSN and CNBC.", want: []string{"organization:nbc", "organization:cnbc"}, absent: []string{"organization:nbcsn"}},
		{body: "The NFL and the NFLPA reached a deal, and MLB and the MLBPA met.", want: []string{"organization:nfl", "organization:nflpa", "organization:mlbpa"}},
		{body: "The UN said UNHCR staff would stay.", want: []string{"organization:un", "organization:unhcr"}},
	})
}
