package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A snapshot is seen as written while its temporary file is in the state
// directory, and not once it is renamed into place.
func TestTimelineSeesASnapshotWhileItsTemporaryFileIsThere(t *testing.T) {
	dir := t.TempDir()
	if snapshotWriting(dir) {
		t.Fatal("an empty directory reads as a snapshot being written")
	}
	tmp := filepath.Join(dir, "000012.snap.tmp")
	if err := os.WriteFile(tmp, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !snapshotWriting(dir) {
		t.Fatal("a .snap.tmp file does not read as a snapshot being written")
	}
	if err := os.Rename(tmp, filepath.Join(dir, "000012.snap")); err != nil {
		t.Fatal(err)
	}
	if snapshotWriting(dir) {
		t.Fatal("a committed snapshot still reads as being written")
	}
}

func TestTimelineIsWrittenOneSampleALine(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "1.snap.tmp"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := sampleTimeline(ctx, dir, time.Now())
	cancel()
	ss := <-ch
	if len(ss) == 0 || !ss[0].snapshot {
		t.Fatalf("samples %+v: want at least one, seeing the snapshot", ss)
	}
	path := filepath.Join(dir, "lat.1.timeline")
	if err := writeTimeline(path, ss); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "at_s\tsnapshot\tgc_cycles" || len(lines) != len(ss)+1 || !strings.Contains(lines[1], "\t1\t") {
		t.Fatalf("timeline:\n%s", b)
	}
}
