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

// A short form no name of the story spells out stays ("EU" with no
// European Union entity), as does a name whose initials are an ordinary
// word of the story.
func TestAShortFormWithoutItsNameIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "alone", title: "EU delays talks with Cyprus", body: "The EU said talks wait. EU ministers met in Brussels. The EU will decide.", want: []string{"eu"}},
	})
}
