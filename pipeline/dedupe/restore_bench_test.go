package dedupe

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkRestoreAMillion measures a restore of a million stories of
// three aliases each from their snapshot (its size hint first, as the
// state log gives it): Load of every entry, then Restored.
//
//	go test -run '^$' -bench RestoreAMillion -benchtime 3x ./pipeline/dedupe/
func BenchmarkRestoreAMillion(b *testing.B) {
	const n = 1_000_000
	bounds := Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 2 * n}
	d, err := New(DefaultConfig(), bounds, nil)
	if err != nil {
		b.Fatal(err)
	}
	d.clock = t0.UnixNano()
	putStoriesWithThreeAliases(d, n, func(int) int64 { return t0.Unix() })
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
	var cpu float64
	for b.Loop() {
		r, err := New(DefaultConfig(), bounds, nil)
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
		if r.mem.live[0] != n || r.mem.aliases.len() != 3*n {
			b.Fatalf("restored %d stories, %d aliases", r.mem.live[0], r.mem.aliases.len())
		}
	}
	b.ReportMetric(cpu*1e3/float64(b.N), "cpu-ms/restore")
}
