package entities

import "testing"

// TestRiverBankSides: "Left Bank" and "Right Bank" are a river's sides,
// places, though "Bank" ends a body's name; a named bank is still one.
func TestRiverBankSides(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "They strolled along the Left Bank and the Right Bank of the Seine.", want: []string{"place:left_bank", "place:right_bank"}, absent: []string{"organization:left_bank", "organization:right_bank"}},
		{body: "Left Bank cafes were full on Saturday.", want: []string{"place:left_bank"}, absent: []string{"organization:left_bank"}},
		{body: "The Asian Development Bank said growth would slow.", want: []string{"organization:asian_development_bank"}},
	})
}
