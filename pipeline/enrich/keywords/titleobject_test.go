package keywords

import "testing"

// A title-case headline's -s verb after a subject of two words or more
// ran into the subject as a phrase ("strong euro creates", "season finale
// brings", "apple watch gets"): a plural seldom modifies the content word
// after it, so an -s word the dictionary inflects, before such a word, is
// the verb (round 30).
func TestATitleCaseVerbBeforeItsObjectIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "an adjective's noun", title: "Strong Euro Creates Unwarranted Economic Pressure",
			never: []string{"strong euro creates", "creates", "creates unwarranted"}},
		{name: "a name", title: "True Detective Season Finale Brings HBO Go to Its Knees",
			never: []string{"season finale brings", "brings", "brings hbo"}},
		{name: "a product's subject", title: "Apple Watch Gets New Fitness Features",
			never: []string{"apple watch gets", "watch gets", "gets"}},
		{name: "a name of three words", title: "Bank of America Cuts Mortgage Jobs",
			never: []string{"america cuts", "cuts mortgage", "america cuts mortgage"}},
		{name: "an initialism", title: "Congress Investigates GM Ignition Recall",
			want: []string{"gm ignition recall"}, never: []string{"congress investigates"}},
	})
}

// A plural before a verb, a function word, a time word, an adverb or
// nothing is a noun; the few
// plurals that modify a noun keep their compound.
func TestATitleCasePluralBeforeItsVerbIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a plain verb after", title: "Asia Worries Send Stocks Sliding", want: []string{"asia worries"}},
		{name: "a verb after", title: "GM Shares Tumble Amid New Investigations", want: []string{"gm shares"}},
		{name: "a preposition after", title: "Colorado Collects Millions From Recreational Marijuana Taxes in January",
			want: []string{"recreational marijuana taxes"}},
		{name: "a time word", title: "Blind Auditions Night 5 Recap", want: []string{"blind auditions night"}},
		{name: "an adverb", title: "China's Exports Unexpectedly Decline in Blow to Confidence", want: []string{"china exports"}},
		{name: "a plural modifier", title: "Sports Car Maker Plans Expansion", want: []string{"sports car maker"}},
	})
}
