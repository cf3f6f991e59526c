package state

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFileLogReplaysAppendsInOrderAfterReopen(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, l); len(got) != 0 {
		t.Fatalf("a new log restores %v", got)
	}
	ctx := context.Background()
	must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), []byte("1")}, {Aliases, []byte("u"), []byte("a")}}))
	must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), []byte("2")}, {Stories, []byte("b"), []byte{}}}))
	must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), nil}}))
	must(t, l.Close())

	l, err = OpenFile(dir, testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := "stories:a=1 aliases:u=a stories:a=2 stories:b= stories:a=<nil>"
	if got := strings.Join(collect(t, l), " "); got != want {
		t.Fatalf("restored\n  %s\nwant\n  %s", got, want)
	}
}

// tornCases damage the end of the last segment the way a crash can.
var tornCases = []struct {
	name   string
	damage func(t *testing.T, path string)
}{
	{"a record cut short", func(t *testing.T, path string) { truncateBy(t, path, 3) }},
	{"a record whose checksum fails", func(t *testing.T, path string) { flipLastByte(t, path) }},
	{"zeros the crash left after the data", func(t *testing.T, path string) { appendBytes(t, path, make([]byte, 700)) }},
	{"a length field torn mid-write", func(t *testing.T, path string) { appendBytes(t, path, []byte{0xff, 0xff}) }},
}

func TestATornTailIsCutAndTheAcknowledgedBatchesStay(t *testing.T) {
	for _, tc := range tornCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st, o, _ := openFileStore(t, dir, testConfig())
			o.set(t, st, "a", "1")
			o.set(t, st, "b", "2")
			if !strings.Contains(tc.name, "zeros") && !strings.Contains(tc.name, "length") {
				o.set(t, st, "c", "3") // the batch the crash tears
			}
			must(t, st.Close())
			tc.damage(t, lastSegment(t, dir))

			st, o, _ = openFileStore(t, dir, testConfig())
			got := o.snapshotMap()
			if got["a"] != "1" || got["b"] != "2" || got["c"] != "" {
				t.Fatalf("after the torn tail: %v, want a=1 b=2 and no c", got)
			}
			o.set(t, st, "d", "4") // appends go on
			must(t, st.Close())
			_, o, _ = openFileStore(t, dir, testConfig())
			if got := o.snapshotMap(); got["d"] != "4" || got["a"] != "1" {
				t.Fatalf("after appending past the cut: %v", got)
			}
		})
	}
}

func TestADamagedRecordBeforeTheEndIsAnErrorThatNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	st, o, _ := openFileStore(t, dir, testConfig())
	o.set(t, st, "a", "1")
	o.set(t, st, "b", "2")
	must(t, st.Close())
	seg := lastSegment(t, dir)
	b, err := os.ReadFile(seg)
	must(t, err)
	b[headerSize+recordHead+2] ^= 0xff // inside the first record, with the second after it
	must(t, os.WriteFile(seg, b, 0o600))

	l, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	_, err = Open(context.Background(), l, Options{}, newMapOwner(Stories))
	if err == nil || !strings.Contains(err.Error(), seg) || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("err = %v, want a checksum error naming %s", err, seg)
	}
}

func TestCompactionShrinksTheFilesAndKeepsTheState(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMinBytes = 4 << 10
	dir := t.TempDir()
	st, o, l := openFileStore(t, dir, cfg)
	// 50 keys rewritten 200 times: the log holds 10,000 entries of which 50 live.
	for round := 0; round < 200; round++ {
		var kv []string
		for k := 0; k < 50; k++ {
			kv = append(kv, fmt.Sprintf("key-%02d", k), fmt.Sprintf("value %d of %d %s", round, k, strings.Repeat("x", 40)))
		}
		o.set(t, st, kv...)
		st.WaitCompaction()
	}
	o.set(t, st, "key-07", "") // a delete after the last snapshot
	st.WaitCompaction()
	must(t, st.Compact())
	size := l.Size()
	if size > 16<<10 {
		t.Errorf("log holds %d bytes for 49 live entries of ~70 bytes: compaction did not shrink it", size)
	}
	files, _ := filepath.Glob(filepath.Join(dir, DirName, "*"))
	if len(files) > 4 { // LOCK, one snapshot, one segment (and the segment rotated to)
		t.Errorf("files left after compaction: %v", files)
	}
	want := o.snapshotMap()
	must(t, st.Close())

	_, o2, _ := openFileStore(t, dir, cfg)
	got := o2.snapshotMap()
	if len(got) != 49 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("restored %d entries, want the 49 live ones", len(got))
	}
}

func TestASnapshotACrashInterruptedIsIgnored(t *testing.T) {
	dir := t.TempDir()
	st, o, _ := openFileStore(t, dir, testConfig())
	o.set(t, st, "a", "1")
	must(t, st.Close())
	junk := filepath.Join(dir, DirName, "00000000000000ff.snap.tmp")
	must(t, os.WriteFile(junk, []byte("half a snapshot"), 0o600))
	_, o, _ = openFileStore(t, dir, testConfig())
	if o.snapshotMap()["a"] != "1" {
		t.Fatal("state lost")
	}
	if _, err := os.Stat(junk); !os.IsNotExist(err) {
		t.Errorf("the interrupted snapshot %s was left behind", junk)
	}
}

func TestASecondProcessOnTheDataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	if _, err := OpenFile(dir, testConfig(), nil, nil); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v, want an in-use error", err)
	}
}

func TestAppendBeforeRestoreIsRefused(t *testing.T) {
	l, err := OpenFile(t.TempDir(), testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	if err := l.Append(context.Background(), []Entry{{Stories, []byte("a"), []byte("1")}}); err == nil {
		t.Fatal("append before restore succeeded: it would write before the torn tail is cut")
	}
}

func TestOpenFileRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxEntries = 0
	if _, err := OpenFile(t.TempDir(), cfg, nil, nil); err == nil || !strings.Contains(err.Error(), "state.max_entries") {
		t.Fatalf("err = %v", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func lastSegment(t *testing.T, dir string) string {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, DirName, "*.log"))
	must(t, err)
	// The newest segment is empty (opened at the last start); the data is
	// in the one before, unless it is the only one.
	for i := len(segs) - 1; i >= 0; i-- {
		if st, err := os.Stat(segs[i]); err == nil && st.Size() > headerSize {
			return segs[i]
		}
	}
	t.Fatalf("no segment with data in %v", segs)
	return ""
}

func truncateBy(t *testing.T, path string, n int64) {
	st, err := os.Stat(path)
	must(t, err)
	must(t, os.Truncate(path, st.Size()-n))
}

func flipLastByte(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	must(t, err)
	b[len(b)-1] ^= 0x5a
	must(t, os.WriteFile(path, b, 0o600))
}

func appendBytes(t *testing.T, path string, extra []byte) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.Write(extra)
	must(t, err)
	must(t, f.Close())
}

// The poller's feed states snapshot in URL order: the same feeds give the
// same snapshot bytes, whatever order their polls saved them in.
func TestFeedStatesSnapshotInURLOrder(t *testing.T) {
	urls := []string{"https://c.example/rss", "https://a.example/rss", "https://b.example/atom", "https://d.example/feed.json"}
	var snaps [2][]byte
	for i := range 2 {
		dir := t.TempDir()
		cfg := DefaultConfig()
		cfg.NoSync = true
		l, err := OpenFile(dir, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := Open(context.Background(), l, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range urls {
			if err := st.SaveFeedState(context.Background(), u, []byte("etag of "+u)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Compact(); err != nil {
			t.Fatal(err)
		}
		snaps[i] = snapshotFile(t, dir)
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Reverse(urls)
	}
	if !bytes.Equal(snaps[0], snaps[1]) {
		t.Fatalf("the same feed states saved in two orders snapshot to different bytes:\n%q\n%q", snaps[0], snaps[1])
	}
}

// snapshotFile is the bytes of the one snapshot in dataDir's state log.
func snapshotFile(t *testing.T, dataDir string) []byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dataDir, DirName, "*.snap"))
	if err != nil || len(names) != 1 {
		t.Fatalf("snapshots %v (%v): want one", names, err)
	}
	b, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}
