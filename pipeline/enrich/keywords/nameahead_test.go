package keywords

import "testing"

// A plural subject's plain verb before a name in a sentence-case headline
// ran into the subject as a phrase ("libyan lawmakers oust", "big carriers
// remove"): a name after a plural's plain form is its object (round 30).
func TestAPluralsVerbBeforeANameIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a title and a name", title: "Libyan lawmakers oust Prime Minister Ali Zeidan",
			want: []string{"libyan lawmakers"}, never: []string{"libyan lawmakers oust", "lawmakers oust", "oust"}},
		{name: "a name", title: "Early Titanfall livestreamers risk Twitch ban",
			never: []string{"livestreamers risk", "risk"}},
		{name: "an initialism", title: "High frequency traders tap IPO market",
			want: []string{"ipo market"}, never: []string{"traders tap", "tap"}},
	})
}

// A capital on the plural or on the word after it makes them a name's
// words, kept together.
func TestANamesPluralBeforeANameIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a brand's plural", title: "Apple releases iOS 7.1 with CarPlay, Siri improvements, iTunes Radio Tweaks",
			want: []string{"itunes radio"}},
	})
}
