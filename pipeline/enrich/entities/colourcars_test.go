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
