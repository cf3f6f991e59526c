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
		// a question mark past a period inside a word ("U.S.", "0.5") still asks
		{"Oil slides, will demand in U.S. recover?", "demand", false, false},
		{"How far can oil fall in U.S. markets?", "oil", false, false},
		{"Fed cuts rates, will demand rise 0.5%?", "demand", false, false},
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

// A possessive before "will" or "may" makes it a noun or a name, its
// determiner's: "Jackson's will", "Nintendo's May release", "Britain's
// May" (Theresa May). The guard held "his will", "the will", not a
// possessive noun, and "Michael Jackson's will contest heads to court"
// lost "contest" as the modal's verb.
func TestAPossessiveBeforeAModalMakesItANoun(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "sentence case", title: "Michael Jackson's will contest heads to court",
			want: []string{"contest heads"}},
		{name: "title case", title: "Jackson's Will Contest Heads To Court",
			want: []string{"contest heads"}},
		{name: "curly apostrophe", title: "Jackson’s Will Contest Heads To Court",
			want: []string{"contest heads"}},
		{name: "a month", title: "Nintendo's May Release Slate Revealed",
			want: []string{"release slate"}},
		{name: "a name", title: "Britain's May Pledge Fails To Win Backers",
			never: []string{"fails"}},
		// A closing quote is no plural's possessive: the modal's verb stays one.
		{name: "a quoted title", title: "The launch of 'Titanfall' will push the Xbox One to its limits",
			never: []string{"push"}},
	})
}

// A question's mark is found past a period inside a word — "U.S.", "0.5"
// — which ends no sentence: "Oil slides, will demand in U.S. recover?"
// asks (its "demand" is the subject), and so does "How far can oil fall
// in U.S. markets?" (TestAfterModalGuards' last cases). questionAhead
// stopped at the first period and read both as statements, the subject
// as the modal's verb. A period between words still ends the sentence.
func TestAQuestionMarkPastAnAbbreviationStillAsks(t *testing.T) {
	for _, tc := range []struct {
		text, modal string
		want        bool
	}{
		{"Oil slides, will demand in U.S. recover?", "will", true},
		{"Fed cuts rates, will demand rise 0.5%?", "will", true},
		{"Prices will rise. Who asks why?", "will", false},
	} {
		toks := tokens.Split(tc.text)
		k := slices.IndexFunc(toks, func(tk tokens.Token) bool { return tk.Lower == tc.modal })
		if got := questionAhead(toks, tc.text, k); got != tc.want {
			t.Errorf("%q: questionAhead(%s) = %v, want %v", tc.text, tc.modal, got, tc.want)
		}
	}
}
