package events

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// The line a restore logs when it cuts far-future times goes to the
// logger SetLog gave the clusterer (the daemon's, with its component), as
// dedupe's does (round 41's review), not to the process's default logger:
// a daemon that logs through its own handler never showed it.
func TestTheFutureClockCutIsLoggedOnTheClusterersLog(t *testing.T) {
	live, _, _ := twoEvents(t)
	entries := withClock(t, live, snapshotOf(t, live), year2100)
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
		t.Errorf("the clusterer's log holds %q, want the cut's ERROR line", out.String())
	}
	if global.Len() != 0 {
		t.Errorf("the default logger got %q, want nothing", global.String())
	}
}
