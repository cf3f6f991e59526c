package entities

import "testing"

// TestClubListsNameClubs: in a football story a list a group of clubs
// opens ("clubs like", "sides such as", "clubs ... including") names
// clubs, whatever its towns' readings; a country listed so, and the same
// words outside football, keep theirs.
func TestClubListsNameClubs(t *testing.T) {
	body := "The league wants more clubs in the pyramid to join the cup, and has written to the lower-division clubs, including Walsall, Crewe Alexandra and Colwyn Bay. " +
		"Smaller sides such as Barnet have asked the league for a fixture list before the goal-line rules change. " +
		"National teams like England and Spain will play the tournament in June."
	checkKeys(t, newX(t).Extract("Cup plan", body, "en"),
		[]string{"organization:walsall", "organization:colwyn_bay", "organization:barnet", "place:england", "place:es"},
		[]string{"place:walsall", "place:colwyn_bay", "place:barnet", "organization:england", "organization:es", "organization:spain"})
}

// TestClubListsOutsideFootball: "teams, including" outside a football
// story is no list of clubs.
func TestClubListsOutsideFootball(t *testing.T) {
	body := "Rescue teams, including Walsall and Leeds, were sent north after the floods. The council thanked them."
	checkKeys(t, newX(t).Extract("Floods", body, "en"),
		[]string{"place:leeds"}, []string{"organization:leeds", "organization:walsall"})
}

// TestTownOfANamedClub: a football story that names a club in full by
// its town and club word ("Hull City") means the club by the town alone;
// a town two named clubs share stays the town, as does a town after a
// preposition of place.
func TestTownOfANamedClub(t *testing.T) {
	body := "Hull City have signed the striker on a three-year deal. Hull finished fifth in the league last season and scored a goal in every match. " +
		"The club's fans gathered in Hull to welcome him."
	got := newX(t).Extract("Transfer", body, "en")
	checkKeys(t, got, []string{"organization:hull_city"}, []string{"place:hull"})

	body = "Manchester City and Manchester United meet in the league on Sunday. Police in Manchester expect 50,000 fans at the match, and the goal-line camera is ready."
	checkKeys(t, newX(t).Extract("Derby", body, "en"),
		[]string{"organization:manchester_city", "organization:manchester_united", "place:manchester"}, nil)
}

// TestTransferWordsNameClubs: "joined X from <town>", "since leaving
// <town>", "moving to <town>" in a football story name the club a
// player or a manager left or joined.
func TestTransferWordsNameClubs(t *testing.T) {
	body := "The striker joined Real Madrid from Santos in 2005 and scored a goal in his first league match. " +
		"The manager has rebuilt the squad since leaving Birmingham in June, and his captain is moving to Newcastle."
	checkKeys(t, newX(t).Extract("Transfers", body, "en"),
		[]string{"organization:santos", "organization:birmingham", "organization:newcastle"},
		[]string{"place:santos", "place:birmingham"})
}

// TestTownBeforeItsCountryStaysATown: in a football story that names
// "Birmingham City", a birthplace written "(Birmingham, UK)" is the town.
func TestTownBeforeItsCountryStaysATown(t *testing.T) {
	body := "Birmingham City have nine foreign-born players in their squad, the fewest in the league. In full: Baker (Birmingham, UK), Carew (Norway). " +
		"Birmingham scored a goal in every match."
	checkKeys(t, newX(t).Extract("Squads", body, "en"),
		[]string{"organization:birmingham_city", "place:birmingham"}, nil)
}
