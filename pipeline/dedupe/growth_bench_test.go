package dedupe

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
)

// BenchmarkGrowthPeak feeds the whole deduper n new stories from empty
// (rememberStories: three aliases and a signature each, a thousand a
// batch) and reports the heap at its peak on the way: the most heap
// objects seen (live and not yet swept), the most live heap a collection
// marked, the bytes allocated, and the CPU per story (its decision and
// commit). An array that grows by copying itself is in the heap twice
// while it is copied, and its old copy is marked live by a collection
// that runs meanwhile; GOGC is the default, so the figures are the
// process's, not a fixed budget's. n is DEDUPE_GROWTH_STORIES, 1M unless
// set.
//
//	go test -run '^$' -bench GrowthPeak -benchtime 1x ./pipeline/dedupe/
func BenchmarkGrowthPeak(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("DEDUPE_GROWTH_STORIES")); err == nil && v > 0 {
		n = v / 1000 * 1000
	}
	for b.Loop() {
		samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		var maxObjects, maxLive uint64
		done := make(chan struct{})
		var wg sync.WaitGroup
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		wg.Go(func() {
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			for {
				metrics.Read(samples)
				maxObjects = max(maxObjects, samples[0].Value.Uint64())
				maxLive = max(maxLive, samples[1].Value.Uint64())
				select {
				case <-done:
					return
				case <-tick.C:
				}
			}
		})
		cpu0 := cputime.Self()
		d, _, _ := rememberStories(b, n)
		cpu := cputime.Self() - cpu0
		close(done)
		wg.Wait()
		runtime.ReadMemStats(&after)
		runtime.GC()
		var end runtime.MemStats
		runtime.ReadMemStats(&end)
		b.ReportMetric(float64(maxObjects)/(1<<20), "peak-heap-objects-MiB")
		b.ReportMetric(float64(maxLive)/(1<<20), "peak-live-MiB")
		b.ReportMetric(float64(end.HeapAlloc)/(1<<20), "end-live-MiB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MiB")
		b.ReportMetric(cpu*1e9/float64(n), "cpu-ns/story")
		b.ReportMetric(float64(after.NumGC-before.NumGC), "gcs")
		runtime.KeepAlive(d)
	}
}
