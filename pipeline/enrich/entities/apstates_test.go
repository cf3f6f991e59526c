package entities

import "testing"

// TestAPStateAfterTown pins apStateAfterTown (issue 15, round 22): AP
// style's abbreviation of a state, with its dot, after a town and a comma
// names the state; the same letters elsewhere ("Ill." in no such place,
// "Mass" as a word) name none.
func TestAPStateAfterTown(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She grew up in Madison, Wis., and moved to Chicago.", want: []string{"place:wisconsin", "place:madison", "place:chicago"}},
		{body: "He lives in Pasadena, Calif., with his wife.", want: []string{"place:california", "place:pasadena"}},
		{body: "He was born in Flint, Mich., in 1970.", want: []string{"place:michigan"}},
		{body: "Mass protests followed. He was Ill. Nobody came.", absent: []string{"place:massachusetts", "place:illinois"}},
	})
}
