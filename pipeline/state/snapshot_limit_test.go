package state

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lowerMaxRecord makes records over limit bytes impossible for the writer
// and the reader alike for one test, so a test need not hold 256 MiB.
func lowerMaxRecord(t *testing.T, limit int) {
	old := maxRecord
	maxRecord = limit
	t.Cleanup(func() { maxRecord = old })
}

// commitSnapshot writes es into a snapshot at path and commits it: the
// Commit's error, having checked that a refused Write's is the same.
func commitSnapshot(path string, es []Entry) error {
	s, err := CreateSnapshot(path, 7, nil, true)
	if err != nil {
		return err
	}
	var werr error
	for _, e := range es {
		if err := s.Write(e); err != nil && werr == nil {
			werr = err // written on regardless: Commit must refuse too
		}
	}
	err = s.Commit()
	if werr != nil && !errors.Is(err, werr) {
		return fmt.Errorf("Write said %v, then Commit %v", werr, err)
	}
	return err
}

// readSnapshot is the entries of the snapshot at path.
func readSnapshot(path string) ([]Entry, error) {
	r, err := OpenSnapshot(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var es []Entry
	err = r.Entries(func(e Entry) error {
		es = append(es, Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
		return nil
	})
	return es, err
}

// An entry whose record the reader would refuse as longer than maxRecord is
// refused when written, naming its key, its size and the limit; nothing is
// committed and the previous snapshot stays and restores.
func TestASnapshotEntryTheReaderWouldRefuseIsRefusedWhenWritten(t *testing.T) {
	const limit = 1 << 20
	lowerMaxRecord(t, limit)
	small := entryOfSize("s", 100)
	// A record's payload is its kind, the entry count and the entries: one
	// entry alone fits when it is at most limit-2 bytes.
	for name, es := range map[string][]Entry{
		"one byte over":          {entryOfSize("aliases", limit-1)},
		"after gathered entries": {small, entryOfSize("aliases", limit-1), small},
		"far over":               {small, entryOfSize("aliases", 3*limit)},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s")
			previous := []Entry{{Table: 1, Key: []byte("old"), Value: []byte("state")}}
			if err := commitSnapshot(path, previous); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			err = commitSnapshot(path, es)
			if !errors.Is(err, errEntryTooLarge) {
				_, rerr := readSnapshot(path)
				t.Fatalf("write = %v, want errEntryTooLarge (the restore then says %v)", err, rerr)
			}
			size := fmt.Sprintf("is %d bytes", entrySize(es[len(es)-1]))
			if name == "after gathered entries" {
				size = fmt.Sprintf("is %d bytes", entrySize(es[1]))
			}
			for _, want := range []string{`"aliases"`, size, "over the 1048574", "at most 1048576"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %s", err, want)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, before) {
				t.Fatalf("the previous snapshot changed (%v)", err)
			}
			if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the temporary file stayed (%v)", err)
			}
			if es, err := readSnapshot(path); err != nil || len(es) != 1 || string(es[0].Key) != "old" {
				t.Fatalf("the previous snapshot restores %v, %v", es, err)
			}
		})
	}
}

// The largest entry the reader takes is written and restored, after other
// entries too: those gathered before it go in a record of their own rather
// than make its record too long.
func TestTheLargestSnapshotEntryTheReaderTakesIsWritten(t *testing.T) {
	const limit = 1 << 20
	lowerMaxRecord(t, limit)
	small := entryOfSize("s", 100)
	for name, es := range map[string][]Entry{
		"alone":                  {entryOfSize("a", limit-2)},
		"after gathered entries": {small, entryOfSize("a", limit-2), small},
		"fits only alone":        {small, entryOfSize("a", limit-100), small},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s")
			if err := commitSnapshot(path, es); err != nil {
				t.Fatal(err)
			}
			got, err := readSnapshot(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(es) {
				t.Fatalf("read %d entries, wrote %d", len(got), len(es))
			}
			for i := range es {
				if got[i].Table != es[i].Table || !bytes.Equal(got[i].Key, es[i].Key) || !bytes.Equal(got[i].Value, es[i].Value) {
					t.Fatalf("entry %d differs", i)
				}
			}
		})
	}
}

// A compaction whose snapshot holds an entry too large is refused: Compact
// says so, and the store's log is left as it was.
func TestACompactionWithAnEntryTooLargeFails(t *testing.T) {
	lowerMaxRecord(t, 1<<20)
	st, o, _ := openFileStore(t, t.TempDir(), testConfig())
	defer st.Close()
	// In memory only — a Tracker's, ahead of its log: since round 34 the
	// append refuses a record this large, so no commit brings it there.
	must(t, o.Load(Entry{Table: Stories, Key: []byte("aliases"), Value: []byte(strings.Repeat("v", 1<<20))}))
	err := st.Compact()
	if !errors.Is(err, errEntryTooLarge) || !strings.Contains(err.Error(), `"aliases"`) {
		t.Fatalf("Compact = %v, want errEntryTooLarge naming the key", err)
	}
}
