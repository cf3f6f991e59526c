package entities

import "testing"

// TestRound17LeftOverShapes: the shapes round 17's first entity branch
// left open. A sentence's opening noun for a group and its "of" are no
// part of the name after them; a body's noun and a lower-case "for" go on
// with the body's field; a word no list knows and "State" are a state.
func TestRound17LeftOverShapes(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Shares of Harbin Electric Group rose on Monday.", want: []string{"organization:harbin_electric_group"}, absent: []string{"organization:shares_of_harbin_electric_group"}},
		{body: "Residents of Marin County protested on Monday.", want: []string{"place:marin_county"}, absent: []string{"place:of_marin_county"}},
		{body: "Officials of the World Health Organization came.", want: []string{"organization:who"}},
		{body: "The Bank of England held rates.", want: []string{"organization:bank_of_england"}},
		{body: "The Corvanti Institute for Policy Research said prices rose.", want: []string{"organization:corvanti_institute_for_policy_research"}, absent: []string{"organization:corvanti_institute"}},
		{body: "The Campaign for Nuclear Disarmament marched.", want: []string{"organization:campaign_for_nuclear_disarmament"}},
		{body: "Officials in Kerala State said the floods were the worst in a century.", want: []string{"place:kerala_state"}, absent: []string{"person:kerala_state"}},
		{body: "US Secretary of State Hillary Clinton had earlier said so.", absent: []string{"place:of_state", "place:state"}},
	})
}
