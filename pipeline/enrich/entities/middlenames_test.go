package entities

import "testing"

// TestTwoMiddleNames: a first and last name fold into the same name with
// two middle names, a biography's full birth name ("Michelle LaVaughn
// Robinson Obama" … "Michelle Obama"), as with one; another first name
// with the same surname stays apart.
func TestTwoMiddleNames(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Michelle LaVaughn Robinson Obama was born in Chicago. Michelle Obama later studied at Princeton.", want: []string{"person:michelle_lavaughn_robinson_obama"}, absent: []string{"person:michelle_obama"}},
		{body: "John Fitzgerald Kennedy won in 1960. John Kennedy was 43.", want: []string{"person:john_fitzgerald_kennedy"}, absent: []string{"person:john_kennedy"}},
		{body: "Michelle LaVaughn Robinson Obama spoke. Barack Obama listened.", want: []string{"person:michelle_lavaughn_robinson_obama", "person:barack_obama"}},
	})
}
