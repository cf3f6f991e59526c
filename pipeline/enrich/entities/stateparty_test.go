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
