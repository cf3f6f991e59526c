package pipeline_test

import (
	"path/filepath"
	"testing"
	"time"

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
	benchProcess(b, record.FeedRef{URL: "https://wikiref220.invalid/"}, items, time.Date(2016, 1, 2, 0, 0, 0, 0, time.UTC))
}
