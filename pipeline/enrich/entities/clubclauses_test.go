package entities

import "testing"

// TestClubClauses: in a football story a town is its club before a
// relative "who" and after a determiner before a match's result ("a
// Leeds victory"); outside football the same shapes keep the town. The
// first body is from wikiref220 (premier.league.17, a development set),
// the rest invented.
func TestClubClauses(t *testing.T) {
	const lead = "The striker scored a goal in the league match. "
	checkCases(t, "Football / The Premier Kick-Off", []keyCase{
		{body: lead + "At Bramall Lane in April, a Leeds victory sealed by a bizarre own goal from Sheffield's captain, Brian Gayle, crushed Ferguson's title hopes.",
			want: []string{"organization:leeds"}, absent: []string{"place:leeds"}},
		{body: lead + "Liverpool, who finished second, spent more than anyone.", want: []string{"organization:liverpool"}, absent: []string{"place:liverpool"}},
		// review20 (ENTITIES 10): after "of", "in", "at" or "from" the town
		// does not open its clause and stays the town.
		{body: lead + "The mayor of Liverpool, who attended the match, spoke.", want: []string{"place:liverpool"}, absent: []string{"organization:liverpool"}},
		{body: lead + "He thanked the people of Newcastle, who had supported him.", absent: []string{"organization:newcastle"}},
		{body: lead + "Fans in Leeds, who had waited for years, celebrated.", absent: []string{"organization:leeds"}},
		{body: lead + "He flew home from Liverpool, who he had left in May.", absent: []string{"organization:liverpool"}},
	})
	checkCases(t, "News", []keyCase{
		{body: "Voters in Liverpool, who turned out early, waited for hours.", want: []string{"place:liverpool"}, absent: []string{"organization:liverpool"}},
	})
}

// TestClubPluralVerb: in a football story a town that opens its clause
// and takes a plural verb is its club, as British sport writes a team
// ("Burnley are now bigger than Ajax", "while Sunderland have spent"); a
// town is singular. Not a town listed with another ("Leeds and Bradford
// are"), where the list makes the verb plural, nor outside football.
func TestClubPluralVerb(t *testing.T) {
	const lead = "The striker scored a goal in the league match. "
	checkCases(t, "Football / The Premier Kick-Off", []keyCase{
		{body: lead + "Burnley are now, economically, bigger than Ajax.", want: []string{"organization:burnley"}, absent: []string{"place:burnley"}},
		{body: lead + "The club spent little, while Sunderland have spent a fortune.", want: []string{"organization:sunderland"}, absent: []string{"place:sunderland"}},
		{body: lead + "He said Leeds and Bradford are both growing cities.", absent: []string{"organization:leeds", "organization:bradford"}},
	})
	checkCases(t, "News", []keyCase{
		{body: "Burnley are voting today, the council said.", absent: []string{"organization:burnley"}},
	})
}
