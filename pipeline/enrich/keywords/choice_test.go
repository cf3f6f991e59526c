package keywords

import "testing"

// Of two keywords that are pieces of one unit, the better piece stands
// (round 17). Salience: TestEntitiesAreBoosted.
func TestTheBetterPieceAndWhatAnArticleIsAbout(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "two overlapping pairs: the one ending in the shared word, not the -s verb's",
			title: "Greek debt crisis deepens",
			want:  []string{"debt crisis"}, never: []string{"crisis deepens"}},
		{name: "a word seen nearly always inside a phrase gives way to the phrase",
			title: "Samsung shows its new phone",
			body:  "The Galaxy S5 has a fingerprint scanner. Reviewers liked the Galaxy S5. The Galaxy S5 ships in April; the S5 costs more.",
			want:  []string{"galaxy s5"}, never: []string{"s5"}},
		{name: "a word and its plural are one keyword",
			title: "Draft lottery picks",
			body:  "The lottery decides the picks. Each pick is drawn. The first pick went to Orlando. Picks are traded.",
			want:  []string{"pick"}, never: []string{"picks"}},
		{name: "a name of four capitalised words is one term",
			title: "Search area moves",
			body:  "The Australian Maritime Safety Authority said the search moved. The Australian Maritime Safety Authority will brief reporters.",
			want:  []string{"australian maritime safety authority"}, never: []string{"maritime safety authority", "australian maritime safety"}},
	})
}

// German capitalises its nouns: a lowercase word after the first is a
// verb, an adverb or a noun's adjective, never a keyword alone.
func TestGermanLowercaseWordsAreNoKeywords(t *testing.T) {
	runKeywordCasesIn(t, "de", []keywordCase{
		{name: "a finite verb in -t", title: "Regierung plant strengere Regeln für Waffenbesitz",
			want: []string{"strengere regeln", "regierung"}, never: []string{"regierung plant strengere", "plant", "strengere"}},
		{name: "a plural verb and an adverb, no noun after them", title: "Lokführer streiken erneut im Fernverkehr",
			want: []string{"lokführer", "fernverkehr"}, never: []string{"lokführer streiken erneut", "streiken", "erneut"}},
		{name: "an adjective before its noun", title: "Dax erreicht neues Rekordhoch",
			want: []string{"neues rekordhoch", "dax"}, never: []string{"dax erreicht neues", "erreicht"}},
		// A capital anywhere makes a noun: brands and terms written
		// lowercase first (review22, finding 2).
		{name: "a noun written lowercase first, after its adjective", title: "Apple stellt neues iPhone vor",
			want: []string{"neues iphone", "apple"}, never: []string{"stellt", "vor"}},
		{name: "a compound noun written lowercase first", title: "BioNTech entwickelt mRNA-Impfstoff gegen Krebs",
			want: []string{"mrna-impfstoff", "krebs"}, never: []string{"entwickelt"}},
		{name: "a brand written lowercase first", title: "Kartellamt prüft eBay und Amazon",
			want: []string{"ebay", "amazon", "kartellamt"}, never: []string{"prüft"}},
	})
}
