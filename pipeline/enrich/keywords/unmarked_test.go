package keywords

import "testing"

// A plural with no -s is its verb's subject as a plural in -s is
// ("Police arrest", as "shares surge"); "snuck" is a past only a verb
// spells; a time of day is no keyword (round 29).
func TestAnUnmarkedPluralsVerbIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "police, title case", title: "Police Arrest Miley Cyrus Fan Who Snuck Backstage", want: []string{"police", "backstage"},
			never: []string{"police arrest", "arrest", "snuck backstage", "snuck"}},
		{name: "snuck", title: "Police: Miley Fan Snuck Into Dressing Room", never: []string{"miley fan snuck", "snuck"}},
		{name: "a time of day", title: "Stacey Keibler marries in Mexico 9:15AM", want: []string{"mexico"}, never: []string{"15am", "9:15am"}},
	})
	for _, w := range []string{"police", "people", "women", "shares"} {
		if !plural(w) {
			t.Errorf("plural(%q) = false", w)
		}
	}
}

// "Tens of thousands" says how many, "in the midst of" where in nothing:
// no keywords (round 29).
func TestTensAndMidstAreNoKeywords(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "tens", title: "Flappy Bird creator says the app still makes tens of thousands a day", want: []string{"app"}, never: []string{"tens"}},
		{name: "midst", title: "Hollande speaks in the midst of attacks that devastated Paris", never: []string{"midst"}},
	})
}
