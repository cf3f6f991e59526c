package state

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// snapshotWriterCase opens one SnapshotWriter and, once it has committed,
// reads back what it wrote.
type snapshotWriterCase struct {
	name     string
	entries  []Entry
	open     func(t *testing.T) SnapshotWriter
	readBack func(t *testing.T) []Entry
}

// snapshotFileCase is a SnapshotFile created on its own (the Kafka log's
// cache writer embeds it and keeps its Write: internal/kafkastate tests
// that path against a broker).
func snapshotFileCase(t *testing.T, name string, es []Entry) snapshotWriterCase {
	path := filepath.Join(t.TempDir(), "s.snap")
	return snapshotWriterCase{
		name:    name,
		entries: es,
		open: func(t *testing.T) SnapshotWriter {
			s, err := CreateSnapshot(path, 3, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		readBack: func(t *testing.T) []Entry {
			r, err := OpenSnapshot(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got []Entry
			if err := r.Entries(func(e Entry) error {
				got = append(got, Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		},
	}
}

// fileLogCase is the writer FileLog.Rotate returns, read back by a restore
// of the reopened log (which holds nothing but the snapshot).
func fileLogCase(t *testing.T, name string, es []Entry) snapshotWriterCase {
	dir := t.TempDir()
	var l *FileLog
	return snapshotWriterCase{
		name:    name,
		entries: es,
		open: func(t *testing.T) SnapshotWriter {
			var err error
			if l, err = OpenFile(dir, testConfig(), nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := l.Restore(context.Background(), func(Entry) error { return nil }); err != nil {
				t.Fatal(err)
			}
			sw, err := l.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			return sw
		},
		readBack: func(t *testing.T) []Entry {
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			again, err := OpenFile(dir, testConfig(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer again.Close()
			var got []Entry
			if err := again.Restore(context.Background(), func(e Entry) error {
				got = append(got, Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		},
	}
}

// Write copies an entry's key and value before it returns, for every
// SnapshotWriter the state package hands out and on both of Write's paths
// (gathered into a record, and an entry that fills a record written
// straight into the file's buffer), so an owner may reuse their bytes
// (Owner.Snapshot): the snapshot reads back as written, not as the reused
// array ends.
func TestASnapshotWriterCopiesWhatTheCallerReuses(t *testing.T) {
	small := snapshotEntries(2000, 0)
	withBig := snapshotEntries(2000, 2*snapshotRecordBytes)
	for _, c := range []snapshotWriterCase{
		snapshotFileCase(t, "snapshot file, records", small),
		snapshotFileCase(t, "snapshot file, an entry past a record", withBig),
		fileLogCase(t, "file log rotate, records", small),
		fileLogCase(t, "file log rotate, an entry past a record", withBig),
	} {
		t.Run(c.name, func(t *testing.T) {
			sw := c.open(t)
			var reused []byte
			for _, e := range c.entries {
				reused = append(append(reused[:0], e.Key...), e.Value...)
				if err := sw.Write(Entry{Table: e.Table, Key: reused[:len(e.Key)], Value: reused[len(e.Key):]}); err != nil {
					t.Fatal(err)
				}
				for i := range reused { // the caller's next entry overwrites the bytes
					reused[i] = 0xff
				}
			}
			if err := sw.Commit(); err != nil {
				t.Fatal(err)
			}
			checkReadBack(t, c.readBack(t), c.entries)
		})
	}
}

// checkReadBack compares entries read back with those written, in order.
func checkReadBack(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries read back, %d written", len(got), len(want))
	}
	for i := range want {
		if got[i].Table != want[i].Table || !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
			t.Fatalf("entry %d read back as %s %q (%d bytes), written %s %q (%d bytes)",
				i, got[i].Table, got[i].Key, len(got[i].Value), want[i].Table, want[i].Key, len(want[i].Value))
		}
	}
}
