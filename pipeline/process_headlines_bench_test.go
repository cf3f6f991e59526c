package pipeline_test

import (
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkProcessHeadlines is the decide path of `wirestream process`
// over uci-news' headlines (no body, as the library ceiling's headline
// file carries them): every stage, state in memory, batches of 200 (the
// process's), a new pipeline per op. cpu-ns/story counts only the
// batches — not building the pipeline nor parsing a feed —, so a cut on
// the per-headline path shows here before the ceiling can tell it apart.
//
//	go test -run '^$' -bench ProcessHeadlines -benchtime 5x ./pipeline/
func BenchmarkProcessHeadlines(b *testing.B) {
	items, err := datasets.LoadUCI(filepath.Join(shareddata.Dir(b), "uci-news", "dev.csv"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range items {
		items[i].Description, items[i].Content, items[i].Categories = "", "", nil
	}
	benchProcess(b, record.FeedRef{URL: "https://uci-news.invalid/"}, items, time.Date(2014, 3, 12, 0, 0, 0, 0, time.UTC))
}

// benchProcess runs items through a new in-memory pipeline per op, in
// the process's batches, and reports per story the CPU, allocations and
// bytes of the batches alone — not building the pipeline nor closing its
// state.
func benchProcess(b *testing.B, feed record.FeedRef, items []record.Item, now time.Time) {
	var cpu float64
	var mallocs, bytes uint64
	var m0, m1 runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		p, closeState := newMemoryProcess(b, now)
		runtime.ReadMemStats(&m0)
		cpu0 := cputime.Self()
		processInBatches(b, p, feed, items)
		cpu += cputime.Self() - cpu0
		runtime.ReadMemStats(&m1)
		mallocs, bytes = mallocs+m1.Mallocs-m0.Mallocs, bytes+m1.TotalAlloc-m0.TotalAlloc
		closeState()
	}
	stories := float64(b.N * len(items))
	b.ReportMetric(cpu*1e9/stories, "cpu-ns/story")
	// allocs/op and B/op count building the pipeline too; these count
	// only the batches, exactly (the runtime's own totals), as cpu-ns/story.
	b.ReportMetric(float64(mallocs)/stories, "allocs/story")
	b.ReportMetric(float64(bytes)/stories, "B/story")
}
