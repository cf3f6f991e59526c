package state

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The group commit's record is written in pieces from its entries: the
// segment must hold exactly the bytes encodeEntries makes of them, record
// after record, whatever the mix of tombstones, empty values and values
// larger than the writer's buffer.
func TestAnAppendWritesTheRecordEncodeEntriesMakes(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	collect(t, l)
	segment := activeSegment(t, l)
	before, err := os.ReadFile(segment)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(36, 1))
	want := before
	ctx := context.Background()
	for round := range 30 {
		var es []Entry
		for i := range rng.IntN(300) + 1 {
			e := Entry{Table: Table(rng.IntN(4) + 1), Key: randomBytes(rng, rng.IntN(40))}
			switch rng.IntN(5) {
			case 0: // a tombstone
			case 1:
				e.Value = []byte{}
			case 2:
				if i%7 == 0 {
					e.Value = randomBytes(rng, appendPieceBytes+rng.IntN(3*appendPieceBytes))
					break
				}
				fallthrough
			default:
				e.Value = randomBytes(rng, rng.IntN(2000))
			}
			es = append(es, e)
		}
		if round%2 == 0 {
			must(t, l.Append(ctx, es))
		} else {
			must(t, l.AppendUnsynced(ctx, es))
		}
		want = encodeEntries(want, es)
	}
	got, err := os.ReadFile(segment)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the segment holds %d bytes, not the %d encodeEntries makes (first difference at %d)",
			len(got), len(want), firstDifference(got, want))
	}
	if l.Size() != int64(len(want)) {
		t.Fatalf("Size says %d bytes, the segment holds %d", l.Size(), len(want))
	}
	must(t, l.Close())
}

// A batch's entries are not copied into one record-sized buffer before
// they are written: appending 24 MB of entries allocates a small part of
// that (the group commit's second copy of a batch's state, round 35's
// sinkcap35 profile: up to 24 MB alive while the record was built).
func TestAnAppendDoesNotCopyTheBatchIntoOneBuffer(t *testing.T) {
	l, err := OpenFile(t.TempDir(), testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	collect(t, l)
	es, total := eventEntries(rand.New(rand.NewPCG(36, 2)), 24<<20)
	ctx := context.Background()
	must(t, l.Append(ctx, es[:10])) // the writer's buffer, once
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	must(t, l.Append(ctx, es))
	runtime.ReadMemStats(&m1)
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 1<<20 {
		t.Fatalf("appending %d bytes of entries allocated %d bytes", total, got)
	}
}

func activeSegment(t *testing.T, l *FileLog) string {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	return filepath.Clean(l.active.Name())
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
