package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// preChunkSnapshot is the hash of chunkStreamSnapshot's snapshot computed
// by the code before the slot arrays and story records were chunked
// (55fee77f, flat arrays): the chunked arrays must write the same bytes
// in the same order.
const preChunkSnapshot = "6ccdc016fda49bf154030171248aa44b8bd48fc5175bb7189e9dd402f300a7f1"

// chunkStreamSnapshot feeds 200,000 stories of the codec tests' stream
// (two seconds apart, so the 72 h window expires signatures as it goes)
// with a prune every 20,000, under a max_entries that first lets the
// memory grow past three chunks (8 Ki rows each), then holds it under
// one chunk, then lets it grow past two again: compaction moves rows
// across chunk boundaries, lets chunks go and grows them back. It
// returns the hash of the snapshot's entries in the order they are
// emitted (slot order for stories and signatures) and of the snapshot of
// a deduper restored from it.
func chunkStreamSnapshot(t *testing.T) (snapshot, restored string) {
	d, st := newDeduper(t, nil)
	g := newStreamGen(41)
	const n, step = 200_000, 20_000
	for from := 0; from < n; from += step {
		switch {
		case from < 100_000:
			d.bounds = Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 1 << 30}
		case from < 140_000:
			d.bounds = Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 30_000}
		default:
			d.bounds = Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 150_000}
		}
		feedStream(t, d, st, g, from, step, t0.Add(time.Duration(from)*time.Second))
		if _, _, ok := d.Prune(); !ok {
			t.Fatal("prune refused")
		}
	}
	var entries []state.Entry
	if err := d.Snapshot(func(e state.Entry) error { entries = append(entries, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	hashEntries(h, entries)
	snapshot = hex.EncodeToString(h.Sum(nil))

	r, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.mem.stories.c {
		if cap(c) > chunkRows {
			t.Fatalf("a restore allocated a story chunk of %d rows", cap(c))
		}
	}
	h.Reset()
	if err := r.Snapshot(func(e state.Entry) error { hashEntries(h, []state.Entry{e}); return nil }); err != nil {
		t.Fatal(err)
	}
	return snapshot, hex.EncodeToString(h.Sum(nil))
}

func hashEntries(h hash.Hash, es []state.Entry) {
	for _, e := range es {
		fmt.Fprintf(h, "%s %x %x\n", e.Table, e.Key, e.Value)
	}
}

// A stream long enough to cross several chunks, compacted below one and
// grown again, snapshots to the bytes the flat arrays wrote, and a
// restore of it snapshots to the same. Five minutes without the race
// detector on a loaded box: run it with DEDUPE_CHUNK_STREAM=1.
func TestAChunkCrossingStreamSnapshotsAsTheFlatArraysDid(t *testing.T) {
	if os.Getenv("DEDUPE_CHUNK_STREAM") == "" {
		t.Skip("200,000 stories: set DEDUPE_CHUNK_STREAM=1")
	}
	snap, restored := chunkStreamSnapshot(t)
	if snap != preChunkSnapshot {
		t.Errorf("snapshot hashes to %s, the flat arrays' to %s", snap, preChunkSnapshot)
	}
	if restored != snap {
		t.Errorf("the restored deduper snapshots to %s, the one it was restored from to %s", restored, snap)
	}
}
