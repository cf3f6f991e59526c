package events

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

// Changes hands the caller a batch's encoded entries, which it owns until
// they are committed. The bytes were encoded into a buffer kept for the
// next batch and copied out at the end; when the batches' sizes varied,
// the buffer and the spans were given back (reuse) and grown again from
// nothing, by doubling, so a run allocated its changes' bytes two or
// three times over (round 36: ≈ 1.9 GB in the 10k + 1M run for ≈ 1 GB of
// entries). Over batches of 400 and 8 events' entries in turn (2 KB
// each, as an event of a few stories), the record of changes must
// allocate little more than the entries it returns: their keys and
// values, and their Entry headers.
func TestTheRecordOfChangesAllocatesABatchsEntriesAboutOnce(t *testing.T) {
	value := bytes.Repeat([]byte{'v'}, 2000)
	names := make([]string, 400)
	for i := range names {
		names[i] = fmt.Sprintf("e_%016x", i)
	}
	var l changes
	var allocated, entryBytes uint64
	var before, after runtime.MemStats
	for round := range 16 {
		n := 8
		if round%2 == 0 {
			n = 400
		}
		l.buf, l.spans = l.buf[:0], l.spans[:0] // as Changes begins
		runtime.ReadMemStats(&before)
		for _, id := range names[:n] {
			l.add('e', id, func(b []byte) []byte { return append(b, value...) })
		}
		es := l.entries()
		runtime.ReadMemStats(&after)
		if len(es) != n {
			t.Fatalf("%d entries, want %d", len(es), n)
		}
		if round < 2 {
			continue // the scratch's first growth
		}
		allocated += after.TotalAlloc - before.TotalAlloc
		for _, e := range es {
			if !bytes.Equal(e.Value, value) {
				t.Fatalf("entry %s: a value of %d bytes, not the one written", e.Key, len(e.Value))
			}
			entryBytes += uint64(len(e.Key) + len(e.Value) + 56) // 56: the Entry itself
		}
	}
	ratio := float64(allocated) / float64(entryBytes)
	if ratio > 1.25 {
		t.Errorf("the record of changes allocated %d bytes for %d bytes of entries (%.2f×), want ≤ 1.25×", allocated, entryBytes, ratio)
	}
	t.Logf("%d bytes allocated for %d bytes of entries (%.2f×)", allocated, entryBytes, ratio)
}
