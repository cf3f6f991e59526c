package entities

import "testing"

// TestABracketedTagAfterTheHeadlinesVerbMakesNoBody (issue 15, round 30):
// capitals in brackets right after a person-shaped name are its short
// form and make it a body ("Democratic Rally (DISY)"), but a headline's
// tag after its verb is not: "MAZEL TOV! Stacy Keibler & Jared Pobre Are
// Married! (DETAILS)" (set 35's uci-news:3743) read Jared Pobre as a
// company. The short form follows the name and opens with its letter.
func TestABracketedTagAfterTheHeadlinesVerbMakesNoBody(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Jared Pobre Is Married (DETAILS)", want: []string{"person:jared_pobre"}, absent: []string{"organization:jared_pobre"}},
		{text: "Stacy Keibler and Jared Pobre Are Married! (PICS)", want: []string{"person:stacy_keibler", "person:jared_pobre"}, absent: []string{"organization:jared_pobre"}},
		{text: "Voters backed the Democratic Rally (DISY) on Sunday.", absent: []string{"person:democratic_rally"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
