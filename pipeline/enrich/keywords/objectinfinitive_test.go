package keywords

import "testing"

// A headline's -s verb before its object noun and an infinitive ("Men's
// Wearhouse secures deal to buy Jos A Bank") is the clause's verb: a noun
// and "to" + a verb after an -s word is the shape of a verb, its object
// and its purpose; "secures deal" was one keyword.
func TestAHeadlineVerbBeforeANounAndAnInfinitiveEndsItsPhrase(t *testing.T) {
	for _, w := range []string{"secures", "finalizes"} {
		if headlineVerbForms[w] {
			t.Fatalf("%q is a listed headline verb: the case tests nothing", w)
		}
	}
	runKeywordCases(t, []keywordCase{
		{name: "sentence case", title: "Men's Wearhouse secures deal to buy Jos A Bank", want: []string{"deal"}, never: []string{"secures deal", "secures"}},
		{name: "title case", title: "Men's Wearhouse Finalizes Deal To Buy Rival Jos. A. Bank", want: []string{"deal"}, never: []string{"finalizes deal", "finalizes"}},
	})
}

// A plural noun before a plain verb and an infinitive is that verb's
// subject, not the verb: "Champions stand to pick up" ("stand" alone
// would be the keyword), "Protesters march to urge calm" — the plural
// opens the clause, or is no verb the dictionary inflects.
func TestAPluralSubjectBeforeAVerbAndAnInfinitiveIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "first in the headline", title: "Champions stand to pick up record prize money", never: []string{"stand"}},
		{name: "not a verb's form", title: "Hong Kong protesters march to urge calm", want: []string{"hong kong protesters"}},
	})
}
