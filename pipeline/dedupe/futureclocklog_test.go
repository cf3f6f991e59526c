package dedupe

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The line a restore logs when it cuts a far-future window clock goes to
// the logger SetLog gave the deduper (the daemon's, with its component),
// as its converted/dropped fingerprint lines do, not to the process's
// default logger. Before round 41's review it went to slog.Default: a
// daemon that logs through its own handler never showed it.
func TestTheFutureClockCutIsLoggedOnTheDedupersLog(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	live, st := newDeduper(t, nil)
	tx := live.Begin()
	a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	b, btext := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/rain", "Floods", other})
	tx.Check(a, atext, t0)
	tx.Check(b, btext, t0.Add(10*time.Minute))
	commit(t, tx, st)
	var es []state.Entry
	if err := live.Snapshot(func(e state.Entry) error {
		es = append(es, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	es = append(es, clockEntry(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()))

	var global bytes.Buffer
	was := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&global, nil)))
	defer slog.SetDefault(was)
	var out bytes.Buffer
	d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	d.SetLog(slog.New(slog.NewTextHandler(&out, nil)))
	for _, e := range es {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "level=ERROR") || !strings.Contains(out.String(), "far past the state's own story times") {
		t.Errorf("the deduper's log holds %q, want the cut's ERROR line", out.String())
	}
	if global.Len() != 0 {
		t.Errorf("the default logger got %q, want nothing", global.String())
	}
}
