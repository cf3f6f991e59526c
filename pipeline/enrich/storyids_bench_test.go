package enrich

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// BenchmarkStoryIDs weighs what numbering a story's words costs against
// what the stages save by reading a repeated word by its ID, over
// wikiref220's articles: note/* is each way of noting the three fields
// (the word table's entries alone, or entries and story IDs), stages/*
// is keyword collection and topic scoring over fields noted either way.
//
//	go test -run '^$' -bench StoryIDs -benchtime 5x ./pipeline/enrich/
func BenchmarkStoryIDs(b *testing.B) {
	arts := shareddata.WikiRef(b)
	split := func(story *wordtable.Story) [][3]tokens.Field {
		out := make([][3]tokens.Field, len(arts))
		for i, a := range arts {
			for k, s := range []string{a.Item.Title, a.Paras[0], a.Text} {
				out[i][k] = tokens.NewField(clip(s))
				if story != nil {
					story.Note(out[i][k].Tokens)
				} else {
					wordtable.Note(out[i][k].Tokens)
				}
			}
			if story != nil {
				story.Reset()
			}
		}
		return out
	}
	perStory := func(b *testing.B, run func()) {
		cpu0 := cputime.Self()
		for b.Loop() {
			run()
		}
		b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N*len(arts)), "cpu-µs/story")
	}
	plain, numbered := split(nil), split(new(wordtable.Story))
	b.Run("note/entries", func(b *testing.B) {
		perStory(b, func() {
			for _, f := range plain {
				for _, fl := range f {
					wordtable.Note(fl.Tokens)
				}
			}
		})
	})
	b.Run("note/entries+ids", func(b *testing.B) {
		var story wordtable.Story
		perStory(b, func() {
			for _, f := range numbered {
				for _, fl := range f {
					story.Note(fl.Tokens)
				}
				story.Reset()
			}
		})
	})
	for _, set := range []struct {
		name   string
		fields [][3]tokens.Field
	}{{"entries", plain}, {"entries+ids", numbered}} {
		b.Run("stages/"+set.name, func(b *testing.B) {
			e := newE(b)
			perStory(b, func() {
				for _, f := range set.fields {
					e.keywords.Pick(e.keywords.Collect(f[0], f[1], f[2], "en"), nil)
					e.topics.Release(e.topics.Score(f[0], f[1], f[2], nil, "en"))
				}
			})
		})
	}
}
