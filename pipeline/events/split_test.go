package events

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	enrichtokens "github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// splitCases are texts where the two tokenizers cut words apart: numbers
// with separators, possessives and contractions, hyphens beside a
// one-letter part or a digit, dotted abbreviations, typographic
// apostrophes, spacing marks (Mc) enrichment keeps in a word and events
// does not, a combining mark after a period, bytes that are not UTF-8.
var splitCases = []string{
	"Sprint Vows Price War If T-Mobile Deal Approved",
	"Jay-Z at the G-20 in 3-D, plan-b and e-reading; two-and-a-half, once-in-a-lifetime",
	"Lashkar-e-Taiba, a-t-il, 40,000-a-year, x-, -x, a--b, é-x, x-é",
	"Shares rose 6.2% to 37,000.5 or 37.000 — 1,2,3 and 1.000.000; v2.0.1 at 3.14.",
	"Obama's plan, Obama’s plan, don't, won’t, rock'n'roll, O'Brien, the '90s, it's",
	"U.S.-led strikes, the U.K.'s vote, Mr. Smith, J. Trump, e.g. this, U.S.A.",
	"हिन्दी समाचार: भारत ने जीता मैच, और कहा",
	"Ça va? Élysée: l’État a dit. İstanbul ΣΟΦΊΑ straße ǅ",
	"a.\u0301b x,\u0301 3,\u0301000",
	"bad \xff bytes\xfe-x 4\xff,000 it\xff's",
	"", " ", "-", "'s", "’", "1", "a", "x'", "3,", "3,0", "G-", "G-2",
}

func checkTermsOfSplit(t *testing.T, text, lang string) {
	t.Helper()
	want := tokens(nil, text, lang)
	got := termsOfSplit(nil, text, enrichtokens.Split(text), lang)
	if !slices.Equal(got, want) {
		t.Fatalf("termsOfSplit(%q, %s) = %q\ntokens gives %q", text, lang, got, want)
	}
}

// TestTermsOfSplitAreTokens: the terms events reads from enrichment's
// split of a text are the terms its own scan of the text gives, word for
// word — on the cases where the tokenizers differ, and on every title and
// text of WikiRef220 and every uci-news headline.
func TestTermsOfSplitAreTokens(t *testing.T) {
	for _, text := range splitCases {
		for _, lang := range []string{"en", "fr", "de", "hi", ""} {
			checkTermsOfSplit(t, text, lang)
		}
	}
	for _, d := range shareddata.WikiRef(t) {
		checkTermsOfSplit(t, d.Item.Title, "en")
		checkTermsOfSplit(t, d.Text, "en")
	}
	for _, d := range shareddata.UCI(t) {
		checkTermsOfSplit(t, d.Item.Title, "en")
	}
}

// TestTermsOfFieldSplitsACutText: a field whose text is not the story's
// (enrichment reads a long text's start only) is not read; the text is
// split again.
func TestTermsOfFieldSplitsACutText(t *testing.T) {
	text := "Storm hits the coast of Cornwall"
	f := enrichtokens.NewField(text[:10])
	if got, want := termsOfField(nil, text, &f, "en"), tokens(nil, text, "en"); !slices.Equal(got, want) {
		t.Fatalf("termsOfField of a cut field = %q, want %q", got, want)
	}
}

// FuzzTermsOfSplit: for any text, the terms read from enrichment's split
// are tokens' own.
func FuzzTermsOfSplit(f *testing.F) {
	for _, s := range splitCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkTermsOfSplit(t, text, "en")
		checkTermsOfSplit(t, text, "fr")
	})
}
