package entities

import "testing"

// TestAPersonTheStreamKnowsOpensNoBodyInATitleCaseHeadline: in a title-case
// headline a run that opens on a person's surname ("Cyrus Tour News:
// Singer Cancels Shows"), or on a full name anywhere ("Liam Hemsworth and
// Miley Cyrus Breakup News: …"), and runs on through ordinary words into a
// body's noun reads as one body whose first word is the person's. Once the
// stream's earlier stories named the person whole (the alias map answers
// for the word: surnames and given names the stream's people use, not a
// list), the run is that person. A run whose words after the name are all
// a body's nouns ("Dimon Capital Partners Files For IPO") stays a body, as
// does a body the gazetteer knows; a fresh recognizer reads as before
// (issue 15, round 37).
func TestAPersonTheStreamKnowsOpensNoBodyInATitleCaseHeadline(t *testing.T) {
	earlier := []string{
		"Miley Cyrus performs in Las Vegas", "Miley Cyrus cancels a concert",
		"Jamie Dimon gets a raise", "Jamie Dimon speaks at conference",
		"Beyonce Knowles joins campaign", "Beyonce Knowles sings at the Super Bowl",
	}
	checkTitlesAfterEarlier(t, earlier, []string{"person:miley_cyrus", "person:beyonce_knowles"}, []headlineCase{
		{title: "Cyrus Tour News: Singer Cancels Shows", want: []string{"person:miley_cyrus"}, absent: []string{"organization:cyrus_tour_news"}},
		{title: "Liam Hemsworth and Miley Cyrus Breakup News: 'Adore You' Singer Disses", want: []string{"person:liam_hemsworth", "person:miley_cyrus"}, absent: []string{"organization:miley_cyrus_breakup_news"}},
		{title: "Beyonce And Other Stars Seek To Empower Women In New Campaign!", want: []string{"person:beyonce_knowles"}},
		{title: "Dimon Capital Partners Files For IPO", want: []string{"organization:dimon_capital_partners"}, absent: []string{"person:jamie_dimon"}},
	})
}
