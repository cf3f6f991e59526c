package entities

import "testing"

// TestAPossessiveOpensACompanysRegisteredName (issue 15, round 27): a
// founder's possessive opening a run that ends in a legal form is the
// company's registered name whole ("Dick's Sporting Goods Inc.",
// set 31's uci-news:5281, read as "Sporting Goods"), as a group's
// possessive before an unknown word is ("Men's Wearhouse"). A known body's
// possessive stays the owner of what follows ("Google's Nest Labs Inc.").
func TestAPossessiveOpensACompanysRegisteredName(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Dick's Sporting Goods Inc. (DKS) Releases Q1 Earnings Guidance", want: []string{"organization:dick_sporting_goods"}, absent: []string{"organization:sporting_goods"}},
		{title: "News", body: "Shares of Kessler's Fine Foods Inc. rose on Monday.", want: []string{"organization:kessler_fine_foods"}, absent: []string{"organization:fine_foods"}},
		{title: "News", body: "Kessler's Fine Foods Ltd said sales fell.", want: []string{"organization:kessler_fine_foods"}},
		{title: "News", body: "Google's Nest Labs Inc. makes thermostats.", want: []string{"organization:google"}, absent: []string{"organization:google_nest_labs"}},
		{title: "News", body: "Kessler's Fine Foods won praise in the review.", absent: []string{"organization:kessler_fine_foods"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestABodysNameKeepsItsMiddleInitial (issue 15, round 27): a run that
// ends in a body's noun keeps its initials ("Jos. A. Bank", "Jos A Bank",
// set 31 read as "Jos Bank" or not at all), which a person's name drops
// ("Donald J. Trump" is Donald Trump).
func TestABodysNameKeepsItsMiddleInitial(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Men's Wearhouse buys Jos. A. Bank", want: []string{"organization:men_wearhouse", "organization:jos_a_bank"}},
		{title: "Men's Wearhouse to buy Jos A Bank for $1.8B", want: []string{"organization:jos_a_bank"}, absent: []string{"organization:jos_bank"}},
		{title: "News", body: "Shares of Jos. A. Bank Clothiers Inc. rose.", want: []string{"organization:jos_a_bank_clothiers"}, absent: []string{"organization:bank_clothiers"}},
		{title: "News", body: "Donald J. Trump said so.", want: []string{"person:donald_trump"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestAGivenNamesAbbreviationOpensAName (issue 15, round 27): in a
// title-case headline one run spans the verb and the company after it;
// a given name's abbreviation before an initial opens the name ("To
// Acquire Jos. A. Bank" is Jos. A. Bank, not "Acquire Jos A Bank").
func TestAGivenNamesAbbreviationOpensAName(t *testing.T) {
	checkKeys(t, newX(t).Extract("Men's Wearhouse To Acquire Jos. A. Bank For $1.8 Billion", "", "en"),
		[]string{"organization:men_wearhouse", "organization:jos_a_bank"}, []string{"organization:acquire_jos_a_bank"})
	checkKeys(t, newX(t).Extract("Mens Wearhouse Nears Deal For Jos A Bank", "", "en"),
		[]string{"organization:jos_a_bank"}, []string{"organization:mens_wearhouse_nears_deal_for_jos_a_bank"})
}

// TestABodysNameCutInsideATitleCaseRunKeepsItsInitial: "Market Wrap: Men's
// Wearhouse/Jos. A. Bank Strike Deal" (set 33's uci-news:5329) read "Jos
// Bank": where a title-case run is cut after a body's noun ("Jos. A. Bank
// Sold To …"), the name kept the run's form with middle initials dropped
// for a person; a body keeps them, as it does when the run is its name alone.
func TestABodysNameCutInsideATitleCaseRunKeepsItsInitial(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Jos. A. Bank Sold To Men's Wearhouse", want: []string{"organization:jos_a_bank"}, absent: []string{"organization:jos_bank"}},
		{title: "Market Wrap: Men's Wearhouse/Jos. A. Bank Strike Deal; Fuel Cell Stocks Pop", want: []string{"organization:jos_a_bank"}, absent: []string{"organization:jos_bank"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
