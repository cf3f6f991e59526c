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

// BenchmarkProcessArticles is BenchmarkProcessHeadlines over the library
// ceiling's article file: wikiref220's 220 full-text articles (≈ 5 KB
// each), every stage, state in memory, batches of 200, a new pipeline per
// op; cpu-ns/story counts only the batches. It is the in-process reading
// of the ceiling's "per 5 KB article" row, which at the box's usual load
// cannot resolve a few per cent.
//
//	go test -run '^$' -bench ProcessArticles -benchtime 5x ./pipeline/
func BenchmarkProcessArticles(b *testing.B) {
	items, err := datasets.LoadWikiRef(filepath.Join(shareddata.Dir(b), "wikiref220"))
	if err != nil {
		b.Fatal(err)
	}
	feed := record.FeedRef{URL: "https://wikiref220.invalid/"}
	var cpu float64
	var mallocs, bytes uint64
	var m0, m1 runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		p, closeState := newMemoryProcess(b, time.Date(2016, 1, 2, 0, 0, 0, 0, time.UTC))
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
	b.ReportMetric(float64(mallocs)/stories, "allocs/story")
	b.ReportMetric(float64(bytes)/stories, "B/story")
}
