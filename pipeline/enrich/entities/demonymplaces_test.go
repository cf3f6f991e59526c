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

// The Vatican is a state, a place (ISO VA), also when it speaks ("The
// Vatican called it an attack"), as a country speaking for its
// government is; the gazetteer listed it as an organization too, which
// won, so the state was never named.
func TestTheVaticanIsAPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The Vatican called it an attack on peace for all humanity.", want: []string{"place:va"}, absent: []string{"organization:vatican"}},
		{body: "Envoys of the Holy See met in Rome on Monday.", want: []string{"place:va"}, absent: []string{"organization:vatican"}},
	})
}
