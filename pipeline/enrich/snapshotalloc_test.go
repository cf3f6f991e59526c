package enrich

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// copied is en with bytes of its own: an emit copies what it keeps, as a
// snapshot reuses its entries' bytes once emit returns (state.Owner).
func copied(en state.Entry) state.Entry {
	return state.Entry{Table: en.Table, Key: bytes.Clone(en.Key), Value: bytes.Clone(en.Value)}
}

// A snapshot's terms are cut from one array reused from chunk to chunk,
// since every emit copies what it keeps (state.Owner): beyond what the
// corpus's and the surname map's own Each allocate (their sorted copies),
// a snapshot allocates a chunk, not the corpus. Round 38's 10k + 1M run
// allocated ≈ 23 MB a compaction in the enricher's snapshot, a third of
// it a fresh 64 KiB array per ≈ 2,700 terms, and what a compaction
// allocated while the collector marked counted live at the next
// collection (BENCHMARKS.md, round 38, peak38).
func TestASnapshotAllocatesAChunkNotTheCorpus(t *testing.T) {
	e, terms := learned(t, 1500)
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	emitted := 0
	snap := func() {
		emitted = 0
		if err := e.Snapshot(func(en state.Entry) error {
			emitted += len(en.Key) + len(en.Value)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	lists := func() {
		e.keywords.EachHeld(func(string, float64) error { return nil })
		e.entities.Aliases().Each(func(string, []byte) error { return nil })
	}
	snap() // the first may size what the later ones reuse
	got, sorted := allocated(snap), allocated(lists)
	t.Logf("%d terms, emitted %d bytes; the snapshot allocated %d, the sorted lists %d", len(terms), emitted, got, sorted)
	const bound = 2 * termChunk // a chunk's array, and slack for the few global entries
	if emitted < 4*bound {
		t.Fatalf("the state emitted %d bytes: too small to tell a chunk from the corpus", emitted)
	}
	if got > sorted+bound {
		t.Errorf("a snapshot emitting %d bytes allocated %d beyond its sorted lists, want at most %d", emitted, got-sorted, bound)
	}
}
