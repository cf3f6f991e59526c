package entities

import "testing"

// A colour between the determiner and a known maker and a model ("a
// silver Renault Clio", how police describe a car) names the maker, as
// "a Renault Clio" does; the model is no person. Not a person after a
// colour word, nor a body whose name opens with one.
func TestAColourBeforeAMakeAndModelNamesTheMaker(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He drove a silver Renault Clio to work.", want: []string{"organization:renault"}, absent: []string{"person:renault_clio"}},
		{body: "Police sought a white Nissan Micra seen near the scene.", want: []string{"organization:nissan"}, absent: []string{"person:nissan_micra"}},
		{body: "The black Jack Smith album sold well.", want: []string{"person:jack_smith"}},
		{body: "She thanked the Red Cross.", want: []string{"organization:red_cross"}},
	})
}

// A car's make whose name is an ordinary word ("Seat", which the brand
// list leaves out as it does "Apple") is named by how news describes a
// car: a determiner and a colour before it ("a black Seat Leon", "a black
// Seat which carried them") or a vehicle's noun after it ("a Seat car", "a
// black Seat hatchback"). A colour before a party's or a people's word
// describes a person ("a black Republican", "a white Catholic"), and a
// colour before a word no dictionary holds ("a black Camelot") names no
// make.
func TestAMakeNamedByAnOrdinaryWordIsKnownByTheCarAroundIt(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Gunmen arrived in a black Seat Leon with handguns inside.", want: []string{"organization:seat"}, absent: []string{"person:seat_leon"}},
		{body: "Police traced a black Seat which carried one of the gangs.", want: []string{"organization:seat"}},
		{body: "The footage places him near where a Seat car was found.", want: []string{"organization:seat"}},
		{body: "They toured the night spots in a black Seat hatchback, toting rifles.", want: []string{"organization:seat"}},
		{body: "He became a black Republican in a white Catholic parish.", absent: []string{"organization:republican", "organization:catholic"}},
		{body: "Some called it a black Camelot for the new era.", absent: []string{"organization:camelot"}},
		{body: "She sat in a Police car outside.", absent: []string{"organization:police"}},
	})
}
