package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

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
//
// A request is kept only until it is settled: a goroutine per request waits for its answer or
// its deadline (+ settleGrace, PartialWriteError.Settle), whichever comes first, and forgets it
// then, whether this processor ever restores the partition again or not. Until round 19 a
// request was forgotten only by a restore of its partition here, so a standby that lost
// partitions over many rebalances and never got them back kept each of their requests (and
// their closed Log's transport) until it stopped. Now what is kept is bounded by the appends
// that fail within one WriteTimeout, and a restore that comes later does not wait at all.
type Unsettled struct {
	mu   sync.Mutex
	cuts map[unsettledKey][]*keptCut
	// Log, when set, hears when a kept request is settled (SettledMsg); NewUnsettled sets
	// none, and the processor gives its own.
	Log *slog.Logger
}

// keptCut is a request kept and the connections it went out on: those of the Log that sent
// it, whose connection the request's answer leaves idle; once settled, and once the Log is
// closed (closed), that idle connection is closed. settled is closed once the request's answer
// or deadline came and entries/acked say what it was.
type keptCut struct {
	cut     *kafkatable.PartialWriteError
	close   func() error
	closed  <-chan struct{}
	settled chan struct{}
	entries int
	acked   bool
}

type unsettledKey struct {
	topic string
	p     int
}

// NewUnsettled returns an Unsettled that keeps nothing yet.
func NewUnsettled() *Unsettled {
	return &Unsettled{cuts: map[unsettledKey][]*keptCut{}}
}

// Pending returns how many requests are kept for partition p of topic.
func (u *Unsettled) Pending(topic string, p int) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.cuts[unsettledKey{topic, p}])
}

// Kept returns how many requests are kept in all, for every partition.
func (u *Unsettled) Kept() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := 0
	for _, cuts := range u.cuts {
		n += len(cuts)
	}
	return n
}

// SettledMsg is logged when a request kept (KeptMsg) is answered or reaches its deadline and is
// forgotten: a restore of its partition here no longer waits for it.
const SettledMsg = "state changelog: a batch an append left on the wire is answered, or past its deadline; no restore waits for it any more"

// keep keeps kc for partition p of topic until it is settled.
func (u *Unsettled) keep(topic string, p int, kc *keptCut) {
	k := unsettledKey{topic, p}
	kc.settled = make(chan struct{})
	kc.entries = kc.cut.OnTheWire
	u.mu.Lock()
	u.cuts[k] = append(u.cuts[k], kc)
	u.mu.Unlock()
	kept := time.Now()
	go func() {
		before := kc.cut.Acknowledged
		kc.cut.Settle(context.Background()) // bounded by the request's deadline + settleGrace
		kc.acked = kc.cut.Acknowledged > before
		// Logged before it is forgotten: whoever sees it gone (Kept, a restore's settle) finds
		// SettledMsg logged already, not about to be.
		if u.Log != nil {
			u.Log.Info(SettledMsg, "topic", topic, "partition", p, "entries", kc.entries, "acknowledged", kc.acked,
				"after", time.Since(kept).Round(time.Millisecond).String())
		}
		u.mu.Lock()
		left := u.cuts[k][:0]
		for _, c := range u.cuts[k] {
			if c != kc {
				left = append(left, c)
			}
		}
		if len(left) == 0 {
			delete(u.cuts, k)
		} else {
			u.cuts[k] = left
		}
		u.mu.Unlock()
		close(kc.settled)
		select {
		case <-kc.closed:
			_ = kc.close()
		default: // the Log is still open: its Close closes the idle connection
		}
	}()
}

// settle waits until every request kept for partition p of topic is settled (its answer came
// or its deadline passed) or ctx ends; those not settled then stay kept, and ctx's error is
// returned. It returns how many entries the settled requests held and how many of those were
// acknowledged.
func (u *Unsettled) settle(ctx context.Context, topic string, p int) (entries, acked int, err error) {
	u.mu.Lock()
	cuts := append([]*keptCut(nil), u.cuts[unsettledKey{topic, p}]...)
	u.mu.Unlock()
	for _, kc := range cuts {
		select {
		case <-kc.settled:
		case <-ctx.Done():
			return entries, acked, context.Cause(ctx)
		}
		entries += kc.entries
		if kc.acked {
			acked += kc.entries
		}
	}
	return entries, acked, nil
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
	// read before keep: from then on its goroutine settles cut, which writes OnTheWire
	entries := cut.OnTheWire
	l.o.Unsettled.keep(l.t.Topic(), l.p, &keptCut{cut: cut, close: l.t.Close, closed: l.closing})
	l.log.Info(KeptMsg, "entries", entries)
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
