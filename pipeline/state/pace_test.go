package state

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A spell of work at share s is followed by a pause of its length ×
// (1 − s) ÷ s, so the snapshot works s of the wall time; the clock is
// read every paceCheckEvery entries.
func TestAPacedSnapshotPausesForItsShareAfterEachSpell(t *testing.T) {
	var pauses []time.Duration
	p := newPacer(func() float64 { return 0.25 }, nil)
	p.sleep = func(d time.Duration, _ <-chan struct{}) bool { pauses = append(pauses, d); return true }
	p.began = time.Now().Add(-20 * time.Millisecond) // a spell of 20 ms done
	for range paceCheckEvery - 1 {
		must(t, p.step())
	}
	if len(pauses) != 0 {
		t.Fatalf("paused before the clock was read: %v", pauses)
	}
	must(t, p.step())
	if len(pauses) != 1 || pauses[0] < 60*time.Millisecond || pauses[0] > 600*time.Millisecond {
		t.Fatalf("pauses %v after a spell of ≥ 20 ms at a quarter: want one of ≥ 60 ms (3 × the spell)", pauses)
	}
}

// At share 1 (the log cannot wait: past its tail bound) and for a
// snapshot a caller waits for (no share), nothing pauses.
func TestASnapshotFlatOutNeverPauses(t *testing.T) {
	for name, p := range map[string]*pacer{
		"share 1":  newPacer(func() float64 { return 1 }, nil),
		"no share": newPacer(nil, nil),
		"nil":      nil,
	} {
		if p != nil {
			p.sleep = func(time.Duration, <-chan struct{}) bool { t.Fatalf("%s: paused", name); return true }
			p.began = time.Now().Add(-time.Second)
		}
		for range 4 * paceCheckEvery {
			must(t, p.step())
		}
	}
}

// A store closing during a pause ends the snapshot at once.
func TestAPausedSnapshotStopsWhenTheStoreCloses(t *testing.T) {
	stop := make(chan struct{})
	close(stop)
	p := newPacer(func() float64 { return 0.1 }, stop)
	p.began = time.Now().Add(-time.Hour) // a pause of 9 h unless stop ends it
	var err error
	for range paceCheckEvery {
		if err = p.step(); err != nil {
			break
		}
	}
	if !errors.Is(err, errStopping) {
		t.Fatalf("step during a closed store's pause: %v, want errStopping", err)
	}
}

// The file log paces its snapshots while its tail is under the bound a
// restore is meant to read, and runs them flat out past it: a crash
// during a compaction restores from the old snapshot and every segment
// since, which a pause must not let grow past that bound.
func TestTheFileLogPacesItsSnapshotsOnlyUnderItsTailBound(t *testing.T) {
	cfg := testConfig()
	cfg.CompactMaxTailMiB = 16
	cfg.SnapshotCPUShare = 0.4
	l, appendMiB := emptyLog(t, cfg)
	appendMiB(8)
	if got := l.SnapshotShare(); got != 0.4 {
		t.Fatalf("share at 8 MiB of a 16 MiB tail bound: %g, want 0.4", got)
	}
	appendMiB(9)
	if got := l.SnapshotShare(); got != 1 {
		t.Fatalf("share at 17 MiB of a 16 MiB tail bound: %g, want 1 (flat out)", got)
	}
}

func TestSnapshotCPUShareIsValidated(t *testing.T) {
	for _, bad := range []float64{0, 0.05, 1.5, -1} {
		cfg := DefaultConfig()
		cfg.SnapshotCPUShare = bad
		if err := cfg.Validate(); err == nil {
			t.Errorf("snapshot_cpu_share %g accepted", bad)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

// A paced background snapshot (it pauses, so commits go on beside it)
// replaces the log's files with what memory and the segments after it
// hold: a restore reads every entry as last written.
func TestAPacedSnapshotRestoresAsWritten(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.CompactRatio, cfg.CompactMinBytes, cfg.SnapshotCPUShare = 1.5, 1<<10, 0.1
	st, o, l := openFileStore(t, dir, cfg)
	want := map[string]string{}
	put := func(k, v string) {
		want[k] = v
		must(t, st.Update(context.Background(), func() []Entry {
			o.Load(Entry{Table: Stories, Key: []byte(k), Value: []byte(v)})
			return []Entry{{Table: Stories, Key: []byte(k), Value: []byte(v)}}
		}))
	}
	for i := range 20_000 { // enough entries that the snapshot pauses
		put(fmt.Sprintf("k%05d", i), "a")
	}
	for i := range 2_000 { // commits beside the snapshots they start
		put(fmt.Sprintf("k%05d", i*7), fmt.Sprint("b", i))
	}
	st.WaitCompaction()
	if snaps, _ := filepath.Glob(filepath.Join(dir, DirName, "*.snap")); len(snaps) == 0 {
		t.Fatal("no snapshot was committed")
	}
	must(t, st.Close())
	must(t, l.Close())
	got := map[string]string{}
	for _, kv := range strings.Fields(restoredFrom(t, dir)) {
		k, v, _ := strings.Cut(strings.TrimPrefix(kv, Stories.String()+":"), "=")
		got[k] = v
	}
	if !maps.Equal(got, want) {
		t.Fatalf("restored %d entries, want %d (first differences hidden)", len(got), len(want))
	}
}
