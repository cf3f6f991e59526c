package events

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	enrichtokens "github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// BenchmarkTokens is events' own split of every WikiRef220 article's
// title and body, the per-word work features does before interning.
func BenchmarkTokens(b *testing.B) {
	docs := shareddata.WikiRef(b)
	var dst []string
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := docs[i%len(docs)]
		dst = tokens(dst[:0], d.Item.Title, "en")
		dst = tokens(dst[:0], d.Text, "en")
	}
}

// BenchmarkTermsOf is the terms of every WikiRef220 text (title and
// body) and of every uci-news headline, by events' own scan (scan) and
// from enrichment's split, which enrichment has made already (split):
// the work AssignSplit saves.
func BenchmarkTermsOf(b *testing.B) {
	var articles, headlines []string
	for _, d := range shareddata.WikiRef(b) {
		articles = append(articles, d.Item.Title, d.Text)
	}
	for _, d := range shareddata.UCI(b) {
		headlines = append(headlines, d.Item.Title)
	}
	for _, set := range []struct {
		name  string
		texts []string
	}{{"articles", articles}, {"headlines", headlines}} {
		splits := make([][]enrichtokens.Token, len(set.texts))
		for i, t := range set.texts {
			splits[i] = enrichtokens.Split(t)
		}
		var dst []string
		b.Run(set.name+"/scan", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				dst = tokens(dst[:0], set.texts[i%len(set.texts)], "en")
			}
		})
		b.Run(set.name+"/split", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i % len(set.texts)
				dst = termsOfSplit(dst[:0], set.texts[k], splits[k], "en")
			}
		})
	}
}
