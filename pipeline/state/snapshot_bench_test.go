package state

import (
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// BenchmarkSnapshotLargeState writes a snapshot of 200,000 small entries and
// one 16 MB entry (round 33 took dedupe's aliases at 1.1M stories for one
// such entry; each alias is an entry of its own, round 34): bytes
// allocated per snapshot, and peak-heap-B, the highest heap in use sampled
// every 100 µs during it, less the heap before it (the sampler's own CPU is
// in cpu-ns/op, the same for either writer).
func BenchmarkSnapshotLargeState(b *testing.B) {
	es := snapshotEntries(200_000, 16<<20)
	path := filepath.Join(b.TempDir(), "s")
	var peak uint64
	b.ReportAllocs()
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := CreateSnapshot(path, 7, nil, true)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, high := ms.HeapInuse, ms.HeapInuse
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(100 * time.Microsecond):
				}
				runtime.ReadMemStats(&m)
				high = max(high, m.HeapInuse)
			}
		}()
		for _, e := range es {
			if err := s.Write(e); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Commit(); err != nil {
			b.Fatal(err)
		}
		close(done)
		wg.Wait()
		peak = max(peak, high-base)
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}
