package state

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sizingOwner is a mapOwner with a size hint: its count, under the empty
// key. It records the order its entries were loaded in.
type sizingOwner struct {
	*mapOwner
	loaded []string
}

func (o *sizingOwner) Load(e Entry) error {
	o.loaded = append(o.loaded, string(e.Key))
	if len(e.Key) == 0 {
		return nil // a hint: sizes only
	}
	return o.mapOwner.Load(e)
}

func (o *sizingOwner) SizeHint() (Entry, bool) {
	return Entry{Table: o.table, Key: []byte{}, Value: fmt.Appendf(nil, "%d", o.Count(o.table))}, true
}

func openSizing(t *testing.T, dir string) (*Store, *sizingOwner) {
	t.Helper()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := &sizingOwner{mapOwner: newMapOwner(Stories)}
	st, err := Open(context.Background(), l, Options{}, o)
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	return st, o
}

func TestSizeHintsSavedAtCloseReachTheOwnerBeforeTheLog(t *testing.T) {
	dir := t.TempDir()
	st, o := openSizing(t, dir)
	o.set(t, st, "a", "1", "b", "2")
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	o.set(t, st, "c", "3") // after the snapshot: only the saved hint counts it
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	hints, err := ReadHints(filepath.Join(dir, DirName, hintsName))
	if err != nil || len(hints) != 1 || string(hints[0].Value) != "3" {
		t.Fatalf("hints saved at close: %v, %v; want the one entry 3", hints, err)
	}

	st, o = openSizing(t, dir)
	defer st.Close()
	if len(o.loaded) == 0 || o.loaded[0] != "" {
		t.Fatalf("restore loaded %q; want the hint first", o.loaded)
	}
	if got := o.snapshotMap(); len(got) != 3 {
		t.Fatalf("restored %v, want a, b and c", got)
	}
}

func TestADamagedSizeHintsFileCostsNothingRestored(t *testing.T) {
	for name, content := range map[string][]byte{
		"garbage":                  []byte("not a hints file at all"),
		"a header and a torn rest": append(putHeader(nil, kindHints, 0), 9, 0, 0, 0, 1, 2),
		"a record that fails its checksum": func() []byte {
			b := encodeEntries(putHeader(nil, kindHints, 0), []Entry{{Table: Stories, Key: []byte{}, Value: []byte("7")}})
			b[len(b)-1] ^= 0xff
			return b
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			st, o := openSizing(t, dir)
			o.set(t, st, "a", "1")
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, DirName, hintsName), content, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadHints(filepath.Join(dir, DirName, hintsName)); err == nil {
				t.Fatal("ReadHints took a damaged file")
			}
			st, o = openSizing(t, dir)
			defer st.Close()
			if got := o.snapshotMap(); got["a"] != "1" || len(got) != 1 {
				t.Fatalf("restored %v, want a=1", got)
			}
			for _, k := range o.loaded {
				if k == "" {
					t.Fatalf("a damaged hint reached the owner: loaded %q", o.loaded)
				}
			}
		})
	}
}

// Two logs of one partition (a processor and its successor sharing a
// cache directory) may save hints to one path at once: each writes a
// temporary file of its own, so both saves succeed and the file read
// back is one of them whole.
func TestTwoLogsSavingHintsToOnePathAtOnceBothSucceed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topic-0.snap.hints")
	const writers, rounds = 4, 50
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			var err error
			for r := 0; r < rounds && err == nil; r++ {
				err = WriteHints(path, []Entry{{Table: Stories, Key: []byte{}, Value: fmt.Appendf(nil, "%d", w)}})
			}
			errs <- err
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatalf("a save failed: %v", err)
		}
	}
	es, err := ReadHints(path)
	if err != nil || len(es) != 1 {
		t.Fatalf("hints read back: %v, %v; want one writer's entry", es, err)
	}
	left, _ := filepath.Glob(path + ".*")
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// A temporary hints file that a crash left between its creation and its
// rename is removed by a later WriteHints once it is older than any write
// takes; one that another writer may still be filling is left alone.
func TestWriteHintsRemovesTempFilesACrashLeft(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hints")
	stale := filepath.Join(dir, "hints.123.new")
	fresh := filepath.Join(dir, "hints.456.new")
	other := filepath.Join(dir, "other.789.new")
	for _, f := range []string{stale, fresh, other} {
		if err := os.WriteFile(f, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleHintsTemp)
	for _, f := range []string{stale, other} {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteHints(path, []Entry{{Table: 1, Key: []byte{}, Value: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the crash's leftover %s is still there (err %v)", stale, err)
	}
	for _, f := range []string{fresh, other, path} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v; want it kept", f, err)
		}
	}
}
