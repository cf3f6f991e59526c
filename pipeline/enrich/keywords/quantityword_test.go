package keywords

import "testing"

// TestAQuantityWordAloneIsNoKeyword: "million", "hundreds", "dozens" say
// how many, not what; "ago" when. Alone they are fillers; the thing
// counted is the keyword ("young adults", "objects").
func TestAQuantityWordAloneIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "million", title: "Obamacare enrollment passes 4.2 million; more young adults signed up", never: []string{"million"}},
		{name: "hundreds", title: "Flight MH370: images of ocean debris",
			body: "Search teams have spotted hundreds of objects floating in the southern Indian Ocean, a year ago.", never: []string{"hundreds", "ago"}},
	})
}
