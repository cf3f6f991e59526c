package keywords

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A plain verb after a modal is the modal's verb, no keyword and no
// phrase's first word: "Global Growth Worries May Pressure Stocks" is
// about stocks, not "pressure stocks"; "Flappy Bird could return" gives
// no "return". Round 44's dev output held 126 keywords opening on the
// word right after a modal (kw45's count), nearly all a verb or a verb
// and its object. A modal that opens its clause asks a question, and what follows
// it is the subject ("Will Apple make …"); a capital after a lower-case
// modal, or a capitalised "Will" or "May" inside a sentence-case
// headline, is a name's.
func TestAWordAfterAModalIsItsVerb(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "title case", title: "Global Growth Worries May Pressure Stocks",
			want: []string{"stocks"}, never: []string{"pressure stocks", "pressure"}},
		{name: "alone", title: "Flappy Bird could return, creator says",
			never: []string{"return"}},
		{name: "verb and its object", title: "Cellphone addiction may damage parent-child bond",
			want: []string{"parent-child bond"}, never: []string{"damage parent-child bond", "damage"}},
		{name: "after not", title: "Carmaker might not pay for recall deaths",
			never: []string{"pay"}},
		{name: "might force", title: "Scottish independence might force bank move",
			never: []string{"force", "force bank move", "force bank"}},
	})
}

// afterModal's guards, word by word: a question's inverted subject, a
// month, a name, a determiner's noun.
func TestAfterModalGuards(t *testing.T) {
	for _, tc := range []struct {
		text, word string
		titleCase  bool
		want       bool
	}{
		{"Flappy Bird could return soon", "return", false, true},
		{"GM might not pay for recall deaths", "pay", false, true},
		{"Global Growth Worries May Pressure Stocks", "pressure", true, true},
		{"Can Sprint win over regulators?", "sprint", false, false},
		{"Euro Strength - Will Data Allow?", "data", true, false},
		{"Fed official says weak data caused by weather, should not slow taper", "slow", false, true},
		{"Prices fall again, will demand follow?", "demand", false, false},
		{"How might forex market be rigged?", "forex", false, false},
		{"Retail sales in May rebound", "rebound", false, false},
		{"Driver Will Power wins at Long Beach", "power", false, false},
		{"SoftBank's Son vows price war should T-Mobile deal be approved", "t-mobile", false, false},
		{"Flappy Bird creator may ressurect his game", "ressurect", false, false},
		{"Which Pulpy Genre Should True Detective Plunder for Season Two?", "true", true, false},
		{"Why Apple will struggle to wow investors this year", "struggle", false, true},
	} {
		toks := tokens.Split(tc.text)
		i := slices.IndexFunc(toks, func(tk tokens.Token) bool { return tk.Lower == tc.word })
		if i < 0 {
			t.Fatalf("%q: no token %q", tc.text, tc.word)
		}
		w := normalize(toks[i].Lower)
		if got := afterModal(toks, tc.text, i, w, factsTok(toks[i], w, wordTable(), wordShapes()), tc.titleCase); got != tc.want {
			t.Errorf("%q: afterModal(%q) = %v, want %v", tc.text, tc.word, got, tc.want)
		}
	}
}
