package keywords

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

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

// coordinatedSubjectAsBefore is round 29's coordinatedSubject, which
// asked bareVerb's dictionary first: the order of its tests is all that
// changed.
func coordinatedSubjectAsBefore(toks []tokens.Token, i int, w string, f wordFacts, facts map[string]wordFacts) bool {
	if i < 3 || toks[i].Break || toks[i].SentStart || !bareVerb(w, f) {
		return false
	}
	prev := facts[normalize(toks[i-1].Lower)]
	if toks[i-1].Break || toks[i-1].SentStart || prev.stop != 0 || prev.news || prev.verb || prev.det {
		return false
	}
	and := -1
	for k := i - 2; k >= i-3 && k >= 0; k-- {
		if toks[k+1].Break || toks[k+1].SentStart {
			break
		}
		if toks[k].Lower == "and" {
			and = k
			break
		}
	}
	if and < 0 {
		return false
	}
	if i+1 >= len(toks) || toks[i+1].Break || toks[i+1].SentStart {
		return false
	}
	nw := normalize(toks[i+1].Lower)
	next := facts[nw]
	return next.det || next.clause && nw != "as"
}

// coordinatedSubject answers as before at every word of the cases above,
// of texts built to hold "and" before a verb's plain form, and of
// news-like stories.
func TestCoordinatedSubjectIsItsOrderBefore(t *testing.T) {
	texts := []string{
		"World stocks, copper and oil fall after weak China exports",
		"Seth Rogen and Zac Efron wage a hilarious war",
		"He said he and his wife share the position on gay marriage.",
		"True Detective Finale and Season Review",
		"Airline faces a public relations and financial blow as it struggles",
		"Marks and Spencer profit falls as rivals and big chains cut the prices they charge",
		"Research and development spending and the wages rise while banks and insurers lend the money",
	}
	m, r := newstext.New(30), rand.New(rand.NewPCG(30, 12))
	for range 200 {
		s := m.Story(r, 300)
		texts = append(texts, s.Title, s.Body())
	}
	facts := wordTable()
	n, yes := 0, 0
	for _, text := range texts {
		toks := tokens.Split(text)
		for i, tok := range toks {
			w := normalize(tok.Lower)
			f := facts[w]
			got, want := coordinatedSubject(toks, i, w, f, facts), coordinatedSubjectAsBefore(toks, i, w, f, facts)
			if got != want {
				t.Fatalf("%q word %d (%q): %v, before %v", text, i, w, got, want)
			}
			n++
			if got {
				yes++
			}
		}
	}
	if yes < 3 {
		t.Fatalf("%d of %d words read as a coordinated subject's verb: the texts test too little", yes, n)
	}
}
