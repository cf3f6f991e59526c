package kafkagroup

import (
	"errors"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
)

// joinFailures decides how loud a failed join is. On a fresh broker the first join fails for
// a second or so (Group Coordinator Not Available while the offsets topic is created; Not
// Coordinator while its leader moves): a transient the retry rides out, which a newcomer read
// as a failure when it was a warning. So a join that has been failing for less than
// Config.RetryWarnAfter is logged at debug, one failing longer at warn (however many attempts
// that took), and a join that succeeds after a warning says so at info: quietretry's rule,
// shared with table reads and sink writes. The run is counted from its first failure (a join
// waits for a generation as long as it takes, which is no failure).
//
// The coordinator's own "not yet" answers (Group Coordinator Not Available, Group Load In
// Progress, Not Coordinator For Group) get coordinatorWarnAfter instead: a new broker creates
// the 50 partitions of its offsets topic before it answers, which took 4.4 s of them on a
// loaded machine (round 19), so 2 s still warned on a first start that went well.
type joinFailures struct {
	warnAfter            time.Duration
	coordinatorWarnAfter time.Duration
	run                  quietretry.Run
}

// coordinatorStarting reports whether err is the group coordinator saying it is not ready
// yet, which a fresh broker (or one whose coordinator moved) says for seconds.
func coordinatorStarting(err error) bool {
	return errors.Is(err, kafka.GroupCoordinatorNotAvailable) || errors.Is(err, kafka.GroupLoadInProgress) ||
		errors.Is(err, kafka.NotCoordinatorForGroup)
}

// failed records a failure (err) at now and returns the level to log it at.
func (f *joinFailures) failed(now time.Time, err error) slog.Level {
	after := f.warnAfter
	if coordinatorStarting(err) {
		after = max(after, f.coordinatorWarnAfter)
	}
	return f.run.FailedAfter(now, after)
}

// failingFor is the failing_for attribute of the current run at now.
func (f *joinFailures) failingFor(now time.Time) slog.Attr { return f.run.FailingFor(now) }

// joined ends a run of failures at now: it returns how long they lasted and whether any was
// logged as a warning (the recovery is then worth an info line).
func (f *joinFailures) joined(now time.Time) (lasted time.Duration, warned bool) {
	return f.run.Succeeded(now)
}
