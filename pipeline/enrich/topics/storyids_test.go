package topics

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Score reads a repeated word's cues from what it found at the word's
// first reading in the story (scratch.byID): the evidence is what it is
// when every word is looked up afresh (no IDs), over every lexicon word
// and prefix repeated in other forms, in every language, and over
// wikiref220's articles.
func TestScoreByStoryIDsIsScoreByWords(t *testing.T) {
	c := newC(t)
	var b strings.Builder
	for p := range c.general.prefixes {
		for _, w := range []string{p, p + "s", p + "ations", strings.ToUpper(p[:1]) + p[1:] + "er"} {
			b.WriteString(w + " ")
		}
	}
	for w := range c.general.words {
		b.WriteString(w + ", " + strings.ToUpper(w) + " l'" + w + " ")
	}
	lexiconText := b.String()
	type story struct{ title, summary, body string }
	stories := []story{{"Inflation inflation INFLATION", lexiconText, lexiconText}}
	for _, a := range shareddata.WikiRef(t) {
		stories = append(stories, story{a.Item.Title, a.Paras[0], a.Text})
	}
	var ws wordtable.Story
	for i, s := range stories {
		for _, lang := range []string{"en", "de", "fr", "es", "it", ""} {
			var fields, bare [3]tokens.Field
			for k, text := range []string{s.title, s.summary, s.body} {
				fields[k] = tokens.NewField(text)
				ws.Note(fields[k].Tokens)
				bare[k] = tokens.NewField(text)
			}
			ws.Reset()
			got := c.Score(fields[0], fields[1], fields[2], []string{"Politics"}, lang)
			want := c.Score(bare[0], bare[1], bare[2], []string{"Politics"}, lang)
			for k, pair := range [][2][]float64{{got.raw, want.raw}, {got.weak, want.weak}, {got.distinct, want.distinct},
				{got.strongest, want.strongest}, {got.first, want.first}} {
				if !slices.Equal(pair[0], pair[1]) {
					t.Fatalf("story %d, %q: evidence %d by IDs %v, by words %v", i, lang, k, pair[0], pair[1])
				}
			}
			c.Release(got)
			c.Release(want)
		}
	}
}
