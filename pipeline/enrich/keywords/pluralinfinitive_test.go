package keywords

import "testing"

// A plain verb after a plural subject, before "to" and a verb ("celebs
// campaign to stop", "champions stand to pick up", "foreign insurers
// lobby to open up") is the plural's verb: "celebs campaign", "champions
// stand" were keywords. Where the word before is itself the verb
// ("secures deal to buy", purposeAhead), the plain word is its object
// noun.
func TestAPlainVerbAfterAPluralBeforeAnInfinitiveIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "headline", title: "Beyonce and other celebs campaign to stop girls being called bossy", never: []string{"celebs campaign", "campaign"}},
		{name: "the -s word is the verb", title: "Men's Wearhouse secures deal to buy Jos A Bank", want: []string{"deal"}},
	})
}
