package entities

import "testing"

// TestWaterOfPlace: a water's head, "of" and a name is the water, a place
// named whole ("the Gulf of Thailand", "the Strait of Malacca"), not the
// country or town after "of"; a bank "of" a country is still a bank.
func TestWaterOfPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Ships searched the Gulf of Thailand and the Strait of Malacca.", want: []string{"place:gulf_of_thailand", "place:strait_of_malacca"}, absent: []string{"place:th"}},
		{body: "The plane may have crossed the Bay of Bengal or the Sea of Japan.", want: []string{"place:bay_of_bengal", "place:sea_of_japan"}, absent: []string{"place:jp"}},
		{body: "The Bank of Thailand raised rates.", want: []string{"organization:bank_of_thailand"}},
		{body: "Tankers avoid the Strait of Hormuz, Iran said.", want: []string{"place:strait_of_hormuz", "place:ir"}},
	})
}
