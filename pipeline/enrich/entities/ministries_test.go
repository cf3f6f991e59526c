package entities

import "testing"

// TestLowerCaseMinistry: a government's ministry named in lower case
// after a country, a demonym or "the" is an organization; a portfolio
// word elsewhere names none.
func TestLowerCaseMinistry(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Norway's foreign ministry said on Friday the talks would resume.", want: []string{"organization:foreign_ministry", "place:no"}},
		{body: "A spokesman for the interior ministry declined to comment.", want: []string{"organization:interior_ministry"}},
		{body: "Foreign investment in health care rose sharply.", absent: []string{"organization:foreign_ministry", "organization:health_ministry"}},
	})
}

// TestDemonymListNoPlace: a word listed with a place named by its
// people's adjective is an adjective too ("Zorvela" beside "Indian", as "Latina"),
// while a word listed with a place's own name stays a place.
func TestDemonymListNoPlace(t *testing.T) {
	got := newX(t).Extract("News", "The agency hires Asian, Zorvela and Indian models.", "en")
	checkKeys(t, got, []string{"place:in"}, []string{"place:zorvela"})
	got = newX(t).Extract("News", "The tour visits Ruvelle and India next spring.", "en")
	checkKeys(t, got, []string{"place:in", "place:ruvelle"}, nil)
}
