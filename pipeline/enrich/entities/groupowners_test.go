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

// TestGroupPossessiveBeforeEvent: after a group's possessive a word the
// gazetteer knows or a competition's name makes an event's name, not a
// store's ("Women's Wimbledon final", "Men's Olympics"), and so does a
// word followed by a competition noun ("final", "title"); a hyphenated
// word after it is cut at the hyphen ("Men's Wearhouse-Jos. A. Bank
// Deal": the store is "Men's Wearhouse", review17 #4).
func TestGroupPossessiveBeforeEvent(t *testing.T) {
	checkCases(t, "", []keyCase{
		{body: "She reached the Women's Wimbledon final on Saturday.", absent: []string{"organization:women_wimbledon"}},
		{body: "He lost the Men's Wimbledon final.", absent: []string{"organization:men_wimbledon"}},
		{body: "She trained for the Women's Paralympics in March.", absent: []string{"organization:women_paralympics"}},
		{body: "He lost the Men's Lausanne final.", absent: []string{"organization:men_lausanne"}},
		{body: "She took the Women's Zorvath title in May.", absent: []string{"organization:women_zorvath"}},
		{body: "Suitor Standoff Ends with Men's Wearhouse-Jos. A. Bank Deal", want: []string{"organization:men_wearhouse"}, absent: []string{"organization:men_wearhouse_jos"}},
		{body: "Analysts said Men's Suitwerks rose after the bid.", want: []string{"organization:men_suitwerks"}},
	})
}
