package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// Unsettled keeps the produce requests of the appends that failed while a batch of theirs was on
// the wire: a cut append that the next generation did not carry on, or one whose settle a stop
// or the log's close ended. A produce request sent is not taken back: kafka-go keeps it on its
// connection until its deadline (the table's WriteTimeout, 30 s for the changelog) and a leader
// that held it may append it then. A processor passes one Unsettled to every Log it opens
// (Options.Unsettled), so that a request outlives the Log that sent it; the next Restore of the
// same partition through it waits first for the answer to every request kept for that
// partition (or for its deadline), and so reads a final log. Before, a member that got its
// partition back after a generation in between restored at once, and its own cut request could
// land after the restore, under the appends of the items it read again, an older value of a
// key last (review23, F2). Another member's restore cannot wait for it: only an idempotent
// producer, which kafka-go lacks, would close that.
type Unsettled struct {
	mu   sync.Mutex
	cuts map[unsettledKey][]keptCut
}

// keptCut is a request kept and the connections it went out on: those of the Log that sent
// it, closed already, whose connection the request's answer leaves idle; settling closes it.
type keptCut struct {
	cut   *kafkatable.PartialWriteError
	close func() error
}

type unsettledKey struct {
	topic string
	p     int
}

// NewUnsettled returns an Unsettled that keeps nothing yet.
func NewUnsettled() *Unsettled {
	return &Unsettled{cuts: map[unsettledKey][]keptCut{}}
}

// Pending returns how many requests are kept for partition p of topic.
func (u *Unsettled) Pending(topic string, p int) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.cuts[unsettledKey{topic, p}])
}

func (u *Unsettled) keep(topic string, p int, kc keptCut) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := unsettledKey{topic, p}
	u.cuts[k] = append(u.cuts[k], kc)
}

// settle waits for the answer to every request kept for partition p of topic, each until it
// comes or its deadline has passed (PartialWriteError.Settle), and forgets them. When ctx ends
// first, those not settled stay kept and ctx's error is returned. It returns how many entries
// the settled requests held and how many of those were acknowledged.
func (u *Unsettled) settle(ctx context.Context, topic string, p int) (entries, acked int, err error) {
	k := unsettledKey{topic, p}
	u.mu.Lock()
	cuts := u.cuts[k]
	delete(u.cuts, k)
	u.mu.Unlock()
	var left []keptCut
	for _, kc := range cuts {
		cut := kc.cut
		n, before := cut.OnTheWire, cut.Acknowledged
		if err == nil {
			cut.Settle(ctx)
		}
		if cut.OnTheWire > 0 && ctx.Err() != nil {
			err = context.Cause(ctx)
			left = append(left, kc)
			continue
		}
		entries += n
		acked += cut.Acknowledged - before
		_ = kc.close()
	}
	if len(left) > 0 {
		u.mu.Lock()
		u.cuts[k] = append(left, u.cuts[k]...)
		u.mu.Unlock()
	}
	return entries, acked, err
}

// KeptMsg is logged when an append fails with a batch of it on the wire, which is kept
// (Unsettled) for the next restore of the partition by this processor to settle first.
const KeptMsg = "state changelog: an append failed with its batch on the wire; the next restore here waits for that batch's answer first"

// RestoreSettleMsg is logged when a restore waits for the answer to a batch this processor's
// earlier append left on the wire (Unsettled) before it reads the partition.
const RestoreSettleMsg = "state changelog: waiting for the answer to this processor's own batch left on the wire before restoring"

// abandon keeps cut's batch on the wire, if it has one, for the next restore (Unsettled).
func (l *Log) abandon(cut *kafkatable.PartialWriteError) {
	if cut == nil || cut.OnTheWire == 0 || l.o.Unsettled == nil {
		return
	}
	l.o.Unsettled.keep(l.t.Topic(), l.p, keptCut{cut: cut, close: l.t.Close})
	l.log.Info(KeptMsg, "entries", cut.OnTheWire)
}

// settleKept settles, before a restore reads the partition, the batches on the wire that this
// processor's failed appends left there (Unsettled).
func (l *Log) settleKept(ctx context.Context) error {
	u := l.o.Unsettled
	if u == nil {
		return nil
	}
	n := u.Pending(l.t.Topic(), l.p)
	if n == 0 {
		return nil
	}
	l.log.Info(RestoreSettleMsg, "requests", n)
	entries, acked, err := u.settle(ctx, l.t.Topic(), l.p)
	if err != nil {
		return fmt.Errorf("restore state changelog %s/%d: waiting for the answer to %d of this processor's batches left on the wire: %w",
			l.t.Topic(), l.p, u.Pending(l.t.Topic(), l.p), err)
	}
	l.log.Info("state changelog: the batches left on the wire are settled; restoring", "entries", entries, "acknowledged", acked)
	return nil
}

// errStopped ends a settle when the processor stops (Options.Stopping) or the log is closed.
var errStopped = errors.New("the processor is stopping, or its state log was closed")

// stopContext returns ctx, cancelled with errStopped once Options.Stopping is closed or the log
// is closed, and the function that stops watching, to be called once the work under it
// returned.
func (l *Log) stopContext(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-l.o.Stopping: // nil: never
			cancel(errStopped)
		case <-l.closing:
			cancel(errStopped)
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
	}
}
