package keywords

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A name's short form is no second keyword beside the name: a story that
// spells "European Union" once and writes "EU" after it gave both "eu"
// and "european union" (round 29, after "million euros" left the list);
// the name chosen first stands, and the short form chosen first keeps the
// name out. A currency ("euros") is neither.
func TestAShortFormBesideItsNameIsNoKeyword(t *testing.T) {
	eu := []record.Entity{{Key: "organization:eu", Name: "European Union", Kind: "organization", Mentions: 5, InTitle: true}}
	imf := []record.Entity{{Key: "organization:imf", Name: "International Monetary Fund", Kind: "organization", Mentions: 3}}
	for _, tc := range []struct {
		name, title, body, short, long string
		ents                           []record.Entity
	}{
		{"eu", "Cyprus attacks EU over deposit losses",
			"Cyprus took 10 billion euros in aid from the European Union. The EU said the deal stands. EU ministers met. The EU and Cyprus spoke again about the EU deal and its 4 million euros.",
			"eu", "european union", eu},
		{"imf", "Cyprus deal with IMF",
			"The International Monetary Fund lent the money. The IMF said the loan stands. The IMF met Cyprus again. IMF staff spoke.",
			"imf", "international monetary fund", imf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := New(1000, 8)
			background(x, 50)
			got := x.Extract(tc.title, "", tc.body, "en", tc.ents)
			if !slices.Contains(got, tc.short) && !slices.Contains(got, tc.long) {
				t.Errorf("neither %q nor %q in %v", tc.short, tc.long, got)
			}
			if slices.Contains(got, tc.short) && slices.Contains(got, tc.long) {
				t.Errorf("both %q and %q in %v", tc.short, tc.long, got)
			}
		})
	}
}

// A short form stays beside a name the story never spells, only the
// resolver ("UK" → United Kingdom, "EU" → European Union): the labels
// count the canonical name as the short form's alternative, and a first
// try that dropped the short form here lost a labelled "uk".
func TestAShortFormBesideAnUnspelledNameIsKept(t *testing.T) {
	uk := []record.Entity{{Key: "place:gb", Name: "United Kingdom", Kind: "place", Mentions: 1, InTitle: true}}
	eu := []record.Entity{{Key: "organization:eu", Name: "European Union", Kind: "organization", Mentions: 3, InTitle: true}}
	runKeywordCases(t, []keywordCase{
		{name: "uk", title: "Inflation in the UK falls to 1.5 percent", ents: uk, want: []string{"uk", "united kingdom"}},
		{name: "eu", title: "Cyprus attacks EU over deposit losses", body: "The EU said the deal stands. EU ministers met in Brussels about the EU deal.", ents: eu, want: []string{"eu", "european union"}},
	})
}
