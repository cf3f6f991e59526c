package dedupe

import (
	"bytes"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// copied is e with bytes of its own: an emit copies what it keeps, as a
// snapshot reuses its entries' bytes once emit returns (state.Owner).
func copied(e state.Entry) state.Entry {
	return state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
}

// A snapshot's allocations are bounded by a chunk, not by the state: the
// entries are cut from one array reused from chunk to chunk, since every
// emit copies what it keeps (state.Owner). Round 37's 10k + 1M run
// allocated ≈ 260 MB a compaction here — a fresh array per 4,096 entries —
// and what a compaction allocated while the collector marked was counted
// live at the next collection, the heap's high-water mark moving with it.
func TestASnapshotAllocatesAChunkNotTheState(t *testing.T) {
	d, st := newDeduper(t, nil)
	feedStream(t, d, st, newStreamGen(41), 0, 20_000, t0)
	m := statetest.MeasureSnapshot(t, d.Snapshot) // the first may size what the later ones reuse
	emitted, got := m.Emitted, m.Allocated
	t.Logf("emitted %d bytes, allocated %d", emitted, got)
	// One chunk's array (4,096 entries of the largest kind, ≈ 0.5 MB), the
	// chunk's entry headers (≈ 0.2 MB) and a chunk's aliases (4,096 of 16
	// bytes): 1 MiB bounds them. Round 37 allocated
	// more than the bytes emitted.
	const bound = 1 << 20
	if emitted < 2*bound {
		t.Fatalf("the state emitted %d bytes: too small to tell a chunk from the state", emitted)
	}
	if got > bound {
		t.Errorf("a snapshot emitting %d bytes allocated %d, want at most %d", emitted, got, bound)
	}
}
