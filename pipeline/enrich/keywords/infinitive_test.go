package keywords

import "testing"

// TestAVerbAfterToIsNoKeyword: "to" before a word the dictionary inflects
// as a verb is the infinitive's, in a headline ("Men's Wearhouse to buy
// Jos. A. Bank", "Neil Young To Launch …") and in a summary's sentence
// ("… to cost hundreds of millions"): the verb is no keyword, nor the
// first word of a phrase ("buy jos", "ease citizenship").
func TestAVerbAfterToIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "headline", title: "Men's Wearhouse to buy Jos. A. Bank for $1.8 bn", never: []string{"buy", "buy jos"}},
		{name: "subject to verb", title: "Cyprus to ease citizenship rules for EU bailout losers", never: []string{"ease", "ease citizenship"}, want: []string{"citizenship rules"}},
		{name: "title case", title: "Neil Young To Launch New Music Player", never: []string{"launch"}},
		{name: "after a verb", title: "Sheryl Sandberg wants to ban the word 'bossy'", never: []string{"ban"}},
		{name: "sentence", title: "Search for missing jet to be costliest in history", body: "The hunt for the missing airliner is on track to cost hundreds of millions of dollars.", never: []string{"cost", "cost hundreds"}},
	})
}

// TestANounAfterToIsKept: "to" as a preposition — after "due", "next",
// "according" — or before a name in a text that does not capitalise
// every word, or before a word the dictionary does not inflect, is
// followed by a noun.
func TestANounAfterToIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "due to", title: "Train services halted due to power failure", want: []string{"power failure"}},
		{name: "a name", title: "Michelle Obama to travel to China with daughters", want: []string{"china"}},
		{name: "no verb", title: "Favreau goes from 'Iron Man' to stainless steel food truck", want: []string{"stainless steel"}},
	})
}
