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

// TestARetailersNounEndsItsName (issue 15, round 27): "Outfitters" and
// "Clothiers" end a retailer's name even after ordinary words ("American
// Eagle Outfitters", set 31's uci-news:4645, read as the United States by
// its demonym); in a title-case headline, where one run spans the company
// and the words after it, such a noun or an industry noun after a name of
// its own ends the company's name there ("Tarrant Mining Profit Falls").
// A place before it stays the place, ordinary words before an industry
// noun stay no company ("Commercial Properties Slump").
func TestARetailersNounEndsItsName(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "News", body: "Shares of American Eagle Outfitters fell 5 percent.", want: []string{"organization:american_eagle_outfitters"}, absent: []string{"place:us"}},
		{title: "News", body: "Kestrel Outfitters said sales fell.", want: []string{"organization:kestrel_outfitters"}},
		{title: "American Eagle Outfitters Shares Lower on Forecast", want: []string{"organization:american_eagle_outfitters"}, absent: []string{"place:us"}},
		{title: "Tarrant Mining Profit Falls After Strike", want: []string{"organization:tarrant_mining"}},
		{title: "China Mining Output Falls Again", want: []string{"place:cn"}, absent: []string{"organization:china_mining"}},
		{title: "Commercial Properties Slump As Rates Rise", absent: []string{"organization:commercial_properties"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
