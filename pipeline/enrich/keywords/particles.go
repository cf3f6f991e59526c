package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// nameParticles are the articles and prepositions that stand inside a
// name in the languages the project reads ("Stade de France", "Vincent
// van Gogh", "Ursula von der Leyen", "Banco do Brasil", "Osama bin
// Laden"). English's own ("of", "the") are English stopwords, never part
// of a phrase; these are stopwords of their own language only, so in
// another language's story they read as content words and a name gave
// its fragments as keywords: "stade de", "de france", "vincent van".
var nameParticles = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`de del della delle dei degli dello di da das do dos du des la las le les lo los el
	van von vom der den dem het ter ten zu zum zur al bin ibn bint au aux`) {
		m[w] = true
	}
	return m
}()

// nameParticle reports whether token i, whose normalized word w is one
// of nameParticles, stands inside a name: lower case (or in a title-case
// headline), after a capitalised word and before one, in one clause,
// with at most two more particles between ("von der", "de la"). Alone or
// beside common words it is what its language makes it elsewhere — "van"
// in "a police van", "la" in "la dolce vita" — and is read as before.
func nameParticle(toks []tokens.Token, i int, titleCase bool) bool {
	inName := func(t tokens.Token) bool {
		return nameParticles[normalize(t.Lower)] && (titleCase || !t.Capitalized())
	}
	if !inName(toks[i]) || toks[i].Break || toks[i].SentStart {
		return false
	}
	j := i - 1
	for ; j >= 0 && j > i-3 && inName(toks[j]) && !toks[j].Break && !toks[j].SentStart; j-- {
	}
	if j < 0 || !toks[j].Capitalized() || inName(toks[j]) {
		return false
	}
	k := i + 1
	for ; k < len(toks) && k < i+3 && inName(toks[k]) && !toks[k].Break && !toks[k].SentStart; k++ {
	}
	return k < len(toks) && !toks[k].Break && !toks[k].SentStart && toks[k].Capitalized() && !inName(toks[k])
}
