package keywords

import "testing"

// A plain verb the headline verbs do not list, after a plural subject of
// one or two words that opens its clause, at the clause's end ("stocks
// rise", "Ukraine tensions escalate", "kids eat, study shows", "markets
// stutter amid …"), is the plural's verb: "tensions escalate", "kids
// eat" were keywords.
func TestADictionaryVerbAfterAPluralSubjectIsNoKeyword(t *testing.T) {
	for _, w := range []string{"escalate", "arrive", "eat", "stutter"} {
		if headlineVerbBare[w] {
			t.Fatalf("%q is a listed headline verb: the case tests nothing", w)
		}
	}
	runKeywordCases(t, []keywordCase{
		{name: "at the clause's end", title: "$A falls as Ukraine tensions escalate", want: []string{"ukraine tensions"}, never: []string{"ukraine tensions escalate", "tensions escalate", "escalate"}},
		{name: "before a comma", title: "Parents glued to cellphone while kids eat, study shows", never: []string{"kids eat", "eat"}},
		{name: "opening the headline", title: "Markets stutter amid weak Chinese data", want: []string{"markets"}, never: []string{"markets stutter", "stutter"}},
	})
}

// A noun after a plural is the plural compound's head where a
// preposition stands before the plural ("on sales decline"), a content
// word follows ("sales tax results") or the clause has its verb.
func TestAPluralCompoundsHeadIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "after a preposition", title: "Profit slips at retailer on weak sales decline", want: []string{"weak sales decline"}},
	})
}
