package keywords

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A headline and a sentence of summary, the commonest RSS item, keeps
// the headline's plural nouns the sentence does not repeat: a sentence is
// too little text to judge them by (review22, finding 3). A description alone is the story's
// summary and its body both (normalize), so each case is tried both ways.
func TestHeadlineAndShortSummaryIsAHeadline(t *testing.T) {
	for _, tc := range []struct {
		name, title, summary string
		want                 []string
	}{
		{"a plural subject the summary does not repeat", "Protesters clash with police in Hong Kong",
			"Thousands took to the streets on Sunday for a third weekend.", []string{"protesters"}},
		{"plural objects the summary calls otherwise", "Apple unveils new iPads and Macs",
			"The company showed two tablets and a laptop at an event in California.", []string{"ipads", "macs"}},
		{"a plural subject before its verb", "Wildfires force evacuations in Greece",
			"Firefighters battled flames near Athens as thousands left their homes.", []string{"wildfires"}},
	} {
		for _, asBody := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				x := New(1000, 8)
				background(x, 50)
				body := ""
				if asBody {
					body = tc.summary
				}
				got := x.Extract(tc.title, tc.summary, body, "en", nil)
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("missing %q in %q (the summary as the body too: %v)", w, got, asBody)
					}
				}
			})
		}
	}
}

// An article still drops the headline's -s word its text never uses:
// "recalls" here is the verb.
func TestArticleDropsTheHeadlineVerbItsTextNeverUses(t *testing.T) {
	x := New(1000, 8)
	background(x, 50)
	body := strings.Repeat("The carmaker said the fault affects the steering of its cars built since 2019. "+
		"Owners will be told by letter, and dealers will repair the cars without charge. ", 6)
	got := x.Extract("Tesla recalls 2 million cars", "", body, "en", nil)
	if slices.Contains(got, "recalls") || !slices.Contains(got, "cars") {
		t.Errorf("article: got %v, want cars and no recalls", got)
	}
}

// A name a short summary gives once is what the item is about: it keeps
// the full boost there, and loses it in an article that names it once in
// passing.
func TestNameInShortSummaryKeepsItsBoost(t *testing.T) {
	e := record.Entity{Key: "person:anja_kessler", Name: "Anja Kessler", Kind: "person", Mentions: 1}
	short := collect(tokens.NewField("Fishing talks resume"), tokens.NewField("Anja Kessler met negotiators on quotas in Brussels."), tokens.Field{}, "en", true)
	defer short.release()
	longBody := strings.Repeat("Negotiators met again on quotas and tariffs in Brussels on Tuesday, and officials said a deal was close. ", 9) + "Anja Kessler attended."
	long := collect(tokens.NewField("Fishing talks resume"), tokens.Field{}, tokens.NewField(longBody), "en", true)
	defer long.release()
	if short.article || !long.article {
		t.Fatalf("article: a sentence of summary %v, a body of %d words %v (articleWords %d)", short.article, len(strings.Fields(longBody)), long.article, articleWords)
	}
	if got := salience(e, short.article); got != entityBoost {
		t.Errorf("a name once in a short summary: boost %.2f, want %.2f", got, entityBoost)
	}
	if got := salience(e, long.article); got != 1 {
		t.Errorf("a name once in passing in an article: boost %.2f, want 1", got)
	}
}
