package keywords

import "testing"

// TestVerbFormsEnglishSpellsSo: a verb in -o takes -es ("goes"), a past of
// four letters ("used", "died") and a past in -eed ("agreed",
// "guaranteed") are verb forms as the longer -ed words are.
func TestVerbFormsEnglishSpellsSo(t *testing.T) {
	for _, w := range []string{"goes", "used", "died", "sued", "tied", "agreed", "guaranteed", "freed"} {
		if !isVerbForm(w, wordTable()[w]) {
			t.Errorf("%q: no verb form", w)
		}
	}
	for _, w := range []string{"weed", "seed", "speed", "greed", "breed", "bred", "shed", "heroes", "potatoes"} {
		if isVerbForm(w, wordTable()[w]) {
			t.Errorf("%q: read as a verb form", w)
		}
	}
	runKeywordCases(t, []keywordCase{
		{name: "goes", title: "Paris attacks: Search goes on for missing", never: []string{"goes", "search goes"}},
		{name: "used", title: "How Google Used Motorola To Smack Down Samsung", never: []string{"used", "used motorola"}},
		{name: "guaranteed", title: "Premier League clubs benefit from new overseas TV deal",
			body:  "Next season's champions will pick up at least £60m, with top-flight clubs guaranteed at least £40m.",
			never: []string{"top-flight clubs guaranteed", "guaranteed"}},
		{name: "died", title: "English teams banned after Heysel", body: "The tragedy two days ago in which 39 fans died.", never: []string{"fans died"}},
	})
}
