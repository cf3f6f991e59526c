package keywords

import "testing"

// A number that names what the capitalised word before it names — a
// chapter, a season, a version — was dropped, and its word stood alone
// ("chapter" of "files for Chapter 11", "season" of "Season 2"): the two
// are one keyword (round 30).
func TestANamesNumberIsInItsKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a chapter", title: "Sbarro files for Chapter 11, vows quick recovery", want: []string{"chapter 11"}, never: []string{"chapter"}},
		{name: "a season", title: "True Detective creator says Season 2 will stay strange", want: []string{"season 2"}, never: []string{"season"}},
		{name: "a version", title: "iOS 7.1 has been released to the public", want: []string{"ios 7.1"}},
		{name: "before a label's colon", title: "FTSE 100: This morning's risers and fallers", want: []string{"ftse 100"}},
	})
}

// A number that is a price, a share, a time, a quantity before its noun,
// a rank after a possessive, or a longer name's is no name's number.
func TestANumberThatNamesNothingIsNoKeywordsWord(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a price", title: "Buy Titanfall and save $30 at Target", never: []string{"save 30"}},
		{name: "a share", title: "Toys R Us Is Offering 50% Off A Game", never: []string{"offering 50"}},
		{name: "a time", title: "Clooney's ex marries in Mexico 9:15AM", never: []string{"mexico 9"}},
		{name: "a quantity", title: "Chrysler recalls 25000 Jeeps", never: []string{"recalls 25000"}},
		{name: "a possessive's rank", title: "The Dow's 5 Most Hated Stocks", never: []string{"dow 5"}},
		{name: "a month's day", title: "Stocks fall on March 11 after China data", never: []string{"march 11"}},
		{name: "a longer name", title: "High School Musical 5 reunion planned", never: []string{"musical 5"}},
	})
}
