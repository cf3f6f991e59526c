package entities

import "testing"

// TestARegnalNumberIsPartOfThePersonsKey (issue 15, round 45): "Queen
// Elizabeth II" was person:elizabeth while the gazetteer's "King Charles
// III" is person:charles_iii, and "Napoleon III", "Pope Benedict XVI",
// "King Henry VIII" and "Frasier Robinson III" (set 16's
// michelle.obama.15) were no one: the capitals of a roman numeral made
// the run no person's shape. One scheme for every regnal number: the
// name and its number are the key, the title is not ("person:elizabeth_ii",
// "person:leo_xiv", as "person:charles_iii"). A sequel's or a war's
// number after ordinary words is no one's ("World War II", "Galaxy Note
// III", "Star Wars VII").
func TestARegnalNumberIsPartOfThePersonsKey(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Queen Elizabeth II visits Canada", want: []string{"person:elizabeth_ii"}, absent: []string{"person:elizabeth"}},
		{title: "Queen Elizabeth II Opens Parliament", want: []string{"person:elizabeth_ii"}, absent: []string{"person:elizabeth"}},
		{title: "King Charles III visits Canada", want: []string{"person:charles_iii"}},
		{title: "Pope Leo XIV Names New Cardinals", want: []string{"person:leo_xiv"}},
		{title: "Story", body: "The Queen met Elizabeth II's guests. Queen Elizabeth II opened the session.", want: []string{"person:elizabeth_ii"}, absent: []string{"person:elizabeth"}},
		{title: "Story", body: "The building dates from the reign of Napoleon III, who rebuilt Paris.", want: []string{"person:napoleon_iii", "place:paris"}},
		{title: "Story", body: "Pope Benedict XVI resigned in 2013.", want: []string{"person:benedict_xvi"}},
		{title: "Story", body: "King Henry VIII had six wives.", want: []string{"person:henry_viii"}},
		{title: "Story", body: "His mother and her father, Frasier Robinson III, enjoyed a close relationship.", want: []string{"person:frasier_robinson_iii"}},
		{title: "Story", body: "King Juan Carlos I abdicated in favour of his son.", want: []string{"person:juan_carlos_i"}},
		{title: "Story", body: "After World War II, Europe was rebuilt.", absent: []string{"person:world_war_ii", "person:war_ii"}},
		{title: "Story", body: "Samsung's Galaxy Note III goes on sale.", absent: []string{"person:galaxy_note_iii", "person:note_iii"}},
		{title: "Story", body: "The Star Wars VII cast was announced.", absent: []string{"person:star_wars_vii", "person:wars_vii"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
