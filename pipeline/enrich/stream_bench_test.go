package enrich

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkEnrichNewsStream is the enrich stage as the load harness runs
// it: EnrichAll over batches of 32 of its news text, then Changes (the
// state log's record of what the batch taught), after 12,000 stories
// have warmed the corpus and the surname map, so that the corpus's
// tables are megabytes, as in a run, not the cache-sized ones of
// BenchmarkEnrichNews's warm-up of 2,000 (whose lookups are cheap for
// it). The stories an op reads are fresh ones of the same stream, 4,096
// made ahead and then read again.
func BenchmarkEnrichNewsStream(b *testing.B) {
	e := newE(b)
	e.TrackChanges(true)
	enrichNewsStream(e, 29, 12_000, func([]*record.Story) { e.Changes() })

	m := newstext.New(31)
	r := rand.New(rand.NewPCG(31, 12))
	stories := make([]record.Story, 4096)
	for i := range stories {
		stories[i] = *newsStory(m, r, i, 120)
	}
	const batch = 32
	work := make([]record.Story, batch)
	ptrs := make([]*record.Story, batch)
	langs := make([]string, batch)
	next, entries := 0, 0
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		for i := range work {
			work[i] = stories[next%len(stories)]
			ptrs[i] = &work[i]
			next++
		}
		e.EnrichAll(ptrs, langs)
		entries += len(e.Changes())
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N*batch), "cpu-µs/story")
	b.ReportMetric(float64(entries)/float64(b.N*batch), "entries/story")
	terms, _ := e.keywords.Stats()
	b.ReportMetric(float64(terms), "corpus-terms")
}
