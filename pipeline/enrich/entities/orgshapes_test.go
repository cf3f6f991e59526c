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

// TestIndustryNounEndsACompanyName (issue 15, round 25): an unknown
// capitalised name before the industry noun that ends so many companies'
// names is a company ("Halcyon Semiconductor", "Tarrant Mining"), as
// "Kestrel Motors" already was. A place before such a noun stays the place,
// as for every such noun ("Texas Energy": the state's industry, or a firm?).
func TestIndustryNounEndsACompanyName(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Shares of Halcyon Semiconductor rose 5 percent on Monday.", want: []string{"organization:halcyon_semiconductor"}},
		{body: "Halcyon Semiconductors said on Monday it would cut jobs.", want: []string{"organization:halcyon_semiconductors"}},
		{body: "Tarrant Mining and Corvin Systems were named in the suit.", want: []string{"organization:tarrant_mining", "organization:corvin_systems"}},
		{body: "Vantor Pharmaceuticals and Kestrel Motors reported results.", want: []string{"organization:vantor_pharmaceuticals", "organization:kestrel_motors"}},
		{body: "Output in Texas Energy fell, the report said.", want: []string{"place:texas"}, absent: []string{"organization:texas_energy"}},
	})
}
