//go:build unix

package state

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit/fulldisk"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer is a slog destination several goroutines write to.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// count is how many lines hold every one of subs.
func (b *logBuffer) count(subs ...string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
lines:
	for _, line := range strings.Split(b.b.String(), "\n") {
		for _, s := range subs {
			if !strings.Contains(line, s) {
				continue lines
			}
		}
		n++
	}
	return n
}

func filesLike(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, DirName, pattern))
	must(t, err)
	return m
}

// A snapshot needs room for the whole live state at once; a commit, for
// its record. A data dir with room for the one and not the other (a disk
// almost full, a quota, a file-size limit) fails every snapshot while the
// commits go on. Before round 29 a failed snapshot was tried again at the
// very next commit — the log still asked for one —, so every commit wrote
// the whole state once more to fail again, with an ERROR line each time.
// It is tried again with backoff now (compactRetryMin, doubling, reset
// when one gets through), with one ERROR line for the run of failures and
// a WARN for each retry, the gauge wirestream_state_compaction_failures
// counting them, and no temporary file left to take the room it needs.
// Once it fits, the retry compacts the log and nothing was lost.
func TestASnapshotTheDataDirRefusesIsRetriedWithBackoffNotAtEveryCommit(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// ~32 KiB of live state in segments; no compaction yet (its floor is above that).
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 20
	st, o, _ := openFileStore(t, dir, cfg)
	for i := range 64 {
		o.set(t, st, fmt.Sprintf("k%02d", i), strings.Repeat("v", 500))
	}
	must(t, st.Close())

	// The data dir now takes small records, not a 32 KiB snapshot; the
	// restore's new segment is where the commits go. The first batch
	// committed after Open asks for a snapshot (the log is over its ratio;
	// openhold.go) and it fails.
	lift := fulldisk.LimitFileSize(t, 8<<10)
	clk := &testClock{t: time.Now()}
	var logs logBuffer
	m := NewMetrics(nil)
	cfg.CompactMinBytes = 4 << 10
	l, err := OpenFile(dir, cfg, m, nil)
	must(t, err)
	o2 := newMapOwner(Stories)
	st2, err := Open(ctx, l, Options{Metrics: m, Log: slog.New(slog.NewTextHandler(&logs, nil)), now: clk.now}, o2)
	must(t, err)
	defer st2.Close()
	st2.Decide(ctx)
	st2.Settle(1, true)
	st2.WaitCompaction()
	tried := func() int { return logs.count("compaction failed") }
	if tried() != 1 {
		t.Fatalf("after the first snapshot failed: %d compaction failures logged, want 1:\n%s", tried(), logs.b.String())
	}
	if tmp := filesLike(t, dir, "*.tmp"); len(tmp) > 0 {
		t.Errorf("the failed snapshot left %v, taking the room the next one needs", tmp)
	}
	if g := testutil.ToFloat64(m.CompactionFailures); g != 1 {
		t.Errorf("wirestream_state_compaction_failures after one failure = %v, want 1", g)
	}

	// Commits go on (their records fit); none of them writes the snapshot again.
	for i := range 20 {
		o2.set(t, st2, fmt.Sprintf("n%02d", i), "x")
		st2.WaitCompaction()
	}
	if n := tried(); n != 1 {
		t.Errorf("20 commits after a failed snapshot tried it %d more times, want 0 before its backoff ends", n-1)
	}

	// Its backoff ends: the next commit tries once, and fails, quieter.
	clk.advance(compactRetryMin)
	o2.set(t, st2, "r1", "x")
	st2.WaitCompaction()
	if n := tried(); n != 2 {
		t.Fatalf("at the end of the backoff: %d tries, want 2", n)
	}
	if e := logs.count("level=ERROR"); e != 1 {
		t.Errorf("%d ERROR lines for one run of failures, want 1:\n%s", e, logs.b.String())
	}
	if g := testutil.ToFloat64(m.CompactionFailures); g != 2 {
		t.Errorf("wirestream_state_compaction_failures after two failures = %v, want 2", g)
	}
	// The wait doubled: compactRetryMin more is not enough, twice it is.
	clk.advance(compactRetryMin)
	o2.set(t, st2, "r2", "x")
	st2.WaitCompaction()
	if n := tried(); n != 2 {
		t.Errorf("%s after the second failure: %d tries, want still 2 (the wait doubles)", compactRetryMin, n)
	}
	clk.advance(compactRetryMin)
	o2.set(t, st2, "r3", "x")
	st2.WaitCompaction()
	if n := tried(); n != 3 {
		t.Errorf("%s after the second failure: %d tries, want 3", 2*compactRetryMin, n)
	}

	// The disk frees: the next try compacts, the gauge goes back to 0.
	lift()
	before := l.Size()
	clk.advance(4 * compactRetryMin)
	o2.set(t, st2, "r4", "x")
	st2.WaitCompaction()
	if g := testutil.ToFloat64(m.CompactionFailures); g != 0 {
		t.Errorf("wirestream_state_compaction_failures after a snapshot got through = %v, want 0", g)
	}
	if n := testutil.ToFloat64(m.Compactions); n != 1 {
		t.Errorf("%v compactions once the disk freed, want 1", n)
	}
	if after := l.Size(); after >= before {
		t.Errorf("the log holds %d bytes after the snapshot got through, %d before: not compacted", after, before)
	}
	st2.mu.Lock()
	reset := st2.compactFailures == 0 && st2.compactRetryAt.IsZero()
	st2.mu.Unlock()
	if !reset {
		t.Error("a snapshot that got through did not reset the backoff")
	}
	if c := logs.count("level=INFO", "compacts again"); c != 1 {
		t.Errorf("%d INFO lines saying snapshots get through again, want 1:\n%s", c, logs.b.String())
	}
	if tmp := filesLike(t, dir, "*.tmp"); len(tmp) > 0 {
		t.Errorf("left %v", tmp)
	}
	want := o2.snapshotMap()
	must(t, st2.Close())
	st3, o3, _ := openFileStore(t, dir, testConfig())
	defer st3.Close()
	if got := o3.snapshotMap(); len(got) != 64+24 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("restored %d entries after the failed snapshots, want the %d committed", len(got), len(want))
	}
}

// A disk too full for the 16-byte header of the segment a snapshot
// starts (its rotation) used to leave that segment's file behind, cut
// short; every later rotation tried to create the same file and failed
// ("file exists") until a restart, whether or not the disk had freed: the
// log never compacted again. The file is removed now, and the retry
// compacts once the disk takes it.
func TestARotationTheDiskRefusesLeavesNoSegmentBehind(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 20
	st, o, l := openFileStore(t, dir, cfg)
	defer st.Close()
	for i := range 16 {
		o.set(t, st, fmt.Sprintf("k%02d", i), strings.Repeat("v", 500))
	}
	clk := &testClock{t: time.Now()}
	var logs logBuffer
	st.lg = slog.New(slog.NewTextHandler(&logs, nil))
	st.now = clk.now

	// The log falls due (its floor drops) while no file may grow past 8
	// bytes; a decision that settles without a commit asks for the snapshot.
	l.mu.Lock()
	l.min = 1 << 10
	l.mu.Unlock()
	lift := fulldisk.LimitFileSize(t, 8)
	st.Decide(context.Background())
	st.SettleUnchanged(1)
	st.WaitCompaction()
	lift()
	if logs.count("compaction") == 0 {
		t.Fatalf("no compaction was tried under the limit:\n%s", logs.b.String())
	}
	if segs := filesLike(t, dir, "*.log"); len(segs) != 1 {
		t.Errorf("segments after a rotation the disk refused: %v, want the one appended to", segs)
	}

	clk.advance(compactRetryMax)
	o.set(t, st, "after", "x")
	st.WaitCompaction()
	if n := testutil.ToFloat64(l.m.Compactions); n != 1 {
		t.Errorf("once the disk took the files again: %v compactions, want 1:\n%s", n, logs.b.String())
	}
	want := o.snapshotMap()
	must(t, st.Close())
	st2, o2, _ := openFileStore(t, dir, testConfig())
	defer st2.Close()
	if got := o2.snapshotMap(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("restored %d entries, want the %d committed", len(got), len(want))
	}
}
