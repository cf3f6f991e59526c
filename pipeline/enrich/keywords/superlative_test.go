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

// A word in -est whose -er form is a word is no superlative when the
// word takes an ending of its own: "tempests", "conquests", "earnests",
// "divests" are words, and no superlative takes one ("highests" is
// none). Round 44's rule read "tempest" (temper), "conquest" (conquer),
// "earnest" (earner), "divest", "detest", "infest" as superlatives and
// dropped them alone.
func TestAWordInEstThatTakesAnEndingIsNoSuperlative(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "tempest", title: "Tempest hits coastal towns overnight",
			want: []string{"tempest"}},
	})
	for w, want := range map[string]bool{"tempest": false, "conquest": false, "earnest": false, "divest": false,
		"detest": false, "infest": false, "highest": true, "lowest": true, "eldest": true, "furthest": true} {
		if got := superlative(w); got != want {
			t.Errorf("superlative(%q) = %v, want %v", w, got, want)
		}
	}
}
