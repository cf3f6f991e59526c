package daemon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A rebalance that leaves the active processor its partition (a standby
// joining or leaving) still ends its generation: kafka-go stops the
// member's goroutines and rejoins only once Work has returned. The batches
// the pipeline holds at that moment drain after the end, and their
// changelog appends cannot be made under the ended generation's fence:
// refused, they would leave the pipeline's memory ahead of the changelog
// and cost a full restore. So the drain is handed over: Work returns at
// once, the drain goes on, and its appends and the items commit wait
// (Processor.hold) until the next generation is known. takeOver then
// decides:
//
//   - The next generation carries the drain on when it directly follows
//     the ended one (generation N+1), the coordinator kept the member (same
//     member id) and the partition is still the member's: no other member
//     owned the partition in between, so nothing else appended to its
//     changelog partition. The held appends and commits go on under the new
//     generation's fence, and the pipeline reads on from the drain's own
//     position without a restore: memory is the changelog plus what was
//     appended now, nothing lost, nothing applied twice.
//   - Otherwise (the partition lost, the session lost, a generation in
//     between, a new member id, a stop) the held appends are refused under
//     the ended generation's fence, as before, and a pipeline whose memory
//     ran ahead of the changelog is discarded.

// turn is a generation the processor works in, the appends admitted
// under it and the word on the next.
type turn struct {
	g    *kafkagroup.Generation
	next chan struct{} // closed once what follows g is decided
	once sync.Once

	mu       sync.Mutex
	idle     *sync.Cond // admitted reached 0
	closed   bool       // no more appends are admitted under g
	admitted int        // appends admitted under g whose write has not returned
}

func newTurn(g *kafkagroup.Generation) *turn {
	t := &turn{g: g, next: make(chan struct{})}
	t.idle = sync.NewCond(&t.mu)
	return t
}

func (t *turn) decide() { t.once.Do(func() { close(t.next) }) }

// admit counts an append that passed g's fence, until release.
func (t *turn) admit() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.admitted++
	return true
}

func (t *turn) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.admitted--; t.admitted == 0 {
		t.idle.Broadcast()
	}
}

// close admits no more appends under g and waits until the writes of
// those admitted have returned. The generation has ended, so an append
// stops at its next fence check, before its next batch or retry
// (kafkatable.Writer.WriteChecked, kafkastate's fenceRecheck), and the
// wait for the batch on the wire then is cancelled by the same fence
// within fenceRecheck, however slow the broker is to answer it (a hung
// leader, a slow in-sync follower): close does not wait out the produce
// timeout (the request itself goes on to it, and an append carried on
// waits for its answer before writing it again: kafkastate.SettleMsg;
// that wait asks the same fence every fenceRecheck and gives up its
// admission when the generation that carried it on ends too, going on
// only if the next one carries the append on again; a stop ends it at
// once, failing the append: kafkastate.Options.Stopping). So when close returns, no batch of an append admitted under g is queued in
// the process: the member does not rejoin — and no next
// generation can hand the partition to another member — before the last
// of them was sent (BENCHMARKS.md round 15, "the fence stops a cut
// append's queued batches"). When the next generation carries the drain
// on, the cut append is written again (kafkastate.RewriteMsg).
func (t *turn) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for t.admitted > 0 {
		t.idle.Wait()
	}
}

// errNotCarried refuses the appends held across a rebalance that the next
// generation does not carry on.
var errNotCarried = errors.New("processor: the consumer group generation ended and the next one does not carry its appends on")

// errBatchFailed refuses what a processor whose batch failed would still
// write before its pipeline is discarded and restored.
var errBatchFailed = errors.New("processor: a batch failed; writes wait for the restore from the changelog")

// heldSink sends the pipeline's sink writes through the processor's fence
// (Processor.hold) before they start: a write the drain makes after its
// generation ended waits for the next one and goes out only if that one
// carries the drain on, and a write after a failed batch is refused.
// Otherwise a drained batch's records could reach the topics after the
// partition's next owner — another member, when the group fell back from
// the sticky balancer — published newer records of the same keys, and
// compaction would keep the older. A write is not counted once admitted
// (the admission is released at once): unlike a changelog append, a sink
// write does not stop at a fence check while it retries, so counting it
// would hold the member's rejoin (turn.close) for as long as a sink
// outage lasts, past the group's rebalance timeout. A write in flight
// when the generation ends may still land late, as before.
type heldSink struct {
	sink pipeline.Sink
	hold func(context.Context) (func(), error)
}

func (s heldSink) Write(ctx context.Context, recs []record.Record) error {
	release, err := s.hold(ctx)
	if err != nil {
		return fmt.Errorf("processor: %d records not written: %w", len(recs), err)
	}
	release()
	return s.sink.Write(ctx, recs)
}

// handover is a drain that outlived its generation's Work.
type handover struct {
	done <-chan drained
}

// drained is how a run of the pipeline over the items ended
// (itemtopic.Reader.Run's results).
type drained struct {
	next int64
	seen bool
	err  error
}

// enter makes g the generation the processor works in and wakes the
// appends held for it.
func (p *Processor) enter(g *kafkagroup.Generation) {
	if prev := p.gen.Swap(newTurn(g)); prev != nil {
		prev.decide()
	}
}

// hold is the fence of an append (kafkastate.Options.Hold): it admits it
// at once while the processor's generation is current; after the
// generation ended (or its Work handed over), it waits until the next is
// decided, then admits it under the generation that carries the drain on,
// or refuses it. A stop does not wait (the member leaves: nothing carries
// on), nor does an append whose ctx ends.
func (p *Processor) hold(ctx context.Context) (func(), error) {
	for {
		t := p.gen.Load()
		if t == nil {
			return nil, p.fence()
		}
		err := p.fenceOf(t)
		if err == nil && t.admit() {
			return t.release, nil
		}
		if p.failed.Load() {
			// err may be nil: the fence passed and admit found g closed,
			// then a batch failed; a nil release with no error would be
			// called by the caller.
			return nil, cmp.Or(err, p.fenceOf(t), errBatchFailed)
		}
		select {
		case <-t.next:
			if p.gen.Load() == t {
				return nil, cmp.Or(err, errNotCarried) // decided against
			}
		case <-p.stopping.Done():
			return nil, cmp.Or(err, errNotCarried)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// takeOver decides, when the next generation g is known (nil: the member
// owns nothing any more), what becomes of the drain the last generation
// handed over, and makes g the generation the processor works in. It
// returns the drain when g carries it on (Work awaits it: g may end
// before it does, and hand it over again); otherwise the drain's appends
// are refused, it waits for it, discards a pipeline that ran ahead of the
// changelog, and returns nil. A pipeline that g does not carry on is let
// go even without a drain: after a gap another member may have appended
// to its changelog partition. Called with p.mu held.
func (p *Processor) takeOver(g *kafkagroup.Generation) <-chan drained {
	prev, h := p.gen.Load(), p.held
	p.held = nil
	keep := g != nil && prev != nil && p.active != nil &&
		carries(prev.g.Assignment, g.Assignment, p.topic, p.active.partition)
	if h != nil && keep {
		p.enter(g)
		p.log.Info(keptMsg, "generation", g.Generation)
		return h.done
	}
	if p.active != nil && g != nil && !keep {
		p.log.Info(notCarriedMsg, "generation", g.Generation, "member_id", g.MemberID,
			"previous_generation", prev.g.Generation, "previous_member_id", prev.g.MemberID, "owned", g.Partitions(p.topic))
	}
	if h != nil {
		prev.decide()
		if r := <-h.done; r.seen {
			p.discard("the next generation does not carry on this processor's ownership of the items partition; " +
				"what it drained meanwhile was not committed")
		}
	}
	if g != nil {
		if !keep {
			p.deactivate("the group went on without this processor between its generations (a gap, a new member id or the partition lost)")
		}
		p.enter(g)
	}
	return nil
}

const (
	keptMsg       = "processor kept its state across the rebalance"
	notCarriedMsg = "processor cannot keep its state: the next generation does not directly continue its ownership of the items partition"
)

// carries reports whether next may carry on the drain of partition of
// topic that the member owned in prev: next directly follows prev, the
// coordinator kept the member, and the partition is still its. A gap in
// the generations means the group went on without the member (its
// partition may have had another owner); a new member id, that the
// coordinator dropped it.
func carries(prev, next kafkagroup.Assignment, topic string, partition int) bool {
	return next.Generation == prev.Generation+1 && next.MemberID != "" && next.MemberID == prev.MemberID &&
		slices.Contains(next.Partitions(topic), partition)
}
