package main

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkEnrichByText is enrichment's CPU per story, and what it finds,
// over the texts the harness can serve and over real news cut to the same
// length (WikiRef220's articles, their first 120 words): the part of the
// end-to-end figure that depends most on the text.
func BenchmarkEnrichByText(b *testing.B) {
	cfg, err := loadConfig("")
	if err != nil {
		b.Fatal(err)
	}
	norm := normalize.New(cfg.Normalize, nil)
	now := time.Now()
	texts := map[string][]record.Item{}
	for _, text := range []string{textNews, textTemplate} {
		g := gen{seed: 5, feeds: 1000, bodyWords: 120, copyShare: 0.1, text: text}
		for _, it := range generated(g, 1)[:400] {
			texts[text] = append(texts[text], it.rec)
		}
	}
	for _, it := range wikiStream(b, 120, 0) {
		texts["wikiref220-120w"] = append(texts["wikiref220-120w"], it.rec)
	}
	for _, name := range []string{"wikiref220-120w", textNews, textTemplate} {
		b.Run(name, func(b *testing.B) {
			var stories []*record.Story
			for _, it := range texts[name] {
				s, err := norm.Normalize(it, now)
				if err != nil {
					b.Fatal(err)
				}
				stories = append(stories, s)
			}
			var cpu float64
			n, ents, kws, tops := 0, 0, 0, 0
			for b.Loop() {
				e, err := enrich.New(cfg.Enrich)
				if err != nil {
					b.Fatal(err)
				}
				cpu0 := cputime.Self()
				for _, s := range stories {
					e.Enrich(s, "")
				}
				cpu += cputime.Self() - cpu0
				for _, s := range stories {
					n, ents, kws, tops = n+1, ents+len(s.Entities), kws+len(s.Keywords), tops+len(s.Topics)
				}
			}
			b.ReportMetric(cpu*1e6/float64(n), "cpu-µs/story")
			b.ReportMetric(float64(ents)/float64(n), "entities/story")
			b.ReportMetric(float64(kws)/float64(n), "keywords/story")
			b.ReportMetric(float64(tops)/float64(n), "topics/story")
		})
	}
}
