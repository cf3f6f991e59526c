package entities

import "testing"

// TestGroupPossessiveNamesRound15: a group's possessive ("Men's",
// "Children's") before a word no dictionary holds opens one name, a
// store's or a brand's, in a title-case headline too ("Men's Wearhouse"
// was the body "Men" or "Wearhouse", or nothing); another word's
// possessive stays its owner's ("Apple's CarPlay"), and a dictionary word
// after a group's makes no name ("Men's Final").
func TestGroupPossessiveNamesRound15(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Analysts said Men's Suitwerks rose after the bid.", want: []string{"organization:men_suitwerks"}, absent: []string{"organization:suitwerks", "organization:men"}},
		{body: "Analysts expect Children's Plazzo to report on Monday.", want: []string{"organization:children_plazzo"}},
		{body: "Apple's CarPlay reached older cars.", want: []string{"organization:apple"}, absent: []string{"organization:apple_carplay"}},
		{body: "She won the Men's Final commentary prize.", absent: []string{"organization:men_final"}},
	})
	checkCases(t, "", []keyCase{
		{body: "Men's Suitwerks Agrees to Buy Rival Chain", want: []string{"organization:men_suitwerks"}, absent: []string{"organization:men_suitwerks_agrees"}},
	})
}
