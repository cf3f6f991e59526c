package dedupe

import (
	"runtime"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkRestoreAWeekUnderAShorterWindow restores the snapshot of
// 200,000 stories signed over a week under a 7-day dedupe.window into a
// deduper of the default 72-hour window (an operator shortening the
// window, or a log whose last batches came after its last prune): the
// heap the restored deduper holds before its first prune, per story, and
// the restore's CPU.
//
//	go test -run '^$' -bench RestoreAWeekUnderAShorterWindow -benchtime 3x ./pipeline/dedupe/
func BenchmarkRestoreAWeekUnderAShorterWindow(b *testing.B) {
	const n = 200_000
	week := state.DefaultConfig().SeenTTL
	long := DefaultConfig()
	long.Window = week
	d, _, _ := rememberStoriesSpread(b, n, long, week/(n/1000), 20)
	var entries []state.Entry
	if h, ok := d.SizeHint(); ok {
		entries = append(entries, h)
	}
	if err := d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: append([]byte(nil), e.Key...), Value: append([]byte(nil), e.Value...)})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	d = nil
	var cpu, heap float64
	var indexed int
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cputime.Self()
		for _, e := range entries {
			if err := r.Load(e); err != nil {
				b.Fatal(err)
			}
		}
		if err := r.Restored(); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Self() - cpu0
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap += float64(after.HeapAlloc) - float64(before.HeapAlloc)
		if r.mem.live[0] != n {
			b.Fatalf("restored %d stories", r.mem.live[0])
		}
		indexed = r.idx.slots()
		runtime.KeepAlive(r)
	}
	b.ReportMetric(cpu*1e3/float64(b.N), "cpu-ms/restore")
	b.ReportMetric(heap/float64(b.N)/n, "heapB/story")
	b.ReportMetric(float64(indexed)/n, "slotShare")
}
