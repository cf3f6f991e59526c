package topics

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Score reads a noted word's lexicon entry by its number in the shared
// word table's topic column (lexicon.wordOf): the evidence is what it is
// when every word asks the lexicon's map (words not noted), over every
// word and prefix of every language's lexicon in other forms, in every
// language, and over wikiref220's articles.
func TestScoreByTheWordTableIsScoreByTheLexicon(t *testing.T) {
	c := newC(t)
	var b strings.Builder
	for _, lx := range c.lexicons() {
		if !lx.numbered {
			t.Fatal("a lexicon of the embedded file is not numbered: Score would ask its map, and this test would compare the map with itself")
		}
		for p := range lx.prefixes {
			for _, w := range []string{p, p + "s", p + "ations", strings.ToUpper(p[:1]) + p[1:] + "er"} {
				b.WriteString(w + " ")
			}
		}
		for w := range lx.words {
			b.WriteString(w + ", " + strings.ToUpper(w) + " l'" + w + " " + w + "'s ")
		}
	}
	lexiconText := b.String()
	type story struct{ title, summary, body string }
	stories := []story{{"Inflation inflation INFLATION", lexiconText, lexiconText}}
	for _, a := range shareddata.WikiRef(t) {
		stories = append(stories, story{a.Item.Title, a.Paras[0], a.Text})
	}
	langs := []string{""}
	for l := range c.byLang {
		langs = append(langs, l)
	}
	for i, s := range stories {
		for _, lang := range langs {
			var noted, bare [3]tokens.Field
			for k, text := range []string{s.title, s.summary, s.body} {
				noted[k] = tokens.NewField(text)
				wordtable.Note(noted[k].Tokens)
				bare[k] = tokens.NewField(text)
			}
			got := c.Score(noted[0], noted[1], noted[2], []string{"Politics"}, lang)
			want := c.Score(bare[0], bare[1], bare[2], []string{"Politics"}, lang)
			for k, pair := range [][2][]float64{{got.raw, want.raw}, {got.weak, want.weak}, {got.distinct, want.distinct},
				{got.strongest, want.strongest}, {got.first, want.first}} {
				if !slices.Equal(pair[0], pair[1]) {
					t.Fatalf("story %d, %q: evidence %d by the word table %v, by the lexicon %v", i, lang, k, pair[0], pair[1])
				}
			}
			c.Release(got)
			c.Release(want)
		}
	}
}

// A lexicon with a word the column does not number (not the embedded
// file's) is not numbered, and a noted story still finds that word.
func TestALexiconWithAWordTheColumnLacksAsksItsMap(t *testing.T) {
	c, err := parse("test.tsv", "04000000\ten\tzorbulation inflation\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.byLang["en"].numbered {
		t.Fatal(`"zorbulation" has no number in the column, yet the lexicon is numbered`)
	}
	f := tokens.NewField("Zorbulation returns")
	wordtable.Note(f.Tokens)
	ev := c.Score(f, tokens.Field{}, tokens.Field{}, nil, "en")
	defer c.Release(ev)
	if slices.Max(ev.raw) == 0 {
		t.Fatal(`"zorbulation" is the lexicon's, and a noted story did not find it`)
	}
}
