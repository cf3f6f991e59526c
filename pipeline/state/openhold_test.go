package state

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// dueAtOpen writes a log that is over its ratio (no snapshot yet) and
// opens a store on it with the clock clk; the store closes with t. (The
// tests' last step, a rewrite started by a commit, shows it was due.)
func dueAtOpen(t *testing.T, clk *testClock) (*Store, *mapOwner, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := testConfig()
	cfg.CompactMinBytes = 1 << 20 // no rewrite while it is written
	st, o, _ := openFileStore(t, dir, cfg)
	for i := range 64 {
		o.set(t, st, fmt.Sprintf("k%02d", i), strings.Repeat("v", 500))
	}
	must(t, st.Close())
	cfg.CompactMinBytes = 4 << 10 // 32 KiB of segments: due
	l, err := OpenFile(dir, cfg, nil, nil)
	must(t, err)
	o2 := newMapOwner(Stories)
	st2, err := Open(context.Background(), l, Options{now: clk.now}, o2)
	must(t, err)
	t.Cleanup(func() { st2.Close() })
	return st2, o2, dir
}

// A rewrite due when the store opens waits for the first committed batch:
// the start-up's first polls and batch have the cores, and the feeds'
// poll states committed before it do not start it either.
func TestARewriteDueAtOpenWaitsForTheFirstCommittedBatch(t *testing.T) {
	clk := &testClock{t: time.Now()}
	st, o, dir := dueAtOpen(t, clk)
	st.WaitCompaction()
	if snaps := filesLike(t, dir, "*.snap"); len(snaps) > 0 {
		t.Fatalf("Open started the rewrite at once: %v", snaps)
	}
	must(t, st.SaveFeedState(context.Background(), "https://example.com/feed", []byte("etag")))
	o.set(t, st, "pruned", "")
	st.WaitCompaction()
	if snaps := filesLike(t, dir, "*.snap"); len(snaps) > 0 {
		t.Fatalf("a feed state or an update before the first batch started the rewrite: %v", snaps)
	}
	st.Decide(context.Background())
	o.set(t, st, "story", "decided")
	st.Settle(1, true)
	st.WaitCompaction()
	if snaps := filesLike(t, dir, "*.snap"); len(snaps) != 1 {
		t.Fatalf("after the first committed batch: snapshots %v, want one", snaps)
	}
}

// With no batch committed (a sink away), the hold ends after
// openCompactionHold: the next commit starts the rewrite, so the tail a
// restart replays stays bounded.
func TestARewriteDueAtOpenStartsAfterItsHoldWithoutABatch(t *testing.T) {
	clk := &testClock{t: time.Now()}
	st, o, dir := dueAtOpen(t, clk)
	clk.advance(openCompactionHold - time.Second)
	o.set(t, st, "a", "1")
	st.WaitCompaction()
	if snaps := filesLike(t, dir, "*.snap"); len(snaps) > 0 {
		t.Fatalf("the rewrite started %v after Open, inside the hold: %v", openCompactionHold-time.Second, snaps)
	}
	clk.advance(time.Second)
	o.set(t, st, "b", "2")
	st.WaitCompaction()
	if snaps := filesLike(t, dir, "*.snap"); len(snaps) != 1 {
		t.Fatalf("a commit %v after Open: snapshots %v, want one", openCompactionHold, snaps)
	}
}
