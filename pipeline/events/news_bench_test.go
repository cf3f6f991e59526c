package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Sizes of BenchmarkAssignNews. The load harness's saturated scenario
// (BENCHMARKS.md, round 28: harness28) prefills dedupe's memory only; its
// clusterer starts empty and takes ≈ 15,000 stories in a run, so it holds
// what 7,500 stories made in the middle of one. A long-running instance
// holds a window's worth: 30,000 stories is two days of 1,000 feeds.
const (
	newsPrefill = 30_000
	newsServed  = 6_000 // the stories a run of the benchmark can take, cycled past that
	newsBatch   = 10    // stories a batch, as a feed poll's new items reach the second stage
)

// newsStories is newstext's 120-word stories as the harness serves them
// (a dateline before the first paragraph, the desk's footer after the
// last), enriched by the default enricher: entities, keywords and topics
// as the pipeline hands them to the clusterer. Made once a process: the
// enrichment of 36,000 stories is most of a benchmark's set-up.
var newsStories = sync.OnceValue(func() []record.Story {
	e, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		panic(err)
	}
	m := newstext.Default()
	r := rand.New(rand.NewPCG(29, 12))
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	out := make([]record.Story, newsPrefill+newsServed)
	ptrs := make([]*record.Story, len(out))
	langs := make([]string, len(out))
	for i := range out {
		s := m.Story(r, 120)
		body := s.Paras[0]
		for _, p := range s.Paras[1:] {
			body += "\n\n" + p
		}
		out[i] = record.Story{
			Type: record.TypeStory, ID: fmt.Sprintf("s_%022d", i), Version: 1,
			Publisher: fmt.Sprintf("feed %d", r.IntN(1000)),
			Title:     s.Title,
			Summary:   s.Paras[0],
			Body:      s.Place + " — " + body + fmt.Sprintf("\n\nReporting by staff of feed %d; editing by desk %d.", r.IntN(1000), r.IntN(50)),
			// the harness's stories carry no published time: the clock is
			// when they were first seen, ≈ 500 a second at saturation
			FirstSeen: t0.Add(time.Duration(i) * 2 * time.Millisecond),
			Language:  "en",
		}
		ptrs[i], langs[i] = &out[i], "en"
	}
	e.EnrichAll(ptrs, langs)
	return out
})

// BenchmarkAssignNews is the events stage of the pipeline over the load
// harness's news-like text: a clusterer that has taken 7,500 or 30,000
// stories (with change tracking, as a daemon with a state store runs it)
// takes batches of new stories — Assign each, the new
// state of each event the batch changed (Current), the batch's state
// changes (Changes). cpu-ns/story is the process's CPU time per story,
// GC included; allocs/op and B/op are a story's.
//
//	go test -run '^$' -bench AssignNews -benchtime 3000x ./pipeline/events/
func BenchmarkAssignNews(b *testing.B) {
	for _, before := range []int{7_500, newsPrefill} {
		b.Run(fmt.Sprintf("before=%d", before), func(b *testing.B) { benchAssignNews(b, before) })
	}
}

func benchAssignNews(b *testing.B, before int) {
	all := newsStories()
	prefill, served := all[newsPrefill-before:newsPrefill], all[newsPrefill:]
	var heap0, heap1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&heap0)
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	for i := 0; i < len(prefill); i += newsBatch {
		batch(c, prefill[i:min(i+newsBatch, len(prefill))], nil)
	}
	runtime.GC()
	runtime.ReadMemStats(&heap1)
	active, scored0 := c.Active(), c.scored
	// the served stories are copies: Assign writes the story's event and topics
	stories := make([]record.Story, b.N)
	for i := range stories {
		stories[i] = served[i%len(served)]
		if i >= len(served) { // a cycle past the end: new stories, later
			stories[i].ID = fmt.Sprintf("%s_%d", stories[i].ID, i/len(served))
			stories[i].FirstSeen = stories[i].FirstSeen.Add(time.Duration(i/len(served)) * time.Duration(len(served)) * 2 * time.Millisecond)
		}
	}
	var touched []string
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Self()
	for i := 0; i < len(stories); i += newsBatch {
		touched = batch(c, stories[i:min(i+newsBatch, len(stories))], touched)
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/story")
	b.StopTimer()
	b.ReportMetric(float64(active), "events-live")
	// the clusterer's heap after the prefill (its term dictionary and
	// index included), per live event
	b.ReportMetric((float64(heap1.HeapAlloc)-float64(heap0.HeapAlloc))/float64(active), "heapB/event")
	b.ReportMetric(float64(c.scored-scored0)/float64(b.N), "candidates/story")
}

// batch is the events part of one run of the pipeline's second stage:
// each story assigned, each touched event's state taken once, then the
// batch's changes for the state log.
func batch(c *Clusterer, ss []record.Story, touched []string) []string {
	touched = touched[:0]
	for i := range ss {
		id := c.Assign(&ss[i])
		seen := false
		for _, t := range touched {
			if t == id {
				seen = true
				break
			}
		}
		if !seen {
			touched = append(touched, id)
		}
	}
	for _, id := range touched {
		c.Current(id)
	}
	c.Changes()
	return touched
}

// BenchmarkSnapshotNews is the events' state snapshot (Snapshot, as the
// state store's compaction takes it) of a clusterer that has taken the
// 30,000 stories of BenchmarkAssignNews's long-running case.
// cpu-ns/snapshot is the process's CPU time per snapshot.
//
//	go test -run '^$' -bench SnapshotNews -benchtime 20x ./pipeline/events/
func BenchmarkSnapshotNews(b *testing.B) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	prefill := newsStories()[:newsPrefill]
	for i := 0; i < len(prefill); i += newsBatch {
		batch(c, prefill[i:min(i+newsBatch, len(prefill))], nil)
	}
	entries := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Self()
	for range b.N {
		entries = 0
		if err := c.Snapshot(func(state.Entry) error { entries++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/snapshot")
	b.StopTimer()
	b.ReportMetric(float64(entries), "entries")
}
