package entities

import "testing"

// TestClubCuesRound12 covers three more ways football prose names a club
// by its town (issue 15, round 12): a list after a sentence's opener
// ("After Leeds and Chelsea"), a player's noun with an adjective between
// ("Leeds striking ace"), and a swoop or bid for a player "from" a town.
// Outside football, or after a preposition of place, the town stays one.
func TestClubCuesRound12(t *testing.T) {
	const football = " The striker scored a goal in the league match."
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "After Leeds and Chelsea had reached an agreement, the player travelled." + football, want: []string{"organization:leeds"}, absent: []string{"place:leeds"}},
		{body: "Spurs moved for Leeds striking ace Tomas Halvorsen." + football, want: []string{"organization:leeds"}, absent: []string{"place:leeds"}},
		{body: "Chelsea completed their swoop for Tomas Halvorsen from Leeds." + football, want: []string{"organization:leeds"}, absent: []string{"place:leeds"}},
		{body: "After Leeds and York, the tour went on to Hull.", want: []string{"place:leeds"}, absent: []string{"organization:leeds"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
