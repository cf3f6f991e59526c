package entities

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// BenchmarkRecognize measures recognition alone (no alias map) per story,
// over every wikiref220 article — real text with its real mix of names —
// so a rule's CPU cost shows against the previous commit run alongside.
func BenchmarkRecognize(b *testing.B) {
	docs := shareddata.WikiRef(b)
	x, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	type story struct{ title, body tokens.Field }
	stories := make([]story, len(docs))
	size := 0
	for i, d := range docs {
		stories[i] = story{tokens.NewField(d.Item.Title), tokens.NewField(d.Text)}
		size += len(d.Item.Title) + len(d.Text)
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for i := 0; b.Loop(); i++ {
		s := stories[i%len(stories)]
		x.Recognize(s.title, s.body, "en")
	}
	// CPU time, every goroutine and the collector's: on the shared machine
	// other processes move it far less than wall time
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N), "cpu-µs/op")
}

// BenchmarkRecognizeAsEnriched is recognition as enrichment runs it: each
// field's words noted in the shared word table first (enrich's split), over
// wikiref220's articles and uci-news headlines (the texts `process` is
// measured on), so the name rules' cost per article and per headline shows.
func BenchmarkRecognizeAsEnriched(b *testing.B) {
	x, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	type story struct{ title, body tokens.Field }
	noted := func(s string) tokens.Field {
		f := tokens.NewField(s)
		wordtable.Note(f.Tokens)
		return f
	}
	var articles, headlines []story
	for _, d := range shareddata.WikiRef(b) {
		articles = append(articles, story{noted(d.Item.Title), noted(d.Text)})
	}
	rows := shareddata.UCI(b)
	for _, r := range rows[:min(len(rows), 3000)] {
		headlines = append(headlines, story{noted(r.Item.Title), tokens.Field{}})
	}
	for _, set := range []struct {
		name    string
		stories []story
	}{{"articles", articles}, {"headlines", headlines}} {
		b.Run(set.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Self()
			for i := 0; b.Loop(); i++ {
				s := set.stories[i%len(set.stories)]
				x.Recognize(s.title, s.body, "en")
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N), "cpu-µs/op")
		})
	}
}
