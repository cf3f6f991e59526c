package entities

import "testing"

// TestAStatesNameBeforeCountyNamesTheCounty (issue 15, round 30): "Wyoming
// County woman selected for …" (set 35's uci-news:3905) named the state of
// Wyoming; a US state's name and a capitalised "County" or "Parish" name
// a county elsewhere, keyed whole. A county the gazetteer knows, or one
// of another name, is read as before, and so is the state alone.
func TestAStatesNameBeforeCountyNamesTheCounty(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Wyoming County woman selected for a talent show", want: []string{"place:wyoming_county"}, absent: []string{"place:wyoming"}},
		{text: "A Delaware County deputy was hurt on Monday.", want: []string{"place:delaware_county"}, absent: []string{"place:delaware"}},
		{text: "Police said a Washington County deputy was hurt.", want: []string{"place:washington_county"}},
		{text: "Derby County beat Leeds United 3-1.", want: []string{"organization:derby_county"}},
		{text: "Officials in Cook County said on Monday.", want: []string{"place:cook_county"}},
		{text: "Voters in Wyoming rejected the plan.", want: []string{"place:wyoming"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
