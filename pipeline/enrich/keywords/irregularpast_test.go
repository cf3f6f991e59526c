package keywords

import "testing"

// A verb's irregular past that only the past spells so ("flew", "bought",
// "struck") is no keyword nor a phrase's word: "wife flew", "plane flew",
// "bought" alone were keywords.
func TestAnIrregularPastIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "in a sentence", title: "Michelle Obama finds her role on the world stage",
			body: "Barack Obama and his wife flew to London together.", never: []string{"wife flew", "flew"}},
		{name: "after a name", title: "Premier League lands TV rights bonanza",
			body: "British broadcasting shifted after BT bought a large slice of televised football rights.", never: []string{"bought"}},
		{name: "in a headline", title: "Tsunami struck north-east coast, officials say", never: []string{"struck", "tsunami struck"}},
	})
}
