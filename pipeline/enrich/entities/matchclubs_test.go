package entities

import "testing"

// TestMatchClubsRound13: in a football story a club named by its town
// after a match's words is the club even when no list knows the town
// ("a goal against Harbury"), and after a player's arrival from it; a
// league named for who plays in it is a competition, no body. Outside
// football, after "moved to", before a person's full name in the
// possessive ("Manchester's Andy Burnham", a mayor as often as a player),
// and after a squad "arrived from", the town stays a place; a lawsuit
// against someone makes no club of them.
func TestMatchClubsRound13(t *testing.T) {
	const football = " The striker scored a goal in the league match."
	checkCases(t, "News", []keyCase{
		{body: "His late goal against Harbury sealed it." + football, want: []string{"organization:harbury"}},
		{body: "Tomas Brellis, whose arrival from Newcastle pleased the fans, scored twice." + football, want: []string{"organization:newcastle"}, absent: []string{"place:newcastle"}},
		{body: "Manchester's Andy Burnham said the parade would go ahead." + football, want: []string{"place:manchester", "person:andy_burnham"}, absent: []string{"organization:manchester"}},
		{body: "The squad arrived from Lisbon on Monday night." + football, want: []string{"place:lisbon"}, absent: []string{"organization:lisbon"}},
		{body: "The lawsuit against Hargreave was dropped." + football, absent: []string{"organization:hargreave"}},
		{body: "They qualified for the Champions League and the Nations League, said the Premier League." + football, want: []string{"organization:premier_league"}, absent: []string{"organization:champions_league", "organization:nations_league"}},
		{body: "The family of Tomas Brellis moved to Harbury in 1998." + football, absent: []string{"organization:harbury"}},
		{body: "The protest against Harbury council grew. Lyon's Marie Dubois spoke.", absent: []string{"organization:harbury", "organization:lyon"}},
	})
}

// keyCase is one body and the keys its entities must and must not hold.
type keyCase struct {
	body         string
	want, absent []string
}

// checkCases extracts each case's body under title and checks its keys.
func checkCases(t *testing.T, title string, cases []keyCase) {
	t.Helper()
	for _, c := range cases {
		checkKeys(t, newX(t).Extract(title, c.body, "en"), c.want, c.absent)
	}
}

// headlineCase is one headline and the keys its entities must and must not
// hold.
type headlineCase struct {
	title        string
	want, absent []string
}

// checkTitles extracts each case's headline, with no body, and checks its
// keys: checkCases for headlines.
func checkTitles(t *testing.T, cases []headlineCase) {
	t.Helper()
	for _, c := range cases {
		checkKeys(t, newX(t).Extract(c.title, "", "en"), c.want, c.absent)
	}
}

// A club's region or nickname alone names no club (review22, review24):
// Greater Western Sydney is a region in every New South Wales election
// story, sea eagles nest; the club's full names still name it.
func TestAClubsRegionOrNicknameAloneIsNoClub(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Voters in Greater Western Sydney swung to Labor.", want: []string{"place:greater_western_sydney"}, absent: []string{"organization:gws_giants", "place:greater_western"}},
		{body: "Rangers said the Sea Eagles are nesting again on the island.", absent: []string{"organization:manly_sea_eagles"}},
		{body: "Greater Western Sydney Giants coach Leon Cameron said they played well.", want: []string{"organization:gws_giants"}},
		{body: "Manly Sea Eagles won on Sunday.", want: []string{"organization:manly_sea_eagles"}},
	})
}
