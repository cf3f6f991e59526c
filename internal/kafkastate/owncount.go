package kafkastate

// The Log's count of its own records since its restore (ownEnd), which SoleWriter compares with
// the partition's end before a late epoch is taken.
//
// The count is a lower bound: the restore's high watermark plus every record of this Log known
// to have landed since — acknowledged, or settled as acknowledged. Whatever else the partition
// holds past the restore is another writer's records or a batch of its own whose outcome was
// left open, so the partition's end is never below the count, and an end equal to it proves
// both that no other writer wrote and that no open batch of its own has landed (yet). That is
// all a late epoch needs (SoleWriter), whatever a failed write's outcome was: a batch of its own
// that lands later is no other owner. So a failed write no longer bars late epochs until the
// next restore, as it did in round 23 (ownEndLost, any failed write, every append a rebalance
// cut and the next generation carried on among them):
//   - a batch the broker refused before appending it (NOT_ENOUGH_REPLICAS, MESSAGE_TOO_LARGE, a
//     connection that never opened) or never sent is not counted, and the count stays exact;
//   - a batch on the wire when a generation's end cut the append is counted once its settle says
//     it was acknowledged (settledOwn), so a carried-on append leaves the count exact;
//   - a batch whose outcome is open (no answer by the deadline, REQUEST_TIMED_OUT, a connection
//     cut after the request left; kafkatable.PartialWriteError.Uncounted) is not counted and
//     marks the count short-maybe (ownUncounted): the end equal to the count still proves a sole
//     writer; an end past it cannot tell another writer's records from that batch, which is
//     said at INFO (OwnCountLost), not as another writer (LateEpochBarredMsg).
//
// Reading the records past the count would not settle an open batch either: a stale owner
// replaying the same items writes the same keys and values.

import "github.com/wirestream/wirestream/internal/kafkatable"

// countWritten counts a write's acknowledged entries. A cut with a batch on the wire leaves the
// count open until the append settles it (settledOwn) or gives it up (countGivenUp); another
// failure whose outcome is open, or an acknowledged chunk that may be in the partition twice
// (kafkatable.Writer.AppendedTwice), marks the count as maybe short.
func (l *Log) countWritten(acked int, cut *kafkatable.PartialWriteError, err error) {
	twice := l.w.AppendedTwice()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ownEnd += int64(acked)
	switch {
	case err == nil:
		l.ownUncounted = l.ownUncounted || twice
	case cut != nil && cut.OnTheWire > 0:
		l.ownOnWire = true
	case cut != nil:
		l.ownUncounted = l.ownUncounted || twice || cut.Uncounted()
	default:
		// Not a WriteChecked cut: kafka-go's Writer (no fence, no epoch), whose own retries hide
		// each send's outcome, or a write that failed before it sent anything.
		l.ownUncounted = true
	}
}

// settledOwn counts the entries of a cut append's batch on the wire that its settle found
// acknowledged (n), and marks the count as maybe short if the settle left its outcome open.
func (l *Log) settledOwn(n int, cut *kafkatable.PartialWriteError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ownEnd += int64(n)
	l.ownOnWire = false
	l.ownUncounted = l.ownUncounted || cut.Uncounted()
}

// countGivenUp marks the count as maybe short when a failed append gives up a cut whose outcome
// is open (its batch on the wire not settled, or a send of it unanswered).
func (l *Log) countGivenUp(cut *kafkatable.PartialWriteError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cut != nil && cut.OnTheWire > 0 {
		l.ownOnWire = false
		l.ownUncounted = true
	}
}

// giveUp is a failed append's end: its cut, if any, leaves the count (countGivenUp) and its
// batch on the wire is kept for the next restore (abandon).
func (l *Log) giveUp(cut *kafkatable.PartialWriteError) {
	l.countGivenUp(cut)
	l.abandon(cut)
}
