package state

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// entryOfSize is a live entry whose encoding is exactly size bytes (size ≥ 3
// plus its key), so a test can put a record's gathered bytes on a boundary.
func entryOfSize(key string, size int) Entry {
	e := Entry{Table: 5, Key: []byte(key)}
	for n := size; n >= 0; n-- {
		e.Value = bytes.Repeat([]byte{'v'}, n)
		if entrySize(e) == size {
			return e
		}
	}
	panic(fmt.Sprintf("no entry of %d bytes", size))
}

// tinyEntries is n entries of one byte of key and none of value.
func tinyEntries(n int) []Entry {
	es := make([]Entry, n)
	for i := range es {
		es[i] = Entry{Table: Table(i % 7), Key: []byte{byte(i)}, Value: []byte{}}
	}
	return es
}

// snapshotBoundaryCases are entry sets that put a record's gathered bytes
// on, just under and just over snapshotRecordBytes, alone and after others.
func snapshotBoundaryCases() map[string][]Entry {
	const r = snapshotRecordBytes
	small := entryOfSize("s", 100)
	cases := map[string][]Entry{
		"empty value":                {{Table: 1, Key: []byte("k"), Value: []byte{}}},
		"empty key and value":        {{Table: 0, Key: nil, Value: []byte{}}},
		"one-byte value":             {{Table: 1, Key: []byte("k"), Value: []byte{'x'}}},
		"only tombstones":            {{Table: 1, Key: []byte("a")}, {Table: 2, Key: []byte("b")}},
		"tombstones around a live":   {{Table: 1, Key: []byte("a")}, {Table: 1, Key: []byte("b"), Value: []byte("v")}, {Table: 1, Key: []byte("c")}},
		"many tiny entries":          tinyEntries(200_000),
		"one entry of a record":      {entryOfSize("a", r)},
		"one entry a byte short":     {entryOfSize("a", r-1)},
		"one entry a byte over":      {entryOfSize("a", r+1)},
		"two entries of a record":    {entryOfSize("a", r), entryOfSize("b", r)},
		"short then fills exactly":   {entryOfSize("a", r-4), entryOfSize("b", 4)},
		"short then two bytes over":  {entryOfSize("a", r-4), entryOfSize("b", 5)},
		"short then three short":     {entryOfSize("a", r-4), entryOfSize("", 3)},
		"small then fills exactly":   {small, entryOfSize("b", r-100)},
		"small then one short":       {small, entryOfSize("b", r-101), small},
		"small then one over":        {small, entryOfSize("b", r-99), small},
		"entry larger than a record": {small, entryOfSize("b", 3*r+17), small},
		"large entry after a flush":  {entryOfSize("a", r), entryOfSize("b", 2*r), small, small},
		"big key":                    {{Table: 2, Key: bytes.Repeat([]byte{'k'}, r+5), Value: []byte{}}, small},
	}
	return cases
}

// The streamed writer writes round 32's bytes at every record boundary.
func TestSnapshotBytesAreRound32sAtRecordBoundaries(t *testing.T) {
	dir := t.TempDir()
	for name, es := range snapshotBoundaryCases() {
		t.Run(name, func(t *testing.T) {
			checkSnapshotRoundTrip(t, filepath.Join(dir, "s"), es)
		})
	}
}

// checkSnapshotRoundTrip writes es, compares the file with round 32's
// writer's and reads the live entries back.
func checkSnapshotRoundTrip(t *testing.T, path string, es []Entry) {
	t.Helper()
	s, err := CreateSnapshot(path, 7, []byte("meta"), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := s.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := oldSnapshotBytes(7, []byte("meta"), es); !bytes.Equal(got, want) {
		t.Fatalf("snapshot differs from round 32's (%d bytes, want %d)", len(got), len(want))
	}
	r, err := OpenSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !bytes.Equal(r.Meta(), []byte("meta")) {
		t.Fatalf("meta %q", r.Meta())
	}
	var live []Entry
	for _, e := range es {
		if e.Value != nil {
			live = append(live, e)
		}
	}
	i := 0
	if err := r.Entries(func(e Entry) error {
		if i >= len(live) {
			return errors.New("more entries than were written")
		}
		w := live[i]
		if e.Table != w.Table || !bytes.Equal(e.Key, w.Key) || !bytes.Equal(e.Value, w.Value) || e.Value == nil {
			return fmt.Errorf("entry %d differs", i)
		}
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if i != len(live) {
		t.Fatalf("read %d entries, wrote %d live", i, len(live))
	}
}

// failAfter is a disk that fills after n bytes.
type failAfter struct {
	f *os.File
	n int
}

var errDiskFull = errors.New("no space left on device (test)")

func (w *failAfter) Write(b []byte) (int, error) {
	if len(b) <= w.n {
		w.n -= len(b)
		return w.f.Write(b)
	}
	k, _ := w.f.Write(b[:w.n])
	w.n = 0
	return k, errDiskFull
}

// A snapshot the disk cuts short anywhere — in a frame, a gathered record or
// a large entry written from the caller's buffer — fails its Commit and
// leaves the snapshot that was there, never a shorter file the reader would
// take as whole.
func TestASnapshotTheDiskCutsShortLeavesThePreviousOne(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	previous := []Entry{{Table: 1, Key: []byte("old"), Value: []byte("state")}}
	checkSnapshotRoundTrip(t, path, previous)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	es := []Entry{entryOfSize("a", 1000), entryOfSize("b", snapshotRecordBytes), entryOfSize("c", 10), entryOfSize("d", 3*snapshotRecordBytes)}
	// the bytes after the header and the meta record, which the cut counts
	total := len(oldSnapshotBytes(7, []byte("meta"), es)) - len(oldSnapshotBytes(7, []byte("meta"), nil))
	for _, n := range []int{0, 1, 7, 8, 9, 100, headerSize + 20, 1016, 1100, snapshotRecordBytes - 1, snapshotRecordBytes + 1100, 2*snapshotRecordBytes + 3, total - 1} {
		s, err := CreateSnapshot(path, 7, []byte("meta"), true)
		if err != nil {
			t.Fatal(err)
		}
		// a small buffer, so the cut lands mid-write in every piece
		if err := s.w.Flush(); err != nil { // header and meta, then n more bytes
			t.Fatal(err)
		}
		s.w = bufio.NewWriterSize(&failAfter{f: s.f, n: n}, 4096)
		for _, e := range es {
			if s.Write(e) != nil {
				break
			}
		}
		if err := s.Commit(); !errors.Is(err, errDiskFull) {
			t.Fatalf("cut after %d of %d bytes: Commit = %v, want the disk's error", n, total, err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, before) {
			t.Fatalf("cut after %d bytes: the previous snapshot changed (%v)", n, err)
		}
		if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("cut after %d bytes: the temporary file stayed (%v)", n, err)
		}
	}
}

// FuzzSnapshotRoundTrip writes random entry sets, sized around the record
// boundary, and reads them back; the bytes must be round 32's.
func FuzzSnapshotRoundTrip(f *testing.F) {
	f.Add(int64(1), uint16(3), uint32(0))
	f.Add(int64(2), uint16(1), uint32(snapshotRecordBytes))
	f.Add(int64(3), uint16(40), uint32(snapshotRecordBytes/8))
	f.Fuzz(func(t *testing.T, seed int64, n uint16, scale uint32) {
		rng := rand.New(rand.NewSource(seed))
		scale %= 2*snapshotRecordBytes + 2
		es := make([]Entry, int(n)%64)
		for i := range es {
			e := Entry{Table: Table(rng.Intn(256)), Key: make([]byte, rng.Intn(20))}
			rng.Read(e.Key)
			switch rng.Intn(4) {
			case 0: // tombstone
			case 1:
				e.Value = []byte{}
			default:
				e.Value = make([]byte, rng.Intn(int(scale)+1))
				rng.Read(e.Value)
			}
			es[i] = e
		}
		checkSnapshotRoundTrip(t, filepath.Join(t.TempDir(), "s"), es)
	})
}

// Write copies: a caller that reuses its buffers as soon as Write returns —
// for a gathered entry and for one written straight from them — changes
// nothing in the snapshot.
func TestASnapshotKeepsNoReferenceToTheCallersBuffers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	es := []Entry{entryOfSize("a", 100), entryOfSize("b", 2*snapshotRecordBytes), entryOfSize("c", 100)}
	s, err := CreateSnapshot(path, 7, []byte("meta"), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		e = Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
		if err := s.Write(e); err != nil {
			t.Fatal(err)
		}
		for i := range e.Key {
			e.Key[i] = 'X'
		}
		for i := range e.Value {
			e.Value[i] = 'X'
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, oldSnapshotBytes(7, []byte("meta"), es)) {
		t.Fatal("the snapshot holds what the caller wrote into its buffers after Write")
	}
}
