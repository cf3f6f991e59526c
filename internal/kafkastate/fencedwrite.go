package kafkastate

// How an append's writes go out: admitted by the processor's group fence
// (Hold or Fence), sent one kafka-go batch at a time and cut when the fence
// fails (write), and, for an append cut on the wire and carried on by the
// next generation, settled before anything is written again (settle).
// Split from log.go in round 20, unchanged.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// admit asks Hold, or else Fence, whether an append may start; it
// returns what to call once its write has returned.
func (l *Log) admit(ctx context.Context) (func(), error) {
	if l.o.Hold != nil {
		return l.o.Hold(ctx)
	}
	return func() {}, l.fenced()
}

// admitNow is admit without waiting for a next generation: Hold is asked
// under a context that has already ended, so it admits only while the
// generation is current and refuses otherwise.
func (l *Log) admitNow() (func(), error) {
	if l.o.Hold == nil {
		return func() {}, l.fenced()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return l.o.Hold(ctx)
}

// RewriteMsg is logged when an append that its generation's end cut is
// written again under the next generation, which carries the processor's
// drain on: from its first entry not acknowledged (the batches acknowledged
// before the cut are not sent again). Writing some entries twice is safe
// because nothing can land between the two writes and nothing after them
// can be overtaken:
//   - The cut write sends nothing more once it returned (write,
//     kafkatable.Writer.WriteChecked): what landed of it is the
//     acknowledged prefix and perhaps the batch whose request was on the
//     wire, and nothing of it is still queued in this process. The
//     second write, of every entry after the prefix, goes out after it,
//     and every later append after that: the log ends with the append's
//     entries last, in their order, as if it had been written once. The
//     batch whose request was on the wire at the cut is the exception
//     that is waited for: kafka-go keeps that request on its connection
//     until its deadline (WriteTimeout) whatever the fence says, and a
//     leader that holds it unappended (a hung leader, not a slow
//     follower, whose leader appended it on receipt) may append it after
//     the rewrite and the appends after it, leaving a key's older value
//     last. So the rewrite waits for that request's answer first
//     (SettleMsg; kafkatable.PartialWriteError.Settle): acknowledged, the
//     batch counts as written; refused or timed out, it is written again.
//     Only a request held past WriteTimeout, whose client gave up on it,
//     can still land after the rewrite, as any retry of kafka-go's can:
//     Kafka's idempotent producer would close that, and kafka-go has none.
//   - Hold admits it only under the generation that directly follows
//     the cut one, with the same member id and the partition still the
//     member's: no other member owned the partition meanwhile, so no
//     other processor appended to it.
//   - The store's order (state.Store) makes appends one at a time: no
//     later append of this processor starts before this one returns.
//
// Refused instead (the partition lost, a gap, a stop), the append fails
// as it did before it was held, and the processor restores.
const RewriteMsg = "state changelog: an append cut by the end of its generation is written again in the next, which carries the drain on"

// SettleMsg is logged when an append cut by the end of its generation,
// carried on by the next, waits for the answer to the batch that was on
// the wire at the cut before it writes anything again (RewriteMsg).
const SettleMsg = "state changelog: waiting for the answer to the batch on the wire when the generation ended, before writing the append again"

// settle waits for the answer to cut's batch on the wire (bounded by the
// request's own deadline, the table's WriteTimeout, and ctx) and returns
// how many entries of the cut write, from the first, are written. It runs
// under the admission of the generation that carries the append on, so it
// asks Fence every fenceRecheck as write does: when the fence fails before
// the answer came, it stops waiting and returns the fence's error (ended,
// an errFenced), and cut still holds the request, to be settled again
// under a next generation. Otherwise a generation that ended during the
// settle would hold the member's rejoin (turn.close waits for the
// admission) for up to WriteTimeout, past the group's rebalance timeout
// (review23, F1). A stop (Options.Stopping), the log's close or ctx's end
// stop it too, and ended says so: the generation stays current through a
// stop, so the fence alone left a stop waiting for the answer.
func (l *Log) settle(ctx context.Context, cut *kafkatable.PartialWriteError) (acked int, ended error) {
	before, onWire := cut.Acknowledged, cut.OnTheWire
	fctx, stopFence := l.fenceContext(ctx)
	sctx, stopWatch := l.stopContext(fctx)
	acked = cut.Settle(sctx)
	stopWatch()
	stopFence()
	if cut.OnTheWire > 0 {
		var fenced errFenced
		switch cause := context.Cause(sctx); {
		case errors.As(cause, &fenced):
			l.log.Info("state changelog: the generation ended while waiting for the answer to the batch on the wire",
				"entries", onWire, "err", fenced.err)
			return acked, fenced
		case sctx.Err() != nil:
			l.log.Info("state changelog: stopped waiting for the answer to the batch on the wire", "entries", onWire, "err", cause)
			return acked, cause
		}
	}
	l.log.Info("state changelog: the batch on the wire when the generation ended is settled",
		"entries", onWire, "acknowledged", acked > before)
	return acked, nil
}

// fenceContext returns ctx, cancelled with errFenced once Fence fails (it
// is asked every fenceRecheck), and the function that stops asking, to be
// called once the work under it returned.
func (l *Log) fenceContext(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if l.o.Fence == nil {
		return ctx, func() { cancel(nil) }
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(fenceRecheck)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := l.fenced(); err != nil {
					cancel(errFenced{err})
					return
				}
			}
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
	}
}

// fenceRecheck is how often an append that is still retrying (a broker
// down, a leader moving) asks Fence again. The pipeline's writes outlive
// the generation that started them (they drain for up to its drain
// timeout), and a retry that lands after the successor restored would
// write into the state it took over.
const fenceRecheck = 100 * time.Millisecond

// write appends msgs, giving up as soon as the log is fenced: Fence is
// asked before each batch and each retry (kafkatable.Writer.WriteChecked),
// and every fenceRecheck while a batch's produce request waits for its
// answer or a retry waits, and the fence's failure cancels that request's
// wait. So once write has returned — and Hold's done has been called — no
// entry of msgs is queued in this process: the processor's member rejoins
// (turn.close), and the partition's next owner restores, only after the
// last batch of a cut append was sent, and the rejoin does not wait for a
// slow broker's answer to it (the produce timeout need not fit the
// group's). Before round 16 kafka-go's Writer went on sending the rest of
// a big append after the rejoin; in round 16 the batch on the wire was
// waited for, under a produce timeout cut to half the time to rejoin. The
// batch on the wire still gets its answer, up to WriteTimeout later; an
// append carried on settles it before writing anything again (Append).
//
// It returns how many of msgs, from the first, were acknowledged (all of
// them when it returns nil) and, when the fence stopped it, what
// WriteChecked said of the cut (its batch on the wire may land yet).
func (l *Log) write(ctx context.Context, msgs []kafkatable.Entry) (int, *kafkatable.PartialWriteError, error) {
	if err := l.stillOwner(); err != nil {
		return 0, nil, err
	}
	select {
	case l.writeGate <- struct{}{}:
	default:
		// SoleWriter asks the partition's end (at most epochRefreshWait). A free gate is taken
		// above whatever ctx says, so that a write under an ended ctx fails as it did without one.
		select {
		case l.writeGate <- struct{}{}:
		case <-ctx.Done():
			return 0, nil, fmt.Errorf("state changelog %s/%d: nothing written: %w", l.t.Topic(), l.p, ctx.Err())
		}
	}
	defer func() { <-l.writeGate }()
	acked, cut, err := l.writeFenced(ctx, msgs)
	l.countWritten(acked, cut, err)
	return acked, cut, l.epochFenced(err)
}

// writeFenced is write's body: kafka-go's Writer without a fence or a
// producer epoch, WriteChecked with either (only its batches carry the
// epoch: kafkatable.Writer.InitProducer).
func (l *Log) writeFenced(ctx context.Context, msgs []kafkatable.Entry) (int, *kafkatable.PartialWriteError, error) {
	l.mu.Lock()
	epoch := l.epoch != nil
	l.mu.Unlock()
	if l.o.Fence == nil && !epoch {
		if err := l.w.Write(ctx, msgs...); err != nil {
			return 0, nil, err
		}
		return len(msgs), nil, nil
	}
	ctx, stop := l.fenceContext(ctx)
	defer stop()
	err := l.w.WriteChecked(ctx, func() error {
		if err := l.fenced(); err != nil {
			return errFenced{err}
		}
		return nil
	}, msgs...)
	if err == nil {
		return len(msgs), nil, nil
	}
	var partial *kafkatable.PartialWriteError
	if !errors.As(err, &partial) {
		return 0, nil, err
	}
	var fenced errFenced
	if errors.As(err, &fenced) || errors.As(context.Cause(ctx), &fenced) {
		return partial.Acknowledged, partial, fencedWrite{err}
	}
	return partial.Acknowledged, partial, err
}

// entryBytes is what msgs hold in keys and values.
func entryBytes(msgs []kafkatable.Entry) int64 {
	var n int64
	for _, m := range msgs {
		n += int64(len(m.Key) + len(m.Value))
	}
	return n
}

// errFenced is Fence's error, as write's check and cancel give it to
// WriteChecked, which says when in the write it came.
type errFenced struct{ err error }

func (f errFenced) Error() string { return "fenced: " + f.err.Error() }
func (f errFenced) Unwrap() error { return f.err }

// fencedWrite is write's error when the fence stopped it: WriteChecked's,
// which says how much was not written and where it stopped (before a
// batch was sent, on the wire, waiting to retry).
type fencedWrite struct{ err error }

func (f fencedWrite) Error() string { return f.err.Error() }
func (f fencedWrite) Unwrap() error { return f.err }
