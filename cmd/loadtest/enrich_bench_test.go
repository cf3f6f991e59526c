package main

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkEnrichByText is enrichment's and event assignment's CPU per
// story, and what they find, over the texts the harness can serve and over
// real news cut to the same length (WikiRef220's articles, their first 120
// words, in a fixed shuffled order): the parts of the end-to-end figure
// that depend most on the text. 220 stories a text, from empty state.
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
		for _, it := range generated(g, 1)[:220] {
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
			var cpu, ecpu float64
			n, ents, kws, tops, evs := 0, 0, 0, 0, 0
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
				c := events.New(cfg.Events, nil)
				ids := map[string]bool{}
				cpu0 = cputime.Self()
				for _, s := range stories {
					ids[c.Assign(s)] = true
				}
				ecpu += cputime.Self() - cpu0
				evs += len(ids)
				for _, s := range stories {
					n, ents, kws, tops = n+1, ents+len(s.Entities), kws+len(s.Keywords), tops+len(s.Topics)
				}
			}
			b.ReportMetric(cpu*1e6/float64(n), "cpu-µs/story")
			b.ReportMetric(ecpu*1e6/float64(n), "events-cpu-µs/story")
			b.ReportMetric(float64(evs)/float64(n), "events/story")
			b.ReportMetric(float64(ents)/float64(n), "entities/story")
			b.ReportMetric(float64(kws)/float64(n), "keywords/story")
			b.ReportMetric(float64(tops)/float64(n), "topics/story")
		})
	}
}
