package entities

import "testing"

// TestTwoUnknownWordsOpeningATitleCaseHeadlineBeforeAColonOrCommaAreAPerson
// (issue 15, round 35: a person whose given name no list holds, the
// people misses' second cause on the headline sets, six of them one
// actress's): two capitalised words that no dictionary, name list or
// gazetteer holds, opening a title-case headline right before its colon
// or comma, name the one the headline is about or quotes ("Shailene
// Woodley: I Don't Own a Cellphone!", "Shailene Woodley, 10 Things …").
// Not a known name, an ordinary word ("Flappy Bird: …", "Titanfall
// Review: …"), nor a word in capitals.
func TestTwoUnknownWordsOpeningATitleCaseHeadlineBeforeAColonOrCommaAreAPerson(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Quinnelle Ardwick: I Don't Own a Cellphone!", want: []string{"person:quinnelle_ardwick"}},
		{title: "Quinnelle Ardwick, 10 Things You Never Knew About Her New Film", want: []string{"person:quinnelle_ardwick"}},
		{title: "Flappy Bird: The Game Returns To Stores", absent: []string{"person:flappy_bird"}},
		{title: "Mt Gox: Customers Demand Answers", absent: []string{"person:mt_gox"}},
		{title: "XBOX ONE: The Launch Reviewed", absent: []string{"person:xbox_one"}},
	})
}
