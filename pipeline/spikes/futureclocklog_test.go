package spikes

import (
	"bytes"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The line a restore logs when it cuts a far-future clock goes to the
// logger SetLog gave the detector (the daemon's, with its component), as
// dedupe's does (round 41's review), not to the process's default logger.
func TestTheFutureClockCutIsLoggedOnTheDetectorsLog(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	far := f.d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	f.d.next, f.d.pruned = far, far
	for i, e := range entries {
		if string(e.Key) == "g" {
			entries[i].Value = f.d.encodeGlobal()
		}
	}
	var global bytes.Buffer
	was := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&global, nil)))
	defer slog.SetDefault(was)
	var out bytes.Buffer
	r := New(DefaultConfig(), nil)
	r.SetLog(slog.New(slog.NewTextHandler(&out, nil)))
	for _, e := range entries {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "level=ERROR") || !strings.Contains(out.String(), "far past the state's own story times") {
		t.Errorf("the detector's log holds %q, want the cut's ERROR line", out.String())
	}
	if global.Len() != 0 {
		t.Errorf("the default logger got %q, want nothing", global.String())
	}
}
