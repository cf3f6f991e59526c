package state

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// headlineEntries is a run of `process` over 3,400 headlines in batches of
// 200, as the trackers commit it: per story about what a uci-news headline
// commits (counted in round 28): events' four term entries and its story,
// enrichment's 2.7 words, spikes' two seen keys (a third of them deleted
// later), 1.7 terms and a third of an observation (deleted later).
func headlineEntries() [][]Entry {
	r := rand.New(rand.NewPCG(28, 28))
	word := func(kind byte) []byte { return fmt.Appendf([]byte{kind}, "word%d", r.IntN(3000)) }
	id := func(kind byte, n int) []byte { return binary.LittleEndian.AppendUint64([]byte{kind}, uint64(n)) }
	val := func(n int) []byte { return make([]byte, n) }
	var batches [][]Entry
	for b := range 17 {
		var es []Entry
		for s := b * 200; s < (b+1)*200; s++ {
			for range 4 {
				es = append(es, Entry{Events, word('d'), val(14)})
			}
			es = append(es, Entry{Events, id('s', s), val(18)})
			for range 2 + s%10/7 {
				es = append(es, Entry{Enrich, word('w'), val(8)})
			}
			es = append(es, Entry{Spikes, id('k', 2*s), val(3)}, Entry{Spikes, id('k', 2*s+1), val(3)})
			if s%3 == 0 && s > 300 {
				es = append(es, Entry{Spikes, id('k', 2*(s-300)), nil})
			}
			for range 1 + s%10/3 {
				es = append(es, Entry{Spikes, word('t'), val(48)})
			}
			if s%3 == 0 {
				es = append(es, Entry{Spikes, id('o', s), val(180)})
			}
			es = append(es, Entry{Spikes, id('o', s-1), nil})
			es = append(es, Entry{Stories, id('s', s), val(50)}) // not a tracker's
		}
		batches = append(batches, es)
	}
	return batches
}

// BenchmarkMemoryLogAppend is what `process` (state in memory) spends
// keeping the trackers' committed entries for a rewind: one run's worth
// of headlines' entries into a new memory log per op.
//
//	go test -run '^$' -bench MemoryLogAppend -benchtime 20x ./pipeline/state/
func BenchmarkMemoryLogAppend(b *testing.B) {
	batches := headlineEntries()
	n := 0
	for _, es := range batches {
		n += len(es)
	}
	owners := []Owner{newMapOwner(Events), newMapOwner(Spikes), newMapOwner(Enrich)}
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		m := newMemoryLog(owners)
		for _, es := range batches {
			m.append(es)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N*n), "cpu-ns/entry")
}
