package entities

import "testing"

// The car-make reading (round 41, ent41) over-reached on headlines no
// labelled set holds (kw41's review): a president's name read as the
// maker because a second make was in the sentence, the make being the
// possessive of a theatre's name ("Lincoln's assassination remembered at
// Ford's Theatre"); a make opening a longer name the gazetteer knows
// (Jaguar Land Rover) cut to the make; a city named with its state ("Lincoln,
// Nebraska car dealer") read as the make. The makes in car news still read.
func TestACarMakeIsNoTheatresNameNorAPieceOfALongerName(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Lincoln's assassination remembered at Ford's Theatre", absent: []string{"organization:lincoln"}},
		{title: "Ford's Theatre marks 150 years since Lincoln was shot", absent: []string{"organization:lincoln"}},
		{title: "Jaguar Land Rover plant expands", want: []string{"organization:jaguar_land_rover"}, absent: []string{"organization:jaguar"}},
		{title: "Lincoln, Nebraska car dealer charged with fraud", absent: []string{"organization:lincoln"}},
		// still makes
		{title: "Ford's Dearborn plant adds a shift", want: []string{"organization:ford"}},
		{title: "Chrysler will recall 25000 Jeep and Dodge SUVs for brakes", want: []string{"organization:jeep", "organization:dodge"}},
		{title: "Lincoln dealers brace for slow sales", want: []string{"organization:lincoln"}},
	})
}
