package entities

import "testing"

// TestPersonAppositionRound14: a word no list knows and a town's name,
// which an apposition after a comma calls by a title, are a person; a
// town an apposition describes as a place, or a dictionary word before
// the town, stays the town.
func TestPersonAppositionRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Ewart Houston, the retired air chief marshal leading the search, said the area was vast.", want: []string{"person:ewart_houston"}, absent: []string{"place:houston"}},
		{body: "Later Ewart Houston, a former defence chief, spoke to reporters.", want: []string{"person:ewart_houston"}},
		{body: "Downtown Houston, the state's largest city, was flooded.", want: []string{"place:houston"}, absent: []string{"person:downtown_houston"}},
		{body: "Floods hit Houston, the state's largest city.", want: []string{"place:houston"}},
	})
}
