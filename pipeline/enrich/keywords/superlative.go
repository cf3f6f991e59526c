package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
)

// superlative reports whether w is an adjective's superlative: it ends
// in -est and the dictionary holds its comparative ("highest"/"higher",
// "biggest"/"bigger", "funniest"/"funnier"). A word in -est whose -er
// form is no word is none ("interest", "protest", "southwest", "honest").
// Alone it says how much of a thing, not what: no keyword; its phrase is
// ("biggest loser").
func superlative(w string) bool {
	if len(w) < 6 || !strings.HasSuffix(w, "est") {
		return false
	}
	stem := w[:len(w)-3]
	return entities.IsDictionaryWord(stem + "er")
}
