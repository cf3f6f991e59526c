package entities

import "testing"

// TestDottedStateAbbreviations: a US state's or the District's dotted
// postal abbreviation after a town (AP style) is the state, not an
// organization by its capitals; undotted, the letters are left as they
// were ("SD card", "SC Freiburg"), and a club or a school that opens with
// the dotted form keeps its name.
func TestDottedStateAbbreviations(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She grew up in Columbia, S.C., and moved to Chicago.", want: []string{"place:south_carolina"}, absent: []string{"organization:sc", "person:s_c"}},
		{body: "The rally in Washington, D.C., drew thousands.", want: []string{"place:washington_dc"}, absent: []string{"organization:dc"}},
		{body: "He lives in Trenton, N.J., with his family.", want: []string{"place:new_jersey"}, absent: []string{"organization:nj"}},
		{body: "D.C. United won on Saturday.", want: []string{"organization:dc_united"}, absent: []string{"place:washington_dc"}},
		{body: "It has an SD card slot.", absent: []string{"place:south_dakota"}},
		{body: "SC Freiburg won at home.", absent: []string{"place:south_carolina"}},
	})
}
