package keywords

import "testing"

// A superlative alone is no keyword: it says how much of something, and
// the something is the keyword ("Public transportation reaches highest
// levels since 1956" gives no "highest"; round 44's dev headlines gave
// "highest" ten times, "biggest", "funniest", "creepiest"). Its phrase
// stays ("biggest loser"), and a word in -est that is no superlative
// (its -er form no word: "interest", "protest", "southwest") stays.
func TestASuperlativeAloneIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "highest", title: "Public transportation reaches highest levels since 1956",
			want: []string{"public transportation"}, never: []string{"highest"}},
		{name: "funniest, -iest", title: "Watch the funniest moments from the show",
			never: []string{"funniest"}},
		{name: "its phrase stays", title: "Shakira turns out to be biggest loser in final",
			want: []string{"biggest loser"}},
		{name: "no superlative: interest", title: "Bank of England holds interest rates",
			want: []string{"interest rates"}},
	})
	for w, want := range map[string]bool{"highest": true, "biggest": true, "funniest": true, "creepiest": true, "latest": true,
		"interest": false, "protest": false, "southwest": false, "honest": false, "modest": false, "test": false, "bucharest": false} {
		if got := superlative(w); got != want {
			t.Errorf("superlative(%q) = %v, want %v", w, got, want)
		}
	}
}
