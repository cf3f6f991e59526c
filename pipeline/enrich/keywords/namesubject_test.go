package keywords

import "testing"

// In a headline that capitalises only its names, an -s word right after
// a name is that name's verb ("BoE defends", "ECB moves to", "Apple
// rolls out") unless a listed headline verb follows, which makes the -s
// word a plural noun of the name's ("Apple shares fall"). The verb ran
// into the name as a phrase: "boe defends", "colorado rolls", "apple
// rolls". Before a preposition the -s word is as often the name's plural
// ("Cypriot banks in …"): left as it was.
func TestAnSVerbAfterANameInASentenceCaseHeadlineIsNoKeyword(t *testing.T) {
	for _, w := range []string{"defends", "aims", "rolls", "prepares", "requires"} {
		if headlineVerbForms[w] {
			t.Fatalf("%q is a listed headline verb: the case tests nothing", w)
		}
	}
	runKeywordCases(t, []keywordCase{
		{name: "after a possessive's name, before an adjective", title: "Fed's Yellen defends stimulus to senators",
			want: []string{"stimulus"}, never: []string{"yellen defends", "defends"}},
		{name: "an initialism, before an infinitive", title: "ECB moves to tighten bank rules",
			never: []string{"ecb moves", "moves"}},
		{name: "a particle after", title: "Nokia rolls out cheaper handsets in India",
			want: []string{"nokia"}, never: []string{"nokia rolls", "rolls"}},
		{name: "after a word of the clause", title: "Oil steady as Opec gears up for output talks",
			never: []string{"opec gears", "gears"}},
		{name: "a singular object and a number", title: "Xbox requires day one patch for online play",
			never: []string{"xbox requires", "requires"}},
		{name: "a plural before a listed verb is the name's noun", title: "Toyota shares fall after recall",
			want: []string{"toyota shares"}},
		{name: "a participle after", title: "Exchange blog hacked; alleged Bitcoin balances posted", want: []string{"bitcoin balances"}},
		{name: "a subject's pronoun after", title: "Volvo cars she designed win safety award", want: []string{"volvo cars"}},
		{name: "a preposition after", title: "Nordic banks in loan scandal", want: []string{"nordic banks"}},
		{name: "a possessive before", title: "Fed's plans worry markets", never: []string{"plans worry"}},
	})
}
