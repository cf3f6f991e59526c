package keywords

import "testing"

// An -s verb before a lower-case noun that ends its clause or meets a
// function word ("Sbarro declares bankruptcy", "Libya impounds tanker
// registered in Sharjah", "Islamic State claims responsibility as …") is
// the clause's verb: a plural noun's next word is seldom a lone singular
// noun. "claims responsibility", "libya impounds tanker" were keywords.
func TestAnSVerbBeforeALowerCaseNounIsNoKeyword(t *testing.T) {
	for _, w := range []string{"declares", "impounds", "downplays"} {
		if headlineVerbForms[w] {
			t.Fatalf("%q is a listed headline verb: the case tests nothing", w)
		}
	}
	runKeywordCases(t, []keywordCase{
		{name: "headline, at its end", title: "Pizza chain Sbarro declares bankruptcy", want: []string{"bankruptcy"}, never: []string{"sbarro declares bankruptcy", "declares bankruptcy", "declares"}},
		{name: "headline, before a preposition", title: "White House downplays role of gas policy in Ukraine crisis", want: []string{"role"}, never: []string{"downplays role", "downplays"}},
		{name: "headline, before a participle", title: "Libya impounds tanker registered in Sharjah", want: []string{"tanker"}, never: []string{"libya impounds tanker", "impounds tanker", "impounds"}},
		{name: "sentence, after a name", title: "Seven militants led deadly Paris attacks",
			body:  "Islamic State claims responsibility as three suspects are arrested in Belgium.",
			want:  []string{"responsibility"},
			never: []string{"claims responsibility", "state claims", "claims"}},
	})
}

// A plural noun before a singular noun is a compound where a content
// word or a name follows, or where the plural is no verb's form:
// "pot sales tax revenue", "telecoms price war"; so is a plural after a
// lower-case noun ("book awards event"), and a noun before "says" is no
// object ("Flappy birds creator says").
func TestAPluralsCompoundBeforeASingularNounIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a content word after", title: "Colorado pot sales tax revenue hits record", want: []string{"sales tax"}},
		{name: "no verb's form", title: "Sprint owner plans a telecoms price war", want: []string{"telecoms price war"}},
		{name: "after a lower-case noun", title: "Vieira hosts inspirational book awards event", want: []string{"awards event"}},
		{name: "before a verb of the list", title: "Flappy birds creator says the game may return", never: []string{"creator"}},
	})
}
