package kafkagroup

import (
	"log/slog"
	"testing"
	"time"
)

// A join that fails for less than RetryWarnAfter is a fresh broker's coordinator appearing:
// debug, however many attempts. Past it, each failure warns; the join that ends a warned run
// is worth an info line, and a new run of failures starts quiet again.
func TestAJoinsRetriesWarnOnlyOnceTheFailureLasts(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 13, 0, 0, 0, time.UTC)
	f := joinFailures{warnAfter: 2 * time.Second}
	for i := range 12 { // a dozen quick retries in 1.2 s: all quiet
		if lvl := f.failed(t0.Add(time.Duration(i) * 100 * time.Millisecond)); lvl != slog.LevelDebug {
			t.Fatalf("failure %d at +%dms logged at %v, want debug", i, i*100, lvl)
		}
	}
	if lasted, warned := f.joined(t0.Add(1500 * time.Millisecond)); warned || lasted != 1500*time.Millisecond {
		t.Errorf("a join after 1.5 s of quiet failures = %v, warned %v; want 1.5s, not warned (no info line)", lasted, warned)
	}

	t1 := t0.Add(time.Minute)
	if lvl := f.failed(t1); lvl != slog.LevelDebug {
		t.Errorf("the first failure of a new run logged at %v, want debug: the run starts afresh", lvl)
	}
	if lvl := f.failed(t1.Add(1999 * time.Millisecond)); lvl != slog.LevelDebug {
		t.Errorf("a failure 1.999 s into the run logged at %v, want debug", lvl)
	}
	if lvl := f.failed(t1.Add(2 * time.Second)); lvl != slog.LevelWarn {
		t.Errorf("a failure 2 s into the run logged at %v, want warn: it lasts", lvl)
	}
	if lvl := f.failed(t1.Add(30 * time.Second)); lvl != slog.LevelWarn {
		t.Errorf("a failure 30 s into the run logged at %v, want warn", lvl)
	}
	if lasted, warned := f.joined(t1.Add(31 * time.Second)); !warned || lasted != 31*time.Second {
		t.Errorf("a join after warned failures = %v, warned %v; want 31s, warned", lasted, warned)
	}
	if lasted, warned := f.joined(t1.Add(40 * time.Second)); warned || lasted != 0 {
		t.Errorf("a join with no failure before = %v, warned %v; want nothing to say", lasted, warned)
	}
}

// The default keeps the rule on for every caller that sets nothing.
func TestRetryWarnAfterDefaultsToTwoSeconds(t *testing.T) {
	if got := (Config{Group: "g", Topics: []string{"t"}}).withDefaults().RetryWarnAfter; got != 2*time.Second {
		t.Errorf("default RetryWarnAfter = %v, want 2s (as kafkatable's)", got)
	}
}
