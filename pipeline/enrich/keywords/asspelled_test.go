package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A name the resolver writes with diacritics ("François Hollande") and the
// story without ("Francois Hollande") was the keyword in the resolver's
// spelling, and its words, not being the story's, left a pair cut from the
// name ("president francois"): a keyword is written as the story writes it
// (round 30).
func TestANameIsWrittenAsTheStorySpellsIt(t *testing.T) {
	hollande := []record.Entity{{Key: "person:francois_hollande", Name: "François Hollande", Kind: "person", Mentions: 2, InTitle: true}}
	runKeywordCases(t, []keywordCase{
		{name: "without diacritics", title: "Hollande says Paris attacks an act of war by Islamic State",
			body: "French President Francois Hollande said on Saturday the attacks in Paris were an act of war organized from abroad by Islamic State.",
			ents: hollande, want: []string{"francois hollande"}, never: []string{"françois hollande", "president francois"}},
	})
}

// A story that writes the diacritics keeps them.
func TestANameSpelledWithDiacriticsKeepsThem(t *testing.T) {
	hollande := []record.Entity{{Key: "person:francois_hollande", Name: "François Hollande", Kind: "person", Mentions: 2, InTitle: true}}
	runKeywordCases(t, []keywordCase{
		{name: "with diacritics", title: "François Hollande declares a state of emergency",
			ents: hollande, want: []string{"françois hollande"}, never: []string{"francois hollande"}},
	})
}
