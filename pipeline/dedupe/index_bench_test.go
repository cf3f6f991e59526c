package dedupe

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// BenchmarkIndexSettings measures the near-duplicate index's heap per
// story and its lookup time at a million remembered stories for the
// default signature (64 MinHashes in 32 bands) and smaller ones that
// dedupe.minhashes / dedupe.bands can select (40 in 20 and 32 in 16 are
// the settings of `eval dedupe`'s studies under ≈ 150 B a story). Check a setting's accuracy
// with `go run ./cmd/loadtest eval-dedupe -config FILE` before using it.
//
//	go test -run '^$' -bench IndexSettings -benchtime 20000x ./pipeline/dedupe/
func BenchmarkIndexSettings(b *testing.B) {
	const n = 1_000_000
	for _, kb := range [][2]int{{64, 32}, {48, 24}, {40, 20}, {32, 16}, {32, 32}, {16, 8}} {
		k, bands := kb[0], kb[1]
		b.Run(fmt.Sprintf("minhashes=%d/bands=%d/stories=%d", k, bands, n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, uint64(k*100+bands)))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			x := newIndex(k, bands)
			for i := 0; i < n; i++ {
				x.add(uint64(i+1), int64(i), randomSig(r, k), false)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			perStory := float64(after.HeapAlloc-before.HeapAlloc) / n
			r = rand.New(rand.NewPCG(3, uint64(k*100+bands))) // the same signatures again, to make copies of
			var sigs [][]uint32
			for i := 0; i < n; i++ {
				s := randomSig(r, k)
				if i%2000 == 0 {
					sigs = append(sigs, s)
				}
			}
			queries := make([][]uint32, 1024)
			for i := range queries {
				queries[i] = randomSig(r, k)
				if i%2 == 0 { // a copy of a remembered story with 70 % of its values
					q := append([]uint32(nil), sigs[i/2%len(sigs)]...)
					for j := range q {
						if r.Float64() < 0.3 {
							q[j] = r.Uint32()
						}
					}
					queries[i] = q
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				x.query(queries[i%len(queries)], 0, 0)
			}
			b.ReportMetric(perStory, "heapB/story")
			runtime.KeepAlive(x)
		})
	}
}
