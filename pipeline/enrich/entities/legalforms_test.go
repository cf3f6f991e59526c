package entities

import "testing"

// TestLegalFormsRound14: a company's legal form is dropped from its name,
// so the story's later, shorter mention is the same company, and it makes
// the name before it a company's, even after a role noun; an ordinary
// word and a connector before the company are left out, and a company
// the gazetteer knows keeps its own key.
func TestLegalFormsRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Harwell Widgets Plc cut 200 jobs. Harwell Widgets said demand had fallen.", want: []string{"organization:harwell_widgets"}, absent: []string{"organization:harwell_widgets_plc"}},
		{body: "According to accountant Brightmoor LLP, the two clubs earn the most.", want: []string{"organization:brightmoor"}, absent: []string{"person:brightmoor_llp"}},
		{body: "Shares of Quillon Media Inc rose 4 percent.", want: []string{"organization:quillon_media"}, absent: []string{"organization:shares_of_quillon_media_inc"}},
		{body: "Citigroup Inc and Volkswagen AG reported results.", want: []string{"organization:citigroup", "organization:volkswagen"}, absent: []string{"organization:citigroup_inc", "organization:volkswagen_ag"}},
	})
}

// TestLegalFormsHeadlineRound14: a headline's words before a company the
// gazetteer knows and its legal form are no part of the company's name.
func TestLegalFormsHeadlineRound14(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Will Apple Inc. Impress Investors In 2014?", "", "en"), []string{"organization:apple"}, []string{"organization:will_apple"})
}

// TestATickerInBracketsEndsAPossessivesCompanyName (issue 15, round 29):
// a stock ticker in brackets after a founder's possessive and the words
// after it ends the company's name as a legal form does ("Dick's Sporting
// Goods (DKS)", set 34's uci-news:5296), in a title-case headline and in
// running text alike; a ticker without the exchange's suffix is capitals
// alone in the brackets. One word after the possessive is not enough
// ("Kessler's Foods (KF)" may be the product's acronym).
func TestATickerInBracketsEndsAPossessivesCompanyName(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Trading Update for Dick's Sporting Goods (DKS)", want: []string{"organization:dick_sporting_goods"}},
		{text: "Shares of Dick's Sporting Goods (DKS) fell 5 percent on Tuesday.", want: []string{"organization:dick_sporting_goods"}},
		{text: "Tovalla's Fine Foods (TFF) Beats Estimates", want: []string{"organization:tovalla_fine_foods"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// TestCapitalsInBracketsNotOpeningWithTheOwnersLetterAreNoTicker (issue
// 15, round 30): after a possessive and two or more capitalised words,
// capitals in brackets that do not open with the possessive's first
// letter are no company's ticker but a thing's acronym: "Obama's Health
// Care Law (ACA)" names a law, not a listed company "Obama's Health Care
// Law". A ticker opens with its company's letter (DKS, JOSB, MW), and
// those still end the name.
func TestCapitalsInBracketsNotOpeningWithTheOwnersLetterAreNoTicker(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Obama's Health Care Law (ACA) Faces A New Test", absent: []string{"organization:obama_health_care_law"}},
		{text: "Republicans target Obama's Health Care Law (ACA) again.", absent: []string{"organization:obama_health_care_law"}},
		{text: "Tovalla's Farm Bill Plan (FBP) Draws Fire", absent: []string{"organization:tovalla_farm_bill_plan"}},
		{text: "Trading Update for Dick's Sporting Goods (DKS)", want: []string{"organization:dick_sporting_goods"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
