package keywords

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Of two keywords that are pieces of one unit, the better piece stands;
// an article's keywords are what it runs on, not its names in passing.
func TestTheBetterPieceAndWhatAnArticleIsAbout(t *testing.T) {
	for _, tc := range []struct {
		name, title, body string
		ents              []record.Entity
		want, never       []string
	}{
		{"two overlapping pairs: the one ending in the shared word, not the -s verb's",
			"Greek debt crisis deepens", "", nil,
			[]string{"debt crisis"}, []string{"crisis deepens"}},
		{"a word seen nearly always inside a phrase gives way to the phrase",
			"Samsung shows its new phone",
			"The Galaxy S5 has a fingerprint scanner. Reviewers liked the Galaxy S5. The Galaxy S5 ships in April; the S5 costs more.", nil,
			[]string{"galaxy s5"}, []string{"s5"}},
		{"a word and its plural are one keyword",
			"Draft lottery picks",
			"The lottery decides the picks. Each pick is drawn. The first pick went to Orlando. Picks are traded.", nil,
			nil, nil},
		{"a name of four capitalised words is one term",
			"Search area moves",
			"The Australian Maritime Safety Authority said the search moved. The Australian Maritime Safety Authority will brief reporters.", nil,
			[]string{"australian maritime safety authority"}, []string{"maritime safety authority", "australian maritime safety"}},
		{"a name in passing does not outrank what the article runs on",
			"Search for missing jet widens",
			"The search for the missing jet widened on Monday. Ships joined the search. Selamat Omar, a relative, spoke. The search covers a wide area; the jet has not been found and the search goes on.",
			[]record.Entity{{Name: "Selamat Omar", Kind: "person", Mentions: 1}},
			[]string{"search"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := New(1000, 8)
			background(x, 50)
			got := x.Extract(tc.title, "", tc.body, "en", tc.ents)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, w := range tc.never {
				if slices.Contains(got, w) {
					t.Errorf("%q in %v", w, got)
				}
			}
			if slices.Contains(got, "pick") && slices.Contains(got, "picks") {
				t.Errorf("a word and its plural both: %v", got)
			}
			if len(tc.ents) > 0 && slices.Index(got, "selamat omar") >= 0 && slices.Index(got, "selamat omar") < slices.Index(got, "search") {
				t.Errorf("a name in passing first: %v", got)
			}
		})
	}
}

// German capitalises its nouns: a lowercase word after the first is a
// verb, an adverb or a noun's adjective, never a keyword alone.
func TestGermanLowercaseWordsAreNoKeywords(t *testing.T) {
	for _, tc := range []struct {
		title       string
		want, never []string
	}{
		{"Regierung plant strengere Regeln für Waffenbesitz", []string{"strengere regeln", "regierung"}, []string{"regierung plant strengere", "plant", "strengere"}},
		{"Lokführer streiken erneut im Fernverkehr", []string{"lokführer", "fernverkehr"}, []string{"lokführer streiken erneut", "streiken", "erneut"}},
		{"Dax erreicht neues Rekordhoch", []string{"neues rekordhoch", "dax"}, []string{"dax erreicht neues", "erreicht"}},
	} {
		t.Run(tc.title, func(t *testing.T) {
			got := New(1000, 8).Extract(tc.title, "", "", "de", nil)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, w := range tc.never {
				if slices.Contains(got, w) {
					t.Errorf("%q in %v", w, got)
				}
			}
		})
	}
}
