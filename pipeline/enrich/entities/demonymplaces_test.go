package entities

import "testing"

// TestDemonymPlacesRound17: the adjectives of England, Wales, Scotland,
// Europe and Asia name their place, as a country's adjective names the
// country ("English clubs" → England, the labels' convention); an
// adjective used of a language ("to study English", "published in French
// on Monday", "an English translation") or opening a people's compound
// ("Asian-American") names none.
func TestDemonymPlacesRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The ban kept English clubs out of the cup for five years.", want: []string{"place:england"}},
		{body: "Two Welsh clubs and a Scottish side asked to join the competition.", want: []string{"place:wales", "place:scotland"}},
		{body: "The club earns more than any other in European football.", want: []string{"place:europe"}},
		{body: "Several Asian nations are wary of the plan.", want: []string{"place:asia"}},
		{body: "As a boy he got up early to study English with his mother.", absent: []string{"place:england"}},
		{body: "The statement was published in French on Monday.", absent: []string{"place:fr"}},
		{body: "An English translation of the letter was released.", absent: []string{"place:england"}},
		{body: "The Asian-American vote went to the senator.", absent: []string{"place:asia"}},
		{body: "The Italian police said the French government agreed.", want: []string{"place:it", "place:fr"}},
		{body: "Reporters working on the Turkish-Syrian border were held.", want: []string{"place:tr"}},
	})
}
