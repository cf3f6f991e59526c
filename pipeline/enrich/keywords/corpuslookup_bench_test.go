package keywords

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// BenchmarkCorpusLookup is the corpus's lookup of a story's terms, as
// pick asks it, at the sizes a run's corpus has (≈ 250k terms after the
// load harness's first 12,000 stories, 400k at keyword_window 20000's
// cap): 200 terms an op, half of them held, half new (a story's
// phrases, mostly unseen).
func BenchmarkCorpusLookup(b *testing.B) {
	for _, n := range []int{250_000, 400_000} {
		terms := newsTerms(n + 100_000)
		c := newCorpus(1<<30, 2*n) // no prune: every term stays
		c.add(terms[:n])
		r := rand.New(rand.NewPCG(44, 1))
		asks := make([][]string, 512)
		for i := range asks {
			for range 100 {
				asks[i] = append(asks[i], terms[r.IntN(n)], terms[n+r.IntN(100_000)])
			}
		}
		out, slots := make([]float64, 200), make([]int32, 200)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			i := 0
			cpu0 := cputime.Self()
			for b.Loop() {
				c.lookup(asks[i%len(asks)], out, slots)
				i++
			}
			// CPU time, which a loaded machine moves far less than wall time
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N*200), "cpu-ns/term")
		})
	}
}
