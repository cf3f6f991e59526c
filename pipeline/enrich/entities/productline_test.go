package entities

import "testing"

// TestMakerBeforeProductLineAndCode pins chunk's product-line branch
// (issue 15, round 22): a maker the gazetteer knows by its first word, a
// product line's capitalised name and a model code name the maker, as a
// maker and a code alone do ("Qualcomm MSM8974"); a line and a code with
// no known maker before them name no body.
func TestMakerBeforeProductLineAndCode(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The first camera to use it was the Nikon Coolpix P900.", want: []string{"organization:nikon"}},
		{body: "He used a Fujifilm FinePix F300EXR on the trip.", want: []string{"organization:fujifilm"}},
		{body: "He used the Quorvex Lumo X200 on the trip.", absent: []string{"organization:quorvex", "organization:lumo"}},
	})
}
