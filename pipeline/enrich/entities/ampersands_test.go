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

// TestAmpersandBetweenTwoPeople (issue 15, round 30): "&" between two
// names of a given name and a surname each joins two people, not a
// firm's founders ("MAZEL TOV! Stacy Keibler & Jared Pobre Are Married!",
// set 35's uci-news:3743, read Jared Pobre as a company); a firm's "&"
// between surnames, words or one given name each is read as before.
func TestAmpersandBetweenTwoPeople(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "MAZEL TOV! Stacy Keibler & Jared Pobre Are Married! (DETAILS)", want: []string{"person:stacy_keibler", "person:jared_pobre"}, absent: []string{"organization:jared_pobre"}},
		{text: "Stacy Keibler & Jared Pobre are married, sources say.", want: []string{"person:stacy_keibler", "person:jared_pobre"}, absent: []string{"organization:stacy_keibler_jared_pobre"}},
		{text: "Friends of Maria Pellucci & Dana Marreck met on Sunday.", want: []string{"person:maria_pellucci", "person:dana_marreck"}},
		{text: "Shares of Marks & Spencer rose.", want: []string{"organization:marks_spencer"}},
		{text: "He bought shares in Crate & Barrel last year.", want: []string{"organization:crate_barrel"}},
		{text: "Johnson & Johnson recalls a drug.", want: []string{"organization:johnson_johnson"}},
		{text: "Tom Ford & Sons opened a store.", absent: []string{"person:tom_ford", "person:sons"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
