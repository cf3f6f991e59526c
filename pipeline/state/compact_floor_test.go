package state

import (
	"context"
	"fmt"
	"testing"
)

// emptyLog opens a new file log with cfg, restored (empty), and a
// function appending n MiB of stories to it; the log closes with t.
func emptyLog(t *testing.T, cfg Config) (*FileLog, func(n int)) {
	t.Helper()
	l, err := OpenFile(t.TempDir(), cfg, nil, nil)
	must(t, err)
	t.Cleanup(func() { l.Close() })
	must(t, l.Restore(context.Background(), func(Entry) error { return nil }))
	value := make([]byte, 1<<20)
	return l, func(n int) {
		for i := range n {
			must(t, l.AppendUnsynced(context.Background(), []Entry{{Table: Stories, Key: []byte(fmt.Sprint(i)), Value: value}}))
		}
	}
}

// A small state's log is not rewritten every time its segments reach its
// own size: a snapshot rewrites the whole state, so its cost per appended
// byte is set by how long a tail it waits for, and the floor keeps that
// tail long (defaultCompactMinBytes). Past the floor it is due; a state
// larger than the floor is rewritten by the ratio alone (the ratio tests,
// which lower the floor).
func TestASmallStatesLogWaitsForTheFloorBeforeItsRewrite(t *testing.T) {
	cfg := testConfig() // the default floor
	l, appendMiB := emptyLog(t, cfg)
	// 48 MiB: three times the floor of round 42 (16 MiB), which made a
	// state this small rewrite itself at every 16 MiB appended.
	appendMiB(48)
	if l.CompactDue() {
		t.Fatalf("a rewrite is due at %d bytes of log, under the floor of %d", l.Size(), defaultCompactMinBytes)
	}
	appendMiB(int(defaultCompactMinBytes>>20) - 48 + 1)
	if !l.CompactDue() {
		t.Fatalf("no rewrite is due at %d bytes of log, past the floor of %d", l.Size(), defaultCompactMinBytes)
	}
}

// A large state's tail is bounded in bytes whatever the ratio allows: a
// restart replays every segment after the snapshot, and at a busy
// 1M-story state (≈ 313 MiB snapshot) the ratio's tail alone took the
// restore past 10 s (round 43, rst44). Here the ratio would allow 9 ×
// the 128 MiB floor; the bound, 16 MiB, makes a rewrite due past it.
func TestALogsTailIsBoundedInBytesWhateverTheRatioAllows(t *testing.T) {
	cfg := testConfig()
	cfg.CompactRatio = 10
	cfg.CompactMaxTailMiB = 16
	l, appendMiB := emptyLog(t, cfg)
	appendMiB(15)
	if l.CompactDue() {
		t.Fatalf("a rewrite is due at %d bytes of log, under the 16 MiB bound", l.Size())
	}
	appendMiB(2)
	if !l.CompactDue() {
		t.Fatalf("no rewrite is due at %d bytes of log, past the 16 MiB bound (the ratio allows %d)", l.Size(), 9*defaultCompactMinBytes)
	}
}

// The default bound keeps a state under it, at the default ratio, on the
// ratio's own rule: it only shortens the tail of a state past 256 MiB.
func TestTheDefaultTailBoundLeavesASmallStateToTheRatio(t *testing.T) {
	cfg := DefaultConfig()
	if got := cfg.CompactMaxTailMiB << 20; got < int64(cfg.CompactRatio-1)*defaultCompactMinBytes {
		t.Fatalf("the default tail bound %d is under the floor's tail %d", got, int64(cfg.CompactRatio-1)*defaultCompactMinBytes)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}
