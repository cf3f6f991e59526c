package entities

import "testing"

// TestLeagueFranchises: the four North American major leagues'
// franchises (majors.tsv) are known by their full names, and by a
// nickname no other body or common plural shares; a shared nickname
// ("Spurs": Tottenham too) is no alias. The first two cases are from
// wikiref220's NBA.draft.2 (a development set), the third a UCI dev
// headline.
func TestLeagueFranchises(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "In 1956, the Celtics used a territorial pick to select Tom Heinsohn from Holy Cross in nearby Worcester, Mass. He went on to average 18.6 points and 8.8 rebounds, helping the Celtics to eight NBA championships in his nine-year career.",
			want: []string{"organization:boston_celtics", "person:tom_heinsohn"}},
		{body: "The next season, led by their rookie guard, the Lakers became NBA champions for the second time since moving to Los Angeles. Oh yes, and the New Orleans Jazz became the Utah Jazz.",
			want: []string{"organization:utah_jazz", "organization:los_angeles_lakers"}, absent: []string{"place:utah"}},
		{body: "The Spurs fans sang through the second half at White Hart Lane.", absent: []string{"organization:san_antonio_spurs"}},
	})
	got := newX(t).Extract("Here's your chance to play Titanfall with Seahawks star Richard Sherman", "", "en")
	checkKeys(t, got, []string{"organization:seattle_seahawks", "person:richard_sherman"}, nil)
}

// TestLeagueNicknamesRound16: a franchise's nickname that is an ordinary
// plural or another club's name ("Patriots", "Rockets", "Hawks",
// "Warriors") names the franchise only in a story about the US leagues,
// and never splits a longer capitalised name ("Sale Sharks", "Glasgow
// Warriors"). Cases are review20's (ENTITIES 1).
func TestLeagueNicknamesRound16(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Germany will send more Patriots to Ukraine.", absent: []string{"organization:new_england_patriots"}},
		{body: "Hamas fired Rockets at Tel Aviv.", absent: []string{"organization:houston_rockets"}},
		{body: "Fed Hawks pushed for another rate hike.", absent: []string{"organization:atlanta_hawks"}},
		{body: "Wall Street Bulls cheered the rate cut.", absent: []string{"organization:chicago_bulls"}},
		{body: "Fishermen hauled their Nets.", absent: []string{"organization:brooklyn_nets"}},
		{body: "Watford, nicknamed the Hornets, lost again.", absent: []string{"organization:charlotte_hornets"}},
		{body: "The Wounded Warriors charity raised money.", absent: []string{"organization:golden_state_warriors"}},
	})
	checkCases(t, "Football", []keyCase{
		{body: "The striker scored a goal in the league match. Derby, known as the Rams, lost.", absent: []string{"organization:los_angeles_rams"}},
	})
	checkCases(t, "Rugby", []keyCase{
		{body: "The Sale Sharks beat the Glasgow Warriors.",
			absent: []string{"organization:san_jose_sharks", "organization:golden_state_warriors", "place:glasgow"}},
		{body: "The Cronulla Sharks beat the Canberra Raiders. The Newcastle Falcons and the Bradford Bulls lost.",
			want:   []string{"organization:canberra_raiders", "organization:cronulla_sharks", "organization:newcastle_falcons", "organization:bradford_bulls"},
			absent: []string{"organization:las_vegas_raiders", "organization:san_jose_sharks", "organization:atlanta_falcons", "organization:chicago_bulls"}},
	})
	// In a story about the US leagues the nickname still names the team.
	checkCases(t, "NBA", []keyCase{
		{body: "The Rockets beat the Warriors in overtime as the NBA playoffs opened.",
			want: []string{"organization:houston_rockets", "organization:golden_state_warriors"}},
		{body: "The Patriots quarterback threw three touchdowns in the NFL opener.",
			want: []string{"organization:new_england_patriots"}},
	})
}
