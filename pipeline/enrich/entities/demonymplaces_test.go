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

// TestAsianNamesAsia: "Asian" names Asia as "European" names Europe (the
// labels' convention since set 3: "Asian women", "Asian markets" -> Asia;
// set 33's "Asian markets slump"), while a compound of demonyms names no
// place ("the Asian-American community"), two compass words are one point
// of the compass ("South East Asian nations" is no "South East"), and a
// body that opens with it keeps its name.
func TestAsianNamesAsia(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Asian shares slipped after weak data from China.", want: []string{"place:asia", "place:cn"}},
		{body: "Stocks fell on weak Asian data.", want: []string{"place:asia"}},
		{body: "The Latino community and the Asian-American community voted.", absent: []string{"place:asia"}},
		{body: "The European-American relationship held.", absent: []string{"place:europe"}},
		{body: "Rivalries of the South East Asian nations run deep.", absent: []string{"place:south_east", "place:asia"}},
		{body: "The ships crossed South East Asia in May.", want: []string{"place:south_east_asia"}},
		{body: "The Asian Development Bank said growth would slow.", want: []string{"organization:asian_development_bank"}, absent: []string{"place:asia"}},
	})
}

// TestWallStreetIsAPlace: "Wall Street" and "Wall St" are a place (the
// labels' convention since debt.crisis.greece.179, sets 31-33), which the
// gazetteer lacked: read only where a street shape made it one ("trading
// on Wall Street"), never opening a headline ("Wall Street edges lower",
// set 33's uci-news:147 "… On Wall Street"). The newspaper keeps its name.
func TestWallStreetIsAPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Shares fell on Wall Street on Monday.", want: []string{"place:wall_street"}},
		{body: "Wall St opens lower after a record close.", want: []string{"place:wall_street"}},
		{body: "The Wall Street Journal reported it first.", want: []string{"organization:wall_street_journal"}, absent: []string{"place:wall_street"}},
	})
}
