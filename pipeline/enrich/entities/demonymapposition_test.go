package entities

import "testing"

// TestAPluralDemonymBeforeANameIsItsPlace (issue 15, round 30):
// "Brazilians Denilson and Eduardo hail from Sao Paulo and Rio" (set 35's
// premier.league.126 p27) read "Brazilians Denilson" as one person; a
// demonym's plural opening a run before a name is the people's country,
// and the name after it a person of them. A longer name the gazetteer
// knows, and a demonym before an ordinary word, are read as before.
func TestAPluralDemonymBeforeANameIsItsPlace(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Brazilians Denilson and Eduardo hail from Sao Paulo and Rio respectively.", want: []string{"place:br", "person:denilson", "person:eduardo"}, absent: []string{"person:brazilians_denilson"}},
		{text: "He said Indonesians Wiranto and Prabowo would meet.", want: []string{"place:id", "person:wiranto"}},
		{text: "Seven Indonesians were rescued.", want: []string{"place:id"}},
	} {
		checkKeys(t, newX(t).Extract("", tt.text, "en"), tt.want, tt.absent)
	}
}
