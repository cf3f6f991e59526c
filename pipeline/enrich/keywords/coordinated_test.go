package keywords

import "testing"

// Two subjects joined by "and" take a plain verb, which is no keyword
// and no phrase's word before a determiner or a clause's opening word
// (round 29); a list's last noun, at its clause's end or before "as",
// stays whole.
func TestACoordinatedSubjectsVerbIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "before after", title: "World stocks, copper and oil fall after weak China exports", want: []string{"world stocks", "copper"},
			never: []string{"oil fall", "fall"}},
		{name: "before a determiner", title: "Seth Rogen and Zac Efron wage a hilarious war", want: []string{"hilarious war"}, never: []string{"wage"}},
		{name: "in a sentence", title: "Obama backs gay marriage", body: "He said he and his wife share the position on gay marriage.",
			never: []string{"wife share", "share"}},
	})
	runKeywordCases(t, []keywordCase{
		{name: "a list's last noun", title: "True Detective Finale and Season Review", want: []string{"season review"}},
		{name: "before as", title: "Airline faces a public relations and financial blow as it struggles", want: []string{"financial blow"}},
	})
}
