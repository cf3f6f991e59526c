package dedupe

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkSnapshot measures the deduper's whole snapshot (stories,
// copies, aliases, signatures) of a state like a saturated harness run's
// (≈ 40k items checked), the background compaction's largest part in the
// harness's profile: CPU and allocations per entry handed out.
func BenchmarkSnapshot(b *testing.B) {
	d, st := newDeduper(b, nil)
	feedStream(b, d, st, newStreamGen(40), 0, 40_000, t0)
	b.ReportAllocs()
	n := 0
	cpu0 := cputime.Self()
	for b.Loop() {
		if err := d.Snapshot(func(state.Entry) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(n), "cpu-ns/entry")
	b.ReportMetric(float64(n)/float64(b.N), "entries")
}
