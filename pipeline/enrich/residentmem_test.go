package enrich

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkResidentAfterStories is enrichment's live heap after it has read
// n stories of the load harness's news text (newsStories' shape, made one
// batch at a time so the text is not held), with the state log's change
// record on and drained every batch as `run` does: what the corpus and the
// surname map keep as the stream goes on. It reports the live heap over
// the enricher as New left it, the corpus's terms and what the corpus
// alone holds (the heap its Reset frees), and the surname map's entries.
func BenchmarkResidentAfterStories(b *testing.B) {
	for _, n := range []int{10_000, 50_000, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				e := newE(b)
				e.TrackChanges(true)
				base := testkit.LiveHeap()
				enrichNewsStream(e, 29, n, func([]*record.Story) { e.Changes() })
				live := testkit.LiveHeap()
				terms, _ := e.keywords.Stats()
				aliases := e.entities.Aliases().Len()
				e.keywords.Reset() // what the corpus alone held: the heap it frees
				corpus := float64(live) - float64(testkit.LiveHeap())
				b.ReportMetric(float64(live-base)/1e6, "live-MB")
				b.ReportMetric(corpus/1e6, "corpus-MB")
				b.ReportMetric(float64(terms), "corpus-terms")
				b.ReportMetric(corpus/float64(max(terms, 1)), "corpus-B/term")
				b.ReportMetric(float64(aliases), "aliases")
				runtime.KeepAlive(e)
			}
		})
	}
}
