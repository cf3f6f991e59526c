package main

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/spikes"
)

// BenchmarkStageMemory is the heap the events and spikes stages keep
// after a cold start's stories: the harness's news texts (2,000 feeds'
// first pages, 10 items each, 10 % wire copies, all published at one
// time, as -until-done offers them) normalized, enriched, assigned to
// events and counted by spikes in batches of 100 with their state-log
// changes taken, as the pipeline does; nothing else keeps the stories.
// Each stage's figure is the heap a collection frees when the stage is
// dropped: its state and whatever only it keeps alive (the texts its
// strings are slices of).
//
//	go test -run '^$' -bench StageMemory -benchtime 1x ./cmd/loadtest/
//
// STAGE_FEEDS=10000 measures 10,000 feeds' first pages (≈ 90k stories);
// STAGE_HEAPPROFILE=FILE writes a heap profile while both stages are
// alive (run with -memprofilerate 1 to see every allocation site).
func BenchmarkStageMemory(b *testing.B) {
	cfg, err := loadConfig("")
	if err != nil {
		b.Fatal(err)
	}
	feeds := 2000
	if v := os.Getenv("STAGE_FEEDS"); v != "" {
		if feeds, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	g := gen{seed: 5, feeds: feeds, bodyWords: 120, copyShare: 0.1, text: textNews}
	items := generated(g, 10)
	for b.Loop() {
		norm := normalize.New(cfg.Normalize, nil)
		e, err := enrich.New(cfg.Enrich)
		if err != nil {
			b.Fatal(err)
		}
		c := events.New(cfg.Events, nil)
		c.TrackChanges(true)
		d := spikes.New(cfg.Spikes, nil)
		d.TrackChanges(true)
		now := time.Now()
		for i, it := range items {
			if it.copy { // dedupe answers it as a duplicate
				continue
			}
			s, err := norm.Normalize(it.rec, now)
			if err != nil {
				b.Fatal(err)
			}
			e.Enrich(s, "")
			s.EventID = c.Assign(s)
			d.Observe(s)
			if i%100 == 99 {
				c.Changes()
				d.Changes()
				c.Expire(s.EventTime())
			}
		}
		c.Changes()
		d.Changes()
		heap := func() float64 {
			var m runtime.MemStats
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&m)
			return float64(m.HeapAlloc)
		}
		all := heap()
		if path := os.Getenv("STAGE_HEAPPROFILE"); path != "" {
			if err := writeHeapProfileNoGC(path); err != nil { // both stages alive: their bytes by allocation site
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(c.Active()), "events")
		b.ReportMetric(float64(d.Terms()), "terms")
		runtime.KeepAlive(d)
		noSpikes := heap() // d is dead from here: only c is kept
		runtime.KeepAlive(c)
		noEvents := heap()
		b.ReportMetric((all-noSpikes)/1e6, "spikesMB")
		b.ReportMetric((noSpikes-noEvents)/1e6, "eventsMB")
		runtime.KeepAlive(e)
	}
}
