package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// BenchmarkNearHotValue: every remembered story carries one value of band
// 0 (the same first two MinHash values: a template sentence, a hostile
// feed), the rest are its own. insert adds one more such story; query
// looks up a copy of a remembered one that keeps band 0 and 60 % of its
// other values (found/copy: the fraction answered with its original).
// Each size is built inside its b.Run, so -bench can leave the largest
// out: without a bound on hot values, building a million takes minutes.
//
//	go test -run '^$' -bench NearHotValue -benchtime 1000x ./pipeline/dedupe/
func BenchmarkNearHotValue(b *testing.B) {
	cfg := DefaultConfig()
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		r := rand.New(rand.NewPCG(9, uint64(n)))
		hot := randomSig(r, 2)
		next := func() []uint32 {
			s := randomSig(r, cfg.MinHashes)
			copy(s, hot)
			return s
		}
		var x *index
		var kept [][]uint32
		build := func() {
			if x != nil {
				return
			}
			x = newIndex(cfg.MinHashes, cfg.Bands)
			for i := 0; i < n; i++ {
				s := next()
				x.add(uint64(i+1), int64(i), s, false)
				if i%(n/1000) == 0 {
					kept = append(kept, s)
				}
			}
			x.rebuild() // tables sized for n: the inserts measured do not grow them
		}
		b.Run(fmt.Sprintf("stories=%d/query", n), func(b *testing.B) {
			build()
			queries := make([][]uint32, 1024)
			src := make([]uint64, len(queries))
			for i := range queries {
				j := r.IntN(len(kept))
				q := slices.Clone(kept[j])
				for v := 2; v < len(q); v++ {
					if r.Float64() >= 0.6 {
						q[v] = r.Uint32()
					}
				}
				queries[i], src[i] = q, uint64(j*(n/1000)+1)
			}
			found := 0
			cpu0 := cputime.Self()
			for i := 0; b.Loop(); i++ {
				q := i % len(queries)
				if key, sim, ok := x.query(queries[q], 0, 0); ok && key == src[q] && sim >= cfg.Threshold {
					found++
				}
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(found)/float64(b.N), "found/copy")
		})
		b.Run(fmt.Sprintf("stories=%d/insert", n), func(b *testing.B) {
			build()
			sigs := make([][]uint32, 4096)
			for i := range sigs {
				sigs[i] = next()
			}
			key := uint64(n)
			cpu0 := cputime.Self()
			for i := 0; b.Loop(); i++ {
				key++
				x.add(key, int64(key), sigs[i%len(sigs)], false)
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
		})
	}
}
