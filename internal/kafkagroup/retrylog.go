package kafkagroup

import (
	"log/slog"
	"time"
)

// joinFailures decides how loud a failed join is. On a fresh broker the first join fails for
// a second or so (Group Coordinator Not Available while the offsets topic is created; Not
// Coordinator while its leader moves): a transient the retry rides out, which a newcomer read
// as a failure when it was a warning. So a join that has been failing for less than
// Config.RetryWarnAfter is logged at debug, one failing longer at warn (however many attempts
// that took), and a join that succeeds after a warning says so at info.
type joinFailures struct {
	warnAfter time.Duration
	since     time.Time // the first failure of the current run of them; zero after a join
	warned    bool
}

// failed records a failure at now and returns the level to log it at.
func (f *joinFailures) failed(now time.Time) slog.Level {
	if f.since.IsZero() {
		f.since = now
	}
	if now.Sub(f.since) < f.warnAfter {
		return slog.LevelDebug
	}
	f.warned = true
	return slog.LevelWarn
}

// joined ends a run of failures at now: it returns how long they lasted and whether any was
// logged as a warning (the recovery is then worth an info line).
func (f *joinFailures) joined(now time.Time) (lasted time.Duration, warned bool) {
	if f.since.IsZero() {
		return 0, false
	}
	lasted, warned = now.Sub(f.since), f.warned
	f.since, f.warned = time.Time{}, false
	return lasted, warned
}
