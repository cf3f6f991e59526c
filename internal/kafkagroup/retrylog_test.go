package kafkagroup

import (
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// A join that fails for less than RetryWarnAfter is a transient: debug, however many attempts.
// Past it, each failure warns; the join that ends a warned run is worth an info line, and a new
// run of failures starts quiet again.
func TestAJoinsRetriesWarnOnlyOnceTheFailureLasts(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 13, 0, 0, 0, time.UTC)
	f := joinFailures{warnAfter: 2 * time.Second, coordinatorWarnAfter: 10 * time.Second}
	refused := errors.New("dial tcp 127.0.0.1:22092: connect: connection refused")
	for i := range 12 { // a dozen quick retries in 1.2 s: all quiet
		if lvl := f.failed(t0.Add(time.Duration(i)*100*time.Millisecond), refused); lvl != slog.LevelDebug {
			t.Fatalf("failure %d at +%dms logged at %v, want debug", i, i*100, lvl)
		}
	}
	if lasted, warned := f.joined(t0.Add(1500 * time.Millisecond)); warned || lasted != 1500*time.Millisecond {
		t.Errorf("a join after 1.5 s of quiet failures = %v, warned %v; want 1.5s, not warned (no info line)", lasted, warned)
	}

	t1 := t0.Add(time.Minute)
	if lvl := f.failed(t1, refused); lvl != slog.LevelDebug {
		t.Errorf("the first failure of a new run logged at %v, want debug: the run starts afresh", lvl)
	}
	if lvl := f.failed(t1.Add(1999*time.Millisecond), refused); lvl != slog.LevelDebug {
		t.Errorf("a failure 1.999 s into the run logged at %v, want debug", lvl)
	}
	if lvl := f.failed(t1.Add(2*time.Second), refused); lvl != slog.LevelWarn {
		t.Errorf("a failure 2 s into the run logged at %v, want warn: it lasts", lvl)
	}
	if lvl := f.failed(t1.Add(30*time.Second), refused); lvl != slog.LevelWarn {
		t.Errorf("a failure 30 s into the run logged at %v, want warn", lvl)
	}
	if lasted, warned := f.joined(t1.Add(31 * time.Second)); !warned || lasted != 31*time.Second {
		t.Errorf("a join after warned failures = %v, warned %v; want 31s, warned", lasted, warned)
	}
	if lasted, warned := f.joined(t1.Add(40 * time.Second)); warned || lasted != 0 {
		t.Errorf("a join with no failure before = %v, warned %v; want nothing to say", lasted, warned)
	}
}

// A fresh broker's coordinator answers "not available" and "load in progress" while it creates
// its offsets topic: 4.4 s of them on a loaded machine warned at 2 s on a first start that went
// well. Those answers are quiet for CoordinatorWarnAfter; another error in the same run warns
// on RetryWarnAfter's clock, counted from the run's first failure.
func TestAFreshCoordinatorsNotReadyAnswersAreQuietLonger(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 13, 55, 41, 0, time.UTC)
	f := joinFailures{warnAfter: 2 * time.Second, coordinatorWarnAfter: 10 * time.Second}
	for i, err := range []error{kafka.GroupCoordinatorNotAvailable, kafka.GroupLoadInProgress, kafka.NotCoordinatorForGroup,
		fmt.Errorf("join group: %w", kafka.GroupLoadInProgress)} {
		at := t0.Add(time.Duration(i) * 2 * time.Second) // up to 6 s in
		if lvl := f.failed(at, err); lvl != slog.LevelDebug {
			t.Errorf("%v at +%s logged at %v, want debug: a coordinator starting", err, at.Sub(t0), lvl)
		}
	}
	if lvl := f.failed(t0.Add(10*time.Second), kafka.GroupCoordinatorNotAvailable); lvl != slog.LevelWarn {
		t.Errorf("coordinator not available 10 s on logged at %v, want warn: it lasts", lvl)
	}
	f.joined(t0.Add(11 * time.Second))
	if lvl := f.failed(t0.Add(time.Minute), kafka.GroupCoordinatorNotAvailable); lvl != slog.LevelDebug {
		t.Fatalf("a new run's first failure logged at %v, want debug", lvl)
	}
	if lvl := f.failed(t0.Add(time.Minute+3*time.Second), kafka.TopicAuthorizationFailed); lvl != slog.LevelWarn {
		t.Errorf("another error 3 s into the run logged at %v, want warn: only the coordinator's own answers wait longer", lvl)
	}
}

// The defaults keep the rule on for every caller that sets nothing.
func TestTheJoinRetryWarningDefaults(t *testing.T) {
	c := (Config{Group: "g", Topics: []string{"t"}}).withDefaults()
	if c.RetryWarnAfter != 2*time.Second || c.CoordinatorWarnAfter != 10*time.Second {
		t.Errorf("defaults RetryWarnAfter %v, CoordinatorWarnAfter %v; want 2s (as kafkatable's) and 10s", c.RetryWarnAfter, c.CoordinatorWarnAfter)
	}
}
