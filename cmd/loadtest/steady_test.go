package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The feed after a restore goes through dedupe into the restored store
// and prunes as it goes: with max_entries at the restored count, the
// window stays that size however many stories flow (5000 without it).
func TestFeedAfterKeepsTheWindowAtMaxEntries(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := synthFill(ctx, dir, 2000, 20, log); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.State.NoSync = true
	cfg.State.MaxEntries = 2000
	l, err := state.OpenFile(dir, cfg.State, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := daemon.NewPipeline(ctx, cfg, l, discardSink{}, daemon.NewMetrics(prometheus.NewRegistry(), "t"), log)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Store.Close()
	if got := pl.Remembered(); got != 2000 {
		t.Fatalf("restored %d stories, want 2000", got)
	}
	res, err := feedAfter(ctx, cfg, pl, 2000, 3000, 1000, 20)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stories != 3000 || res.Remembered != 2000 {
		t.Fatalf("fed %d and remember %d, want 3000 fed and 2000 remembered (max_entries)", res.Stories, res.Remembered)
	}
	if res.HeapMaxMB <= 0 || res.RSSMaxMB <= 0 || res.PeakRSSMB < res.RSSMaxMB || res.LiveHeapMB <= 0 {
		t.Fatalf("memory not measured: %+v", res)
	}
}

// The live heap is what a collection leaves: a slice this test keeps
// reachable is in it, and is gone from it once dropped.
func TestTheLiveHeapCountsWhatIsReachable(t *testing.T) {
	before := liveHeapMB()
	kept := make([]byte, 64<<20)
	kept[len(kept)-1] = 1
	with := liveHeapMB()
	if with-before < 60 {
		t.Fatalf("live heap %.1f MB with 64 MB kept, %.1f MB before: want ≥ 60 MB more", with, before)
	}
	if kept[len(kept)-1] != 1 { // keeps kept reachable until here
		t.Fatal("unreachable")
	}
	kept = nil
	if after := liveHeapMB(); with-after < 60 {
		t.Fatalf("live heap %.1f MB after the 64 MB was dropped, %.1f MB with it: want ≥ 60 MB less", after, with)
	}
}
