package keywords

import "testing"

// An amount ("$2M", "£1.8bn") says how much, as "$2 million" does: no
// keyword alone and no word of a phrase (round 28).
func TestAnAmountIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "alone", title: "Colorado collects $2M in recreational pot taxes", want: []string{"colorado", "recreational pot taxes"},
			never: []string{"2m"}},
		{name: "before a noun", title: "Men's Wearhouse, Jos. A. Bank suit up in $1.8B deal", never: []string{"1.8b deal", "1.8b"}},
		{name: "in a sentence", title: "Liverpool sign Andy Carroll from Newcastle",
			body: "Liverpool have signed striker Andy Carroll from Newcastle for a club record fee of about £35m.",
			want: []string{"andy carroll"}, never: []string{"35m"}},
	})
	for _, w := range []string{"4g", "3d", "mh370", "s5", "q4", "2014", "m", "bn", ".5m"} {
		if amount(w) {
			t.Errorf("amount(%q) = true", w)
		}
	}
	for _, w := range []string{"2m", "1.8b", "5.136bn", "22billion", "150k", "5pc", "3.5mn", "1,200m"} {
		if !amount(w) {
			t.Errorf("amount(%q) = false", w)
		}
	}
}
