package entities

import "testing"

// TestOrgShapesRound13: three spellings of an organization the
// capitalised runs missed: a known maker before a model code ("Qualcomm
// QX9000": the maker, no body of the code), a site's address (the body
// the gazetteer knows by its name, else the site under its address, also
// after "of" and a person), and a known company whose name opens in lower
// case ("eBay"). A lower-case address is no name.
func TestOrgShapesRound13(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Inside sits a quad-core Qualcomm QX9000 chip and a large battery.", want: []string{"organization:qualcomm"}, absent: []string{"organization:qualcomm_qx9000"}},
		{body: "Dana Whitfield of Salon.com asked the first question.", want: []string{"organization:salon", "person:dana_whitfield"}},
		{body: "The rumour first ran on Brellisport.com on Monday.", want: []string{"organization:brellisportcom"}},
		{body: "Buyers can also bid for it on eBay this week.", want: []string{"organization:ebay"}},
		{body: "Details are at example.com for now.", absent: []string{"organization:examplecom", "organization:example"}},
	})
}
