package entities

import "testing"

// TestElidedOfInsideAName: a run of capitalised words goes on through an
// elided "d'" and a capital into a name the gazetteer knows whole ("Côte
// d'Ivoire", either apostrophe) or a given name opens ("Jean
// d'Ormesson"); unknown words do not, or they would read as a person by
// their shape ("Saint-Pierre d'Uccle", a school).
func TestElidedOfInsideAName(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Players from Côte d'Ivoire arrived on Monday.", want: []string{"place:ci"}},
		{body: "Players from Côte d’Ivoire arrived on Monday.", want: []string{"place:ci"}},
		{body: "The writer Jean d'Ormesson spoke on Monday.", want: []string{"person:jean_d_ormesson"}, absent: []string{"person:jean"}},
		{body: "He went to one of the best schools, Saint-Pierre d’Uccle.", absent: []string{"person:saint_pierre_d_uccle", "person:saint_pierre_uccle"}},
	})
}
