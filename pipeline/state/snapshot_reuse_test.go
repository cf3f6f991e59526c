package state

import (
	"bytes"
	"path/filepath"
	"testing"
)

// Write copies an entry's key and value before it returns, on both of its
// paths (gathered into a record, and an entry that fills a record written
// straight into the file's buffer), so an owner may reuse their bytes
// (Owner.Snapshot): the snapshot reads back as written, not as the reused
// array ends.
func TestASnapshotWriterCopiesWhatTheCallerReuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.snap")
	s, err := CreateSnapshot(path, 3, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	want := snapshotEntries(2000, 2*snapshotRecordBytes)
	var reused []byte
	for _, e := range want {
		reused = append(append(reused[:0], e.Key...), e.Value...)
		if err := s.Write(Entry{Table: e.Table, Key: reused[:len(e.Key)], Value: reused[len(e.Key):]}); err != nil {
			t.Fatal(err)
		}
		clear(reused) // the caller's next entry overwrites the bytes
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	if err := r.Entries(func(e Entry) error {
		if i >= len(want) || e.Table != want[i].Table || !bytes.Equal(e.Key, want[i].Key) || !bytes.Equal(e.Value, want[i].Value) {
			t.Fatalf("entry %d read back as %s %q (%d bytes)", i, e.Table, e.Key, len(e.Value))
		}
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if i != len(want) {
		t.Fatalf("%d entries read back, %d written", i, len(want))
	}
}
