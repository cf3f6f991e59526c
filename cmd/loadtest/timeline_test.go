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

// The slowest stories whose spells fall half under a snapshot read as
// half under it, the others (all outside it) as not, beside the window's
// share; the GCs count within each spell.
func TestTheSlowestStoriesAreLinedUpWithTheSnapshots(t *testing.T) {
	var ss []timelineSample
	for i := range 1000 { // 10 s at 10 ms; a snapshot from 5 s to 6 s; a GC finished every second
		at := float32(i) / 100
		ss = append(ss, timelineSample{at: at, snapshot: at >= 5 && at < 6, gcs: uint32(i / 100)})
	}
	var ps []latencyParts
	for i := range 300 { // fast ones, 10 ms each, acknowledged from 1 s to 4 s
		ps = append(ps, latencyParts{before: 0.005, inside: 0.005, at: 1 + float32(i)/100})
	}
	for range 5 { // the slowest 1 %: 1 s each, from 5.5 s to 6.5 s
		ps = append(ps, latencyParts{before: 0.2, inside: 0.7, sink: 0.1, at: 6.5})
	}
	a := alignTail(ps, ss)
	if a.TailSnapshot < 0.45 || a.TailSnapshot > 0.55 || a.RestSnapshot != 0 || a.Window < 0.09 || a.Window > 0.11 {
		t.Fatalf("alignment %+v: want the slow stories ≈ 50 %% under the snapshot, the rest 0, the window ≈ 10 %%", a)
	}
	if a.TailGCs != 1 || a.RestGCs > 0.05 {
		t.Fatalf("GCs in a slow spell %v (want 1: the one finished at 6 s), in a fast one %v (want ≈ 0)", a.TailGCs, a.RestGCs)
	}
}
