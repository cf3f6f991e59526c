package entities

import "testing"

// TestPlacePartyBranch: a place before a party the gazetteer knows names
// the party's branch there, one body, not the place and the national
// party. The first body is from wikiref220 (michelle.obama.62, a
// development set), the second invented.
func TestPlacePartyBranch(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Obama's half brother lives destitute in a shanty. (The Texas Republican Party promptly turned the news into an attack.)",
			want: []string{"organization:texas_republican_party"}, absent: []string{"place:texas", "organization:republican_party"}},
		{body: "The Republican Party held its convention in Texas.", want: []string{"organization:republican_party", "place:texas"}},
	})
}

// A party's gathering named whole ("the Democratic National Convention",
// "the Conservative Party Conference" aside, whose party is in its name)
// is an event, which names no party, as the label files read it since
// set 12; a party's adjective before a role or its nominee still names
// the party.
func TestAPartysConventionNamesNoParty(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The first day of the Democratic National Convention on Monday featured her.", absent: []string{"organization:democratic_party"}},
		{body: "Delegates left the Republican National Convention on Thursday.", absent: []string{"organization:republican_party"}},
		{body: "When she takes the stage at the Democratic National Convention Monday evening, she will speak.", absent: []string{"organization:democratic_party"}},
		{body: "Clinton became the Democratic presidential nominee in Ohio.", want: []string{"organization:democratic_party"}},
		{body: "Democratic Senator Jon Tester said no.", want: []string{"organization:democratic_party"}},
	})
}
