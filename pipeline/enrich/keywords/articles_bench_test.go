package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// BenchmarkCollectPickArticles is keyword collection and picking as
// enrichment runs them on wikiref220's full-text articles (the texts
// `process` is measured on): each field's words noted in the shared word
// table first, the corpus learning story after story. Names are left out
// (nil entities), so the figure is the picker's own.
func BenchmarkCollectPickArticles(b *testing.B) {
	type story struct{ title, summary, body tokens.Field }
	noted := func(s string) tokens.Field {
		f := tokens.NewField(s)
		wordtable.Note(f.Tokens)
		return f
	}
	var stories []story
	for _, d := range shareddata.WikiRef(b) {
		stories = append(stories, story{noted(d.Item.Title), noted(d.Paras[0]), noted(d.Text)})
	}
	x := New(100000, 10)
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for i := 0; b.Loop(); i++ {
		s := stories[i%len(stories)]
		x.Pick(x.Collect(s.title, s.summary, s.body, "en"), nil)
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N), "cpu-µs/op")
}
