package entities

import "testing"

// TestDemonymPluralsRound14: a country's people named by the regular plural
// of its demonym stand for the country, as the singular does, also after a
// sentence's opening number; inside a longer name they do not.
func TestDemonymPluralsRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Seven Indonesians and four Iraqis were among the passengers.", want: []string{"place:id", "place:iq"}},
		{body: "Many Pakistanis voted, and Kenyans waited for the count.", want: []string{"place:pk", "place:ke"}},
		{body: "The Cleveland Indians won on Sunday.", absent: []string{"place:in"}},
		{body: "American Indians marched to the capitol.", absent: []string{"place:in"}},
	})
}
