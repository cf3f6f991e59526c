package entities

import "testing"

// TestTownNamedLikeAPersonHasTeams: a town the gazetteer leaves out for
// its given name still names a team before an ordinary plural, while a
// given name and a surname stay a person.
func TestTownNamedLikeAPersonHasTeams(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "The league grew with the addition of the Charlotte Bobcats. Charlotte Jones said the Phoenix Suns would object.", "en"),
		[]string{"organization:charlotte_bobcats", "organization:phoenix_suns", "person:charlotte_jones"},
		[]string{"person:charlotte_bobcats", "organization:charlotte_jones"})
}

// TestTableRowsNameClubs: in a football story, the sides of a results
// line and the rows of a standings table are clubs named by town or
// short name, not places or persons; a line of scorers with commas and
// a sentence with words keep their readings.
func TestTableRowsNameClubs(t *testing.T) {
	body := "The league published its goal records for the season.\n\n" +
		"Everton 2 Fulham 1\n\n" +
		"Aston Villa 594, 729\n\n" +
		"Leeds 468, 641\n\n" +
		"Scorers: Rooney 23, Costa 67\n\n" +
		"Mark Brown scored a goal in the match."
	checkKeys(t, newX(t).Extract("Records", body, "en"),
		[]string{"organization:everton", "organization:fulham", "organization:aston_villa", "organization:leeds", "person:mark_brown"},
		[]string{"place:leeds", "person:aston_villa", "organization:costa", "organization:rooney"})
}

// TestTableRowsOutsideFootball: the same shape outside a football story
// (a list of towns and their counts) is left to the other rules.
func TestTableRowsOutsideFootball(t *testing.T) {
	body := "The census counted the towns of the county.\n\nLeeds 468, 641\n\nYork 120, 98\n"
	checkKeys(t, newX(t).Extract("Census", body, "en"),
		[]string{"place:leeds"}, []string{"organization:leeds"})
}
