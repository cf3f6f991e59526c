package quietretry

import (
	"log/slog"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

// The rule: a run of failures is debug until it has lasted the threshold, however many attempts
// that took, and warn from then; its success says whether it warned and how long it lasted, and
// the next failure starts a new run, quiet again.
func TestARunOfFailuresIsDebugUntilItLastsThenWarn(t *testing.T) {
	var r Run           // the zero value: WarnAfter
	for i := range 20 { // twenty quick retries in 1.9 s: all quiet
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		if lvl := r.Failed(at); lvl != slog.LevelDebug {
			t.Fatalf("failure %d at +%s logged at %v, want debug", i, at.Sub(t0), lvl)
		}
	}
	if lvl := r.Failed(t0.Add(WarnAfter - time.Millisecond)); lvl != slog.LevelDebug {
		t.Errorf("a failure 1 ms short of WarnAfter logged at %v, want debug", lvl)
	}
	if lvl := r.Failed(t0.Add(WarnAfter)); lvl != slog.LevelWarn {
		t.Errorf("a failure WarnAfter into the run logged at %v, want warn", lvl)
	}
	if lvl := r.Failed(t0.Add(time.Minute)); lvl != slog.LevelWarn {
		t.Errorf("a failure a minute into the run logged at %v, want warn", lvl)
	}
	if got := r.FailingFor(t0.Add(time.Minute + 1234567*time.Microsecond)); got.Key != FailingForKey || got.Value.String() != "1m1.235s" {
		t.Errorf("FailingFor = %v, want failing_for=1m1.235s (to the millisecond)", got)
	}
	if lasted, warned := r.Succeeded(t0.Add(61 * time.Second)); !warned || lasted != 61*time.Second {
		t.Errorf("success after warnings = %v, warned %v; want 1m1s, warned", lasted, warned)
	}

	// Reset: the next run starts quiet, on its own clock.
	t1 := t0.Add(time.Hour)
	if lvl := r.Failed(t1); lvl != slog.LevelDebug {
		t.Errorf("a new run's first failure logged at %v, want debug: success resets the run", lvl)
	}
	if lasted, warned := r.Succeeded(t1.Add(500 * time.Millisecond)); warned || lasted != 500*time.Millisecond {
		t.Errorf("success after quiet failures = %v, warned %v; want 500ms, not warned (no info line)", lasted, warned)
	}
	if lasted, warned := r.Succeeded(t1.Add(time.Second)); warned || lasted != 0 {
		t.Errorf("success with no failure before = %v, warned %v; want nothing to say", lasted, warned)
	}
	if got := r.FailingFor(t1); got.Value.String() != "0s" {
		t.Errorf("FailingFor with no run on = %v, want 0s", got)
	}
}

// A Run's own threshold replaces the default; FailedAfter sets one for a single failure on the
// run's clock.
func TestARunsThresholds(t *testing.T) {
	r := Run{WarnAfter: 300 * time.Millisecond}
	if lvl := r.Failed(t0); lvl != slog.LevelDebug {
		t.Errorf("first failure logged at %v, want debug", lvl)
	}
	if lvl := r.FailedAfter(t0.Add(5*time.Second), 10*time.Second); lvl != slog.LevelDebug {
		t.Errorf("a failure 5 s in with a 10 s threshold logged at %v, want debug", lvl)
	}
	if lvl := r.Failed(t0.Add(5 * time.Second)); lvl != slog.LevelWarn {
		t.Errorf("a failure 5 s in with the Run's 300 ms threshold logged at %v, want warn", lvl)
	}
}

// Since counts the run from the operation's first attempt: an attempt that took 3 s to fail has
// been failing for 3 s. Within a run it changes nothing.
func TestARunCountsFromTheFirstAttemptWhenTold(t *testing.T) {
	var r Run
	r.Since(t0)
	if lvl := r.Failed(t0.Add(3 * time.Second)); lvl != slog.LevelWarn {
		t.Errorf("first failure of an attempt started 3 s before logged at %v, want warn", lvl)
	}
	r.Since(t0.Add(4 * time.Second))
	if lasted, _ := r.Succeeded(t0.Add(5 * time.Second)); lasted != 5*time.Second {
		t.Errorf("lasted %v, want 5s: Since within a run must not move its start", lasted)
	}
	if got := Lasted(1500 * time.Millisecond); got.Key != FailingForKey || got.Value.String() != "1.5s" {
		t.Errorf("Lasted = %v, want failing_for=1.5s", got)
	}
}
