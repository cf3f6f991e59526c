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
