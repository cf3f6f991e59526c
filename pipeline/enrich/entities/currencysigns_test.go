package entities

import "testing"

// TestACountrysLettersBeforeADollarSignNameNoPlace (issue 15, round 30):
// "Neil Young launches US$399 Pono Music player" (set 35's uci-news:3399)
// named the United States; "US$", "A$" and "HK$" are currencies' signs,
// which name no place (as set 35 labels currencies). The letters with a
// space before the sign, or alone, are read as before.
func TestACountrysLettersBeforeADollarSignNameNoPlace(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Neil Young launches US$399 Pono Music player", want: []string{"person:neil_young"}, absent: []string{"place:us"}},
		{text: "Oil falls below US$108 on China data", want: []string{"place:cn"}, absent: []string{"place:us"}},
		{text: "The US economy grew.", want: []string{"place:us"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
