package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A resolved entity's canonical name is a keyword only where the story
// spells it: "UK MPs" resolves to United Kingdom, but a person picks the
// story's own "uk mps", once, not "united kingdom" beside it (round 28,
// kwresolve28: the stories of uci-news 4960 and wikiref's debt.crisis.greece
// 179). The entity's key keeps the canonical form; only the keyword does not
// invent a spelling.
func TestAnUnspelledCanonicalNameIsNoKeyword(t *testing.T) {
	uk := record.Entity{Key: "place:gb", Name: "United Kingdom", Kind: "place", ISO: "GB", Mentions: 1, InTitle: true}
	us := record.Entity{Key: "place:us", Name: "United States", Kind: "place", ISO: "US", Mentions: 1, InTitle: true}
	runKeywordCases(t, []keywordCase{
		{name: "uk mps", title: "UK MPs to question Carney over forex supervision",
			ents: []record.Entity{uk}, want: []string{"uk mps"}, never: []string{"united kingdom"}},
		{name: "u.s. data", title: "Stocks fall after weak U.S. data",
			ents: []record.Entity{us}, never: []string{"united states"}},
		{name: "gm", title: "GM recalls 1.6 million cars",
			ents: []record.Entity{{Key: "org:general_motors", Name: "General Motors", Kind: "organization", Mentions: 1, InTitle: true}},
			want: []string{"gm"}, never: []string{"general motors"}},
		{name: "uk alone", title: "UK unemployment falls to five-year low",
			ents: []record.Entity{uk}, never: []string{"united kingdom"}},
	})
}

// Where the story spells the name, it stays a keyword, whole; where its
// short form can be no keyword, the name stands for it: "US" is the
// pronoun "us" to the picker.
func TestASpelledCanonicalNameIsKept(t *testing.T) {
	uk := record.Entity{Key: "place:gb", Name: "United Kingdom", Kind: "place", ISO: "GB", Mentions: 2, InTitle: true}
	runKeywordCases(t, []keywordCase{
		{name: "spelled out", title: "United Kingdom inflation falls to four-year low",
			body: "Inflation in the United Kingdom fell again in March.",
			ents: []record.Entity{uk}, want: []string{"united kingdom"}},
		{name: "us oil", title: "US oil falls on weak Chinese data",
			ents: []record.Entity{{Key: "place:us", Name: "United States", Kind: "place", ISO: "US", Mentions: 1, InTitle: true}},
			want: []string{"united states"}},
	})
}
