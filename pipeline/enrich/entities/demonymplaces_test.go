package entities

import "testing"

// TestEuropeanNamesEuropeRound17: "European" names Europe, as a country's
// adjective names the country (the labels' convention: "European
// football" -> Europe); the bodies that open with it keep their names.
func TestEuropeanNamesEuropeRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The club earns more than any other in European football.", want: []string{"place:europe"}},
		{body: "Chelsea could miss out on European competition next season.", want: []string{"place:europe"}},
		{body: "The European Commission said the European Central Bank agreed.", want: []string{"organization:european_commission", "organization:ecb"}, absent: []string{"place:europe"}},
	})
}
