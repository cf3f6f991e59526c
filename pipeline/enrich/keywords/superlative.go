package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
)

// superlative reports whether w is an adjective's superlative: it ends
// in -est, the dictionary holds its comparative ("highest"/"higher",
// "biggest"/"bigger", "funniest"/"funnier"), and it takes no ending of
// its own. A word in -est whose -er form is no word is none ("interest",
// "protest", "southwest", "honest"); nor is one the dictionary inflects
// ("tempests", "conquests", "earnests", "divests"): a superlative ends
// its word, and its -er look-alike is a noun or verb of another word
// ("temper", "conquer", "earner", "diver"). Of the dictionary's 1,076
// words in -est with an -er form, the -s test takes out exactly those six
// (tempest, conquest, earnest, divest, detest, infest) and no superlative.
// (Asking instead that the base be a word — "high", "big", "funny" —
// takes out only conquest, detest and infest, and loses nine superlatives
// the dictionary has no base for: eldest, farthest, furthest, diciest,
// gooiest ….) Alone it says how much of a thing, not what: no keyword;
// its phrase is ("biggest loser").
func superlative(w string) bool {
	if len(w) < 6 || !strings.HasSuffix(w, "est") {
		return false
	}
	stem := w[:len(w)-3]
	return entities.IsDictionaryWord(stem+"er") && !entities.IsDictionaryWord(w+"s")
}
