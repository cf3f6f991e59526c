package keywords

import "testing"

// An adverb in -ly says how, not what: no keyword alone, no word of a
// phrase; the verb or adjective it qualifies is none either (round 28).
func TestAnAdverbIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "alone in a headline", title: "Stocks slip slightly", want: []string{"stocks"}, never: []string{"slightly", "stocks slip slightly"}},
		{name: "after a name", title: "Sbarro reportedly preparing for bankruptcy", want: []string{"sbarro", "bankruptcy"},
			never: []string{"sbarro reportedly", "reportedly"}},
		{name: "before a verb the lists lack", title: "T-Mobile CFO says the wireless industry will eventually consolidate",
			want: []string{"wireless industry"}, never: []string{"eventually consolidate", "consolidate", "eventually"}},
		{name: "before an -s verb and its object", title: "Men's Wearhouse Finally Snags Rival", want: []string{"rival"},
			never: []string{"snags rival", "finally snags", "snags"}},
		{name: "before an adjective", title: "Job openings relatively flat", want: []string{"job openings"},
			never: []string{"relatively flat", "flat", "relatively"}},
		{name: "in a sentence", title: "Greek conservatives open coalition talks",
			body:  "The leader of the party that narrowly won the election has begun talks, and the markets reacted dramatically.",
			never: []string{"narrowly", "dramatically"}},
		{name: "an adjective's -ily", title: "Gunmen attack concert hall", body: "Three heavily armed gunmen got out of a car outside the hall.",
			never: []string{"heavily", "heavily armed gunmen"}},
	})
}

// What ends in -ly as a noun's adjective or a noun is no adverb, and an
// adverb before a noun phrase leaves the phrase whole.
func TestAnLyWordThatIsNoAdverbIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a noun's adjective", title: "Deadly defect prompts recall of family cars", want: []string{"deadly defect"}},
		{name: "quarterly", title: "Apple quarterly earnings beat forecasts", want: []string{"apple quarterly earnings"}},
		{name: "a name", title: "Clooney dines with Kelly Brook in London", want: []string{"kelly brook"}},
		{name: "a noun phrase after it", title: "First lady backs military families",
			body: "She will work for women and families, particularly military families.", want: []string{"military families"}},
	})
	for _, w := range []string{"family", "rally", "supply", "assembly", "daily", "elderly", "friendly", "costly", "weekly", "early", "italy"} {
		if adverb(w) {
			t.Errorf("adverb(%q) = true", w)
		}
	}
	for _, w := range []string{"officially", "seriously", "tentatively", "purposefully", "lifelessly", "recently", "reportedly",
		"seemingly", "publicly", "similarly", "possibly", "easily", "sharply"} {
		if !adverb(w) {
			t.Errorf("adverb(%q) = false", w)
		}
	}
}
