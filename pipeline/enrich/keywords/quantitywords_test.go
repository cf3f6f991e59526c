package keywords

import "testing"

// A quantity word is no phrase's word, as an amount's digits are none
// ("2m deal" gives "deal"): "$3.5 million deal" gives "deal", not
// "million deal" (round 29).
func TestAQuantityWordIsNoPhrasesWord(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "million", title: "Lindsay Lohan signs $2 million book deal", want: []string{"book deal"}, never: []string{"million book deal", "million"}},
		{name: "billion", title: "Men's Wearhouse agrees $1.8 billion deal", want: []string{"deal"}, never: []string{"billion deal"}},
		{name: "dozen", title: "A dozen countries search for the plane", never: []string{"dozen countries"}},
	})
}
