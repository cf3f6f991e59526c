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
// stage (normalize, dedupe) runs on this goroutine and the second
// (enrich, events, spikes) on another, each in arrival order, so batch
// N+1 is screened while batch N is enriched; each batch is then written
// by its own goroutine, at most MaxInFlightBatches in all, and committed
// in arrival order once acknowledged; every batch taken from in is acked
// (record.Batch.Ack) once, as soon as its fate is known. When every slot is taken Run stops
// reading in, so a slow sink slows the sources instead of filling memory.
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
	var abandoned atomic.Int64
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		for w := range queue {
			err := <-w.done
			if err != nil && writeCtx.Err() != nil {
				abandoned.Add(1)
			}
			_ = p.finish(writeCtx, w, err) // logged, counted and acked by finish
			m.InFlight.Dec()
			<-slots
		}
	}()

	// The second stage runs on its own goroutine, in the order the first
	// stage hands it batches, and submits each batch's write.
	staged := make(chan *work, p.cfg.MaxInFlightBatches)
	go func() {
		defer close(queue)
		for w := range staged {
			p.stageMu.Lock()
			if w.maint {
				// No story for a while must not stop time: event time
				// follows the wall clock, Lateness behind it.
				w = p.maintenance(w.decided.Add(-p.cfg.Lateness), w.decided)
			} else {
				p.enrich(w)
			}
			p.stageMu.Unlock()
			if w == nil {
				<-slots
				continue
			}
			m.InFlight.Inc()
			go func() { w.done <- p.write(writeCtx, w) }()
			queue <- w
		}
	}()

	tick := time.NewTicker(p.cfg.MaintenanceInterval)
	defer tick.Stop()
	var exitErr error
loop:
	for {
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
			p.screenMu.Lock()
			w, err := p.screen(&b)
			p.prune(p.d.Now())
			p.screenMu.Unlock()
			if err != nil {
				p.reject(writeCtx, &b, err)
				<-slots
				continue
			}
			staged <- w
		case <-tick.C:
			now := p.d.Now()
			p.screenMu.Lock()
			p.prune(now)
			p.screenMu.Unlock()
			staged <- &work{maint: true, decided: now}
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
