package entities

import "testing"

// TestAmpersandBetweenPlaces: "&" between two places the gazetteer knows
// (a site's region menu) joins the two places, each read alone, not a
// firm's name; a firm's "&" is read as before, and so is a country whose
// name has one.
func TestAmpersandBetweenPlaces(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "World\nMiddle East & North Africa\nUS & Canada\n", want: []string{"place:middle_east", "place:north_africa", "place:us", "place:ca"}, absent: []string{"organization:middle_east_north_africa", "organization:us_canada", "place:africa"}},
		{body: "Trade between Britain & France grew last year.", want: []string{"place:gb", "place:fr"}},
		{body: "Visitors to Trinidad & Tobago rose.", want: []string{"place:tt"}},
		{body: "Shares of Marks & Spencer rose.", want: []string{"organization:marks_spencer"}},
		{body: "Brighton & Hove Albion won on Saturday.", want: []string{"organization:brighton_hove_albion"}},
	})
}

// TestAmpersandSectionHeading: a line that is one capitalised run with
// ordinary words either side of its "&" is a site's section ("Science &
// Environment"), no body; in running text, or with a body's word at its
// end, "&" still names a firm.
func TestAmpersandSectionHeading(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Home\nScience & Environment\nCompanies Markets Global Economy Lex Comment Management Personal Finance Life & Arts \n", absent: []string{"organization:science_environment", "organization:companies_markets_global_economy_lex_comment_management_personal_finance_life_arts"}},
		{body: "He bought shares in Crate & Barrel last year.", want: []string{"organization:crate_barrel"}},
		{body: "Contents\nBrown & Partners\n", want: []string{"organization:brown_partners"}},
	})
}
