package entities

import "testing"

// TestALetterPairThatIsACommonNounIsNoFirm (issue 15, round 30): "Q&A:
// Here's what to know about GM recall" (set 35's uci-news:5750) named Q&A
// a company by its "&"; Q&A, R&D and M&A abbreviate common nouns. Firms
// written so are read as before.
func TestALetterPairThatIsACommonNounIsNoFirm(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Q&A: Here's what to know about GM recall", want: []string{"organization:general_motors"}, absent: []string{"organization:qa"}},
		{text: "Spending on R&D rose as M&A slowed.", absent: []string{"organization:rd", "organization:ma"}},
		{text: "AT&T and Verizon cut prices", want: []string{"organization:att", "organization:verizon"}},
		{text: "H&M opens a store.", want: []string{"organization:hm"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
