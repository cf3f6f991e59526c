package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// ErrDrainTimeout is wrapped by Run's error when in-flight writes were
// abandoned at the end of the drain. Nothing is lost — those batches were
// not committed, so their feeds are read again — but the caller may want
// to say so.
var ErrDrainTimeout = errors.New("in-flight writes abandoned")

// Run processes batches from in until in is closed or ctx ends. The first
// stage (normalize, dedupe) runs on this goroutine and the second on two
// more, enrichment and then events and spikes, each in arrival order, so
// batch N+2 is screened while batch N+1 is enriched and batch N assigned
// to events (the batches that queued for a stage meanwhile are decided
// together); batches are then written, up
// to MaxInFlightWrites writes at once (batches decided while all are out
// share the next write), and committed in arrival order once
// acknowledged (those acknowledged while an earlier commit waited, with
// it, in one state append); every batch taken from in is acked (record.Batch.Ack)
// once, as soon as its fate is known. With MaxInFlightBatches between
// decision and commit Run stops reading in, so a slow sink slows the
// sources instead of filling memory. Every MaintenanceInterval it expires
// events and closes spike buckets; what that changes in their state with
// nothing to publish is committed with the newest batch in flight (on its
// own when none is), so it never holds a batch's slot.
//
// On exit it waits up to DrainTimeout for in-flight writes (they are not
// cancelled by ctx: cancelling would only turn acknowledged-soon batches
// into re-reads), commits those acknowledged and acks the rest with the
// error. Batches left in in are not taken: the caller acks them. It returns nil when in
// was closed, ctx's error when ctx ended, and an error naming the
// abandoned batches when the drain timed out.
func (p *Pipeline) Run(ctx context.Context, in <-chan record.Batch) error {
	writeCtx, cancelWrites := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWrites()
	m := p.m

	// A slot is taken before a batch is screened and given back once it is
	// committed (or dropped), so at most MaxInFlightBatches are anywhere
	// between the two stages and the sink.
	slots := make(chan struct{}, p.cfg.MaxInFlightBatches)
	queue := make(chan *work, p.cfg.MaxInFlightBatches)
	releaseSlots := func(n int) {
		for range n {
			<-slots
		}
	}
	// The state changes the decided works hold wait for the sink and the
	// state log; while they reach MaxInFlightStateBytes, Run takes no
	// batch and the events stage decides no work.
	budget := newStateBudget(p.cfg.MaxInFlightStateBytes, m)
	var abandoned atomic.Int64
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		// Batches are committed in order. Those whose writes were
		// acknowledged while an earlier commit ran are committed together,
		// in one append to the state log (one fsync), so a log that is
		// slower than the sink costs one sync per group, not per batch.
		var next *work
		for {
			w, ok := heldOrNext(next, queue)
			if !ok {
				return
			}
			next = nil
			group := []*work{w}
			_, err := w.verdict(true)
			for err == nil {
				var n *work
				select {
				case n = <-queue:
				default:
				}
				if n == nil {
					break
				}
				if ok, nerr := n.verdict(false); !ok || nerr != nil {
					next = n // not acknowledged yet, or failed: it starts the next group
					break
				}
				group = append(group, n)
			}
			if err != nil && writeCtx.Err() != nil {
				abandoned.Add(int64(countBatches(group))) // a failed group is one work, maybe of merged batches
			}
			_ = p.finish(writeCtx, err, false, group...) // logged, counted and acked by finish
			for _, g := range group {
				m.InFlight.Sub(float64(g.slots))
				releaseSlots(g.slots)
				budget.free(g.deltaBytes) // after finish: no maintenance delta folds into g any more
			}
		}
	}()

	// The writer submits decided batches to the sink in order, at most
	// MaxInFlightWrites writes at a time; while all are out, the batches
	// decided meanwhile wait and go out together in the next write.
	decided := make(chan *work, p.cfg.MaxInFlightBatches)
	go func() {
		defer close(queue)
		p.writeCoalesced(writeCtx, decided, queue)
	}()

	// The second stage runs on two goroutines, in the order the first
	// stage hands it batches: enrichment (enrichStories), then events and
	// spikes (enrich), so a work is enriched while the one before it is
	// assigned to events — on a busy box neither waits for the other's
	// share of a core. The batches that queued for either while it was
	// busy are decided together (merge).
	staged := make(chan *work, p.cfg.MaxInFlightBatches)
	enriched := make(chan *work, p.cfg.MaxInFlightBatches)
	go func() {
		defer close(enriched)
		// Before a rewind the events stage must be done with every work
		// handed to it: the rewind reloads the memory it changes.
		quiet := func() {
			b := &work{barrier: make(chan struct{})}
			enriched <- b
			<-b.barrier
		}
		var held *work
		for {
			w, ok := heldOrNext(held, staged)
			if !ok {
				return
			}
			w, held = p.merge(w, staged)
			p.decide(ctx, quiet)
			p.enrichStories(w)
			w.decided2 = 1
			enriched <- w
		}
	}()
	go func() {
		defer close(decided)
		var held *work
		for {
			// Not cancelled: what holds the bytes is committed or
			// failed within the drain timeout once Run stops.
			budget.waitRoom(context.Background())
			w, ok := nextToDecide(held, enriched)
			if !ok {
				return
			}
			w, held = p.merge(w, enriched)
			slots, runs := w.slots, w.decided2
			p.stageMu.Lock()
			if w.maint {
				// No story for a while must not stop time: event time
				// follows the wall clock, Lateness behind it.
				w = p.maintenance(w.decided.Add(-p.cfg.Lateness), w.decided, false, w.enriched)
			} else {
				p.enrich(w)
			}
			p.stageMu.Unlock()
			if w == nil {
				p.d.Store.SettleUnchanged(runs)
			} else {
				w.decided2, w.slots = runs, slots
				// Counted before p.hand, which may fold this work, bytes
				// and all, into the work in flight: the commit loop then
				// frees them with that work's.
				w.deltaBytes = entriesBytes(w.delta)
				budget.take(w.deltaBytes)
			}
			if w == nil || p.hand(w) {
				releaseSlots(slots)
				continue
			}
			m.InFlight.Add(float64(slots))
			decided <- w
		}
	}()

	every := p.maintenanceTick()
	tick := time.NewTicker(every)
	defer tick.Stop()
	// The wall clock, as the ticker's: p.d.Now may be a replay's clock.
	lastMaint := time.Now()
	var exitErr error
loop:
	for {
		// Past the state bytes' bound, the next batch stays with its
		// source, as past the slots.
		if !budget.waitRoom(ctx) {
			exitErr = ctx.Err()
			break loop
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			exitErr = ctx.Err()
			break loop
		}
		select {
		case <-ctx.Done():
			<-slots
			exitErr = ctx.Err()
			break loop
		case b, ok := <-in:
			if !ok {
				<-slots
				break loop
			}
			w, err := p.screenBatch(writeCtx, &b)
			if err != nil {
				<-slots
				continue
			}
			staged <- w
		case <-tick.C:
			// A tick shortened to the publish interval is for waiting
			// updates: with none, it would commit the enricher's and the
			// events' clocks (an fsync or a changelog append) every
			// interval on an idle pipeline. Half a tick of slack keeps a
			// late tick from pushing maintenance a whole tick further.
			if every < p.cfg.MaintenanceInterval && time.Since(lastMaint) < p.cfg.MaintenanceInterval-every/2 && p.waiting.Load() == 0 {
				<-slots
				continue
			}
			lastMaint = time.Now()
			now := p.d.Now()
			p.screenMu.Lock()
			p.prune(writeCtx, now)
			p.screenMu.Unlock()
			staged <- &work{maint: true, slots: 1, decided: now}
		}
	}

	close(staged)
	p.NoteIfNothingNew()
	drain := time.AfterFunc(p.cfg.DrainTimeout, cancelWrites)
	<-committed
	drain.Stop()
	if n := abandoned.Load(); n > 0 {
		return fmt.Errorf("pipeline: %d batches not acknowledged within the drain timeout %s; their feeds will be read again: %w", n, p.cfg.DrainTimeout, ErrDrainTimeout)
	}
	return exitErr
}

// hand makes w the newest work in flight, the one later state changes
// ride with, or, when w only carries state that time changed (a
// maintenance tick with no records to write) and a work is in flight
// already, folds w's entries into that work's commit and reports true: w
// is done and gives its slot back. Such a tick comes every
// maintenance_interval (the event clock alone changes state), so as a
// work of its own it would hold a slot until every write ahead of it was
// acknowledged, and during a sink outage crowd out the batches the slots
// are for. The entries are newer than everything the work in flight
// decided and older than anything decided after it, so committing them
// right after its own keeps the log's order.
func (p *Pipeline) hand(w *work) (folded bool) {
	p.commitMu.Lock()
	defer p.commitMu.Unlock()
	if len(w.batches) == 0 && len(w.recs) == 0 && p.open != nil {
		p.open.delta = append(p.open.delta, w.delta...)
		p.open.superseded = append(p.open.superseded, w.superseded...) // they live or die with its commit
		p.open.decided2 += w.decided2
		p.open.deltaBytes += w.deltaBytes
		return true
	}
	p.open = w
	return false
}

// writeCoalesced writes the batches from decided, in order, and hands
// each to queue (for its commit, in order) as its write starts. A write
// goes out as soon as one of MaxInFlightWrites is free; while none is,
// the batches that arrive wait and are then written together, up to
// MaxWriteRecords records: one Kafka round trip for many small polls when
// the sink lags, and no waiting at all when it keeps up. Each batch of a
// shared write gets the write's verdict. The records of a write keyed as
// one a Write still out carries wait for it, joining any records of
// those keys that wait already, while its other records go at once (see
// keyedWrites): this loop never waits for a key, so the batches decided
// meanwhile gather into the next write. It returns once decided is closed and
// every batch is handed on.
func (p *Pipeline) writeCoalesced(ctx context.Context, decided <-chan *work, queue chan<- *work) {
	writes := make(chan struct{}, p.cfg.MaxInFlightWrites)
	var group []*work
	records := 0
	var out keyedWrites
	send := func() { // with a write slot taken
		g := group
		group, records = nil, 0
		sw := out.split(g, p.cfg.MaxInFlightWrites, p.m.KeyWaits)
		go func() {
			// writeSplit returns once every part carrying g's records
			// is finished, so the slot is freed last: with one write at
			// a time split never looks at out, and order holds.
			err := p.writeSplit(ctx, g, sw)
			for _, w := range g {
				w.done <- err
			}
			<-writes
		}()
	}
	open := true
	for open || len(group) > 0 {
		if len(group) > 0 {
			// A free slot first: batches share a write only while every
			// write is out. Left to select, a batch decided meanwhile
			// would join the group half the time although a slot is free.
			select {
			case writes <- struct{}{}:
				send()
				continue
			default:
			}
		}
		var in <-chan *work
		if open && (len(group) == 0 || records < p.cfg.MaxWriteRecords) {
			in = decided
		}
		var free chan<- struct{}
		if len(group) > 0 {
			free = writes
		}
		select {
		case w, ok := <-in:
			if !ok {
				open = false
				continue
			}
			group = append(group, w)
			records += len(w.recs)
			queue <- w
		case free <- struct{}{}:
			send()
		}
	}
}

// heldOrNext returns held, a work a loop took from ch but kept for its
// next round, or else the next work from ch; false once ch is closed.
func heldOrNext(held *work, ch <-chan *work) (*work, bool) {
	if held != nil {
		return held, true
	}
	w, ok := <-ch
	return w, ok
}

// nextToDecide is the events stage's heldOrNext: the next work to decide,
// held first, releasing every rewind's barrier it meets on the way (the
// enrichment stage waits on it until the events stage is done with every
// work handed to it). A barrier merge held back is released once: held
// is spent when it is taken.
func nextToDecide(held *work, ch <-chan *work) (*work, bool) {
	for {
		w, ok := heldOrNext(held, ch)
		held = nil
		if !ok {
			return nil, false
		}
		if w.barrier == nil {
			return w, true
		}
		close(w.barrier)
	}
}

// merge folds into w the batches queued behind it in staged, in order,
// up to MaxWriteRecords items, so that they share one run of the second
// stage (one enrichment call, one snapshot of each event they changed,
// one collection of state changes), one write and one commit: what costs
// per batch is paid once for all of them when batches arrive faster than
// the second stage decides them. It returns the merged work and the first
// queued work it could not take (a maintenance tick, or one over the
// cap), which the caller handles next; a maintenance tick itself is
// returned as it is.
func (p *Pipeline) merge(w *work, staged <-chan *work) (merged, held *work) {
	if w.maint || !p.cfg.DecideQueuedTogether {
		return w, nil
	}
	items := w.items()
	for {
		var n *work
		select {
		case n = <-staged:
		default:
		}
		if n == nil {
			return w, nil
		}
		if n.maint || n.barrier != nil || items+n.items() > p.cfg.MaxWriteRecords {
			return w, n
		}
		items += n.items()
		w.batches = append(w.batches, n.batches...)
		w.txns = append(w.txns, n.txns...)
		w.screened = append(w.screened, n.screened...)
		w.dead = append(w.dead, n.dead...)
		w.slots += n.slots
		w.enriched = append(w.enriched, n.enriched...) // enriched works (the events stage's merge): in order
		w.decided2 += n.decided2
	}
}

// maintenanceTick is how often Run's maintenance runs: every
// MaintenanceInterval, or every EventPublishInterval if that is shorter,
// so an update that waits goes out within about the interval also while
// no batch comes.
func (p *Pipeline) maintenanceTick() time.Duration {
	if iv := p.cfg.EventPublishInterval; iv > 0 && iv < p.cfg.MaintenanceInterval {
		return iv
	}
	return p.cfg.MaintenanceInterval
}
