package state

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// snapshotEntries is a state of n small entries and, when big > 0, one entry
// of big bytes in the middle (a stage's entry as large as a record allows).
func snapshotEntries(n, big int) []Entry {
	es := make([]Entry, 0, n+1)
	for i := 0; i < n; i++ {
		es = append(es, Entry{Table: 3, Key: fmt.Appendf(nil, "key-%08d", i), Value: bytes.Repeat([]byte{byte(i)}, 100)})
		if big > 0 && i == n/2 {
			es = append(es, Entry{Table: 4, Key: []byte("aliases"), Value: bytes.Repeat([]byte{'a'}, big)})
		}
	}
	return es
}

// writeSnapshot writes es as a snapshot and returns the bytes its Write and
// Commit calls allocated.
func writeSnapshot(t *testing.T, path string, es []Entry) uint64 {
	t.Helper()
	s, err := CreateSnapshot(path, 7, []byte("meta"), true)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, e := range es {
		if err := s.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A snapshot's own copies are bounded by one record's worth of small entries,
// not by the state: neither a large state of small entries nor one entry as
// large as dedupe's aliases is copied (round 33: rec, payload and frame held
// a 16 MB entry three times, and every record's payload was a new slice).
func TestSnapshotAllocatesAChunkNotTheState(t *testing.T) {
	dir := t.TempDir()
	const bound = 2 * snapshotRecordBytes
	for _, tc := range []struct {
		name   string
		n, big int
	}{
		{"many small entries (≈ 50 MB)", 400_000, 0},
		{"one 16 MB entry among small ones", 20_000, 16 << 20},
	} {
		es := snapshotEntries(tc.n, tc.big)
		var state int
		for _, e := range es {
			state += entrySize(e)
		}
		got := writeSnapshot(t, filepath.Join(dir, "s"), es)
		t.Logf("%s: %d bytes allocated", tc.name, got)
		if got > bound {
			t.Errorf("%s: a snapshot of %d entries (%d bytes) allocated %d bytes, want ≤ %d", tc.name, len(es), state, got, bound)
		}
	}
}

// oldSnapshotBytes is the snapshot file round 32 wrote for es: entries
// gathered until a record reaches snapshotRecordBytes, each record framed
// from a copy. The streamed writer must write the same bytes.
func oldSnapshotBytes(seq uint64, meta []byte, es []Entry) []byte {
	out := putHeader(nil, kindSnapshot, seq)
	out = appendRecord(out, append([]byte{payloadMeta}, meta...))
	var rec []byte
	n := 0
	flush := func() {
		if n == 0 {
			return
		}
		payload := binary.AppendUvarint([]byte{payloadEntries}, uint64(n))
		out = appendRecord(out, append(payload, rec...))
		rec, n = rec[:0], 0
	}
	for _, e := range es {
		if e.Value == nil {
			continue
		}
		rec = appendEntry(rec, e)
		n++
		if len(rec) >= snapshotRecordBytes {
			flush()
		}
	}
	flush()
	return out
}

func TestSnapshotBytesAreRound32s(t *testing.T) {
	dir := t.TempDir()
	for _, es := range [][]Entry{
		nil,
		snapshotEntries(10, 0),
		snapshotEntries(5_000, 0),
		snapshotEntries(5_000, snapshotRecordBytes),
		snapshotEntries(3, 3*snapshotRecordBytes),
		append(snapshotEntries(100, 0), Entry{Table: 3, Key: []byte("gone")}, Entry{Table: 9, Key: []byte("k"), Value: []byte{}}),
	} {
		path := filepath.Join(dir, "s")
		writeSnapshot(t, path, es)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := oldSnapshotBytes(7, []byte("meta"), es); !bytes.Equal(got, want) {
			t.Fatalf("%d entries: snapshot differs from round 32's (%d bytes, want %d)", len(es), len(got), len(want))
		}
		r, err := OpenSnapshot(path)
		if err != nil {
			t.Fatal(err)
		}
		var read []Entry
		if err := r.Entries(func(e Entry) error {
			read = append(read, Entry{e.Table, bytes.Clone(e.Key), bytes.Clone(e.Value)})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		r.Close()
		var live []Entry
		for _, e := range es {
			if e.Value != nil {
				live = append(live, e)
			}
		}
		if len(read) != len(live) {
			t.Fatalf("read %d entries, wrote %d live", len(read), len(live))
		}
		for i := range live {
			if read[i].Table != live[i].Table || !bytes.Equal(read[i].Key, live[i].Key) || !bytes.Equal(read[i].Value, live[i].Value) {
				t.Fatalf("entry %d differs", i)
			}
		}
	}
}
