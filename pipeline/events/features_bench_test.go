package events

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkFeaturesReal is features — a story's words split, normalized
// and interned, its entity keys and keywords added — over real text:
// WikiRef220's articles (title and 5 KB body) and uci-news' headlines
// (title and the link's slug words). Every term stays held, as the
// document frequencies hold a stream's words, so a word is interned anew
// only the first time. cpu-ns/story is the process's CPU time per story.
//
//	go test -run '^$' -bench FeaturesReal ./pipeline/events/
func BenchmarkFeaturesReal(b *testing.B) {
	for _, set := range []struct {
		name string
		docs func(testing.TB) []record.Story
	}{{"articles", articleStories}, {"headlines", headlineStories}} {
		b.Run(set.name, func(b *testing.B) {
			stories := set.docs(b)
			cfg := DefaultConfig()
			var fb featureBuf
			d := newDict()
			var held []bool
			b.ReportAllocs()
			cpu0 := cputime.Self()
			n := 0
			for b.Loop() {
				for i := range stories {
					for _, t := range features(&stories[i], &cfg, &fb, d) {
						if int(t.id) >= len(held) {
							held = append(held, make([]bool, int(t.id)+1-len(held))...)
						}
						if !held[t.id] {
							held[t.id] = true
							d.acquire(t.id)
						}
					}
					n++
				}
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(n), "cpu-ns/story")
		})
	}
}

func articleStories(tb testing.TB) []record.Story {
	var out []record.Story
	for _, d := range shareddata.WikiRef(tb) {
		out = append(out, record.Story{Title: d.Item.Title, Body: d.Text, URL: d.Item.Link, Language: "en"})
	}
	return out
}

func headlineStories(tb testing.TB) []record.Story {
	var out []record.Story
	for _, d := range shareddata.UCI(tb) {
		out = append(out, record.Story{Title: d.Item.Title, URL: d.Item.Link, Language: "en"})
	}
	return out
}
