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
