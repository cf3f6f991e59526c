// Package quietretry is the one rule for how loud a retried failure is logged.
//
// A Kafka client meets transient failures in normal operation: a topic just created answers
// Not Leader For Partition for a few hundred milliseconds while its leader is elected, a fresh
// broker's group coordinator is not available for seconds, a leader moves. Logged as warnings,
// those read as failures of runs that went well (round 20's newcomer saw warnings for writes
// that went through 0.1 s later). So a run of failures is logged at debug until it has lasted
// WarnAfter, at warn from then (however many attempts that took), and the success that ends a
// warned run is worth an info line saying how long it failed (Succeeded's warned).
//
// Table reads (internal/kafkatable), group joins (internal/kafkagroup) and sink writes
// (sinks/kafka) share it, so their thresholds and their failing_for attribute stay in step.
package quietretry

import (
	"log/slog"
	"time"
)

// WarnAfter is how long a run of failures lasts before its retries are warnings: longer than a
// new topic's leader election on a loaded machine, short enough that a broker that stays away
// is said within seconds.
const WarnAfter = 2 * time.Second

// FailingForKey is the log attribute that says how long a run of failures has lasted.
const FailingForKey = "failing_for"

// Run is one run of failures of an operation that is retried until it works. Its zero value is
// ready, with the WarnAfter threshold. A Run is not safe for concurrent use: each retry loop
// has its own.
type Run struct {
	// WarnAfter is the threshold; zero or less means the package's WarnAfter.
	WarnAfter time.Duration

	since  time.Time // the start of the current run; zero when none
	warned bool      // whether the current run logged a warning
}

// Since counts the current run from t (an operation's first attempt) rather than from its first
// failure, when no run is on: an attempt that itself took seconds to fail has been failing for
// them. It does nothing while a run is on.
func (r *Run) Since(t time.Time) {
	if r.since.IsZero() {
		r.since = t
	}
}

// Failed records a failure at now and returns the level to log it at: debug while the run has
// lasted less than the Run's threshold, warn from then.
func (r *Run) Failed(now time.Time) slog.Level {
	return r.FailedAfter(now, r.threshold())
}

// FailedAfter is Failed with another threshold for this failure (a failure known to last longer
// when all is well, as a fresh coordinator's "not ready yet"); the run's clock is the same.
func (r *Run) FailedAfter(now time.Time, warnAfter time.Duration) slog.Level {
	r.Since(now)
	if now.Sub(r.since) < warnAfter {
		return slog.LevelDebug
	}
	r.warned = true
	return slog.LevelWarn
}

// FailingFor is the failing_for attribute at now: how long the current run has lasted, to the
// millisecond (zero when no run is on).
func (r *Run) FailingFor(now time.Time) slog.Attr {
	return Lasted(r.lasted(now))
}

// Succeeded ends the current run at now: it returns how long the run lasted and whether it
// logged a warning (the success is then worth an info line, with Lasted's attribute). The next
// failure starts a new run, quiet again.
func (r *Run) Succeeded(now time.Time) (lasted time.Duration, warned bool) {
	lasted, warned = r.lasted(now), r.warned
	r.since, r.warned = time.Time{}, false
	return lasted, warned
}

// Lasted is the failing_for attribute of a run that lasted d (what Succeeded returned).
func Lasted(d time.Duration) slog.Attr {
	return slog.String(FailingForKey, d.Round(time.Millisecond).String())
}

func (r *Run) lasted(now time.Time) time.Duration {
	if r.since.IsZero() {
		return 0
	}
	return now.Sub(r.since)
}

func (r *Run) threshold() time.Duration {
	if r.WarnAfter <= 0 {
		return WarnAfter
	}
	return r.WarnAfter
}
