package daemon

// How a processor becomes active on the items partition and stops being so: the state
// restored from the changelog, the sink's fenced writer taken (kafka.sink_fence), the
// pipeline built; and dropped again. Split from processor.go in round 21.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/sources/itemtopic"
)

// StateLostMsg is the processor's error when it restored a changelog
// partition no owner had restored before (a changelog topic deleted and
// created again) while the items partition has a committed offset: the
// state the items before it built is gone.
const StateLostMsg = "processor state lost: the state changelog partition is new, but the items partition was decided up to its committed offset; " +
	"the changelog topic was deleted or created again (or state.changelog.name names another one). Stories the feeds list again are published again as new, and events and spike baselines start again"

// activate restores the pipeline's state from the changelog partition of
// the items partition and builds the pipeline, once per ownership of the
// partition; committed is the items partition's committed offset (negative:
// none). Called with p.mu held.
func (p *Processor) activate(ctx context.Context, partition int, committed int64) (err error) {
	if p.active != nil && p.active.partition == partition {
		if !p.active.sinkStopped() {
			return nil
		}
		// Its memory may be ahead of the changelog (the failed write's batch).
		p.discard("the sink's fenced writer stopped")
	}
	p.deactivate("the items partition changed")
	defer func() {
		if err != nil {
			// Not active: the sink epoch taken for the pipeline that was not built (its state's
			// Open or restore failed) set wirestream_sink_epochs, which reads 0 while the
			// processor is not active, and no pipeline of this activation writes.
			p.sinkNotWriting()
		}
	}()
	start := time.Now()
	sinkWriter, err := p.takeSinkEpoch(ctx, partition)
	if err != nil {
		return fmt.Errorf("processor sink: %w", err)
	}
	o := kafkastate.Options{Fence: p.fence, Hold: p.hold, Log: p.log.With("component", "state"), StateMetrics: p.m.State, TableMetrics: p.m.Table,
		NoSync: p.cfg.State.NoSync,
		// The tables' 30 s produce timeout (the broker waits 15 s for the in-sync replicas): the
		// fence, not the timeout, ends the wait at a rebalance (kafkatable.Writer.WriteChecked),
		// so a slow follower no longer times out every append (BENCHMARKS.md, round 17).
		Table: kafkatable.Options{},
		// A stop ends a cut append's wait for its batch on the wire (kafkastate.SettleMsg) at
		// once: the batch fails and is decided again by the partition's next owner, rather than
		// the stop waiting for the answer up to 31 s, or shutdown_timeout when that is shorter.
		Stopping: p.stopping.Done(),
		// A restore after a cut append that was not carried on waits for its batch on the wire,
		// so that it cannot land after the restore (README, "a rebalance mid-batch").
		Unsettled: p.unsettled,
		// An older owner's batch that lands after this restore is refused (state.changelog.fence).
		Epoch: p.epoch}
	if p.cfg.State.Changelog.SnapshotCache && p.cfg.DataDir != "" {
		o.CacheDir = filepath.Join(p.cfg.DataDir, "changelog")
	}
	if p.wrapState != nil {
		p.wrapState(&o)
	}
	stateLog, err := kafkastate.Open(ctx, p.cn, p.changelog.Topic, partition, o)
	if err != nil {
		return fmt.Errorf("processor state: %w", err)
	}
	var sink pipeline.Sink = p.Sink
	var late *lateFencedSink
	switch {
	case sinkWriter != nil:
		sink = fencedSink{sink: p.Sink, w: sinkWriter, admission: p.sinkAdmission(), log: p.log.With("component", "sink")}
	case p.sinkFence.mayAskAgain():
		late = &lateFencedSink{fence: p.sinkFence, sink: p.Sink, rw: p.rawWriting(), admission: p.sinkAdmission(), state: stateLog, log: p.log.With("component", "sink"),
			txid: epochsink.TransactionalID(p.cfg.Cluster.ProcessGroup, p.topic, partition), activation: p.sinkFence.currentActivation()}
		sink = late
	}
	if p.wrapSink != nil {
		sink = p.wrapSink(sink)
	}
	sink = heldSink{sink: sink, hold: p.hold}
	pl, err := NewPipeline(ctx, p.cfg, stateLog, sink, p.m, p.log) // closes stateLog on error
	if err != nil {
		return fmt.Errorf("processor state: %w", err)
	}
	if committed > 0 && stateLog.Fresh() {
		p.log.Error(StateLostMsg, "changelog", p.changelog.Topic, "partition", partition, "items_topic", p.topic,
			"committed_offset", committed, "at", itemtopic.Position(p.topic, partition, committed))
	}
	// No state note: a takeover re-reads items past the last committed offset, seen by design,
	// and the all-seen warning's advice (an empty data_dir) would be wrong for a changelog.
	pl.Supersede(p.superseded)
	pl.RetractAlerts(p.retracted)
	p.superseded, p.retracted = nil, nil
	p.active = &activePipeline{pl: pl, partition: partition, changelog: stateLog, sinkWriter: sinkWriter, lateSink: late}
	p.current.Store(p.active)
	took := time.Since(start)
	p.m.Roles.Active.Set(1)
	p.m.Roles.Activations.Inc()
	p.m.Roles.Restore.Observe(took.Seconds())
	p.log.Info("processor active: it owns the items partition", "topic", p.topic, "partition", partition,
		"state_restore", took.Round(time.Millisecond).String(), "remembered", pl.Remembered())
	return nil
}

// fence fails once the generation the processor works in has ended: its
// partition may be another processor's by then, and so is the changelog
// partition it would append to.
func (p *Processor) fence() error { return p.fenceOf(p.gen.Load()) }

// fenceOf is fence in the generation of t.
func (p *Processor) fenceOf(t *turn) error {
	if p.failed.Load() {
		return errors.New("processor: a batch failed; state appends wait for the restore from the changelog")
	}
	if t == nil {
		return errors.New("processor: not in a consumer group generation")
	}
	return t.g.Err()
}

// deactivate drops the pipeline and closes its state. Called with p.mu held.
func (p *Processor) deactivate(why string) {
	if p.active == nil {
		return
	}
	p.forgetHeld()
	if err := p.active.pl.Store.Close(); err != nil {
		p.log.Error("close processor state", "err", err)
	}
	p.standBy(why)
}

// forgetHeld forgets the records of a dropped pipeline's batches never committed that wait for
// this processor's next pipeline (superseded, retracted): the partition's next owner supersedes
// the events and retracts the alerts, as the changelog noted them (state.Written). Handed to
// this processor's next pipeline, perhaps of another partition, an event id or an alert would
// be retracted there although its own partition holds it. Called with p.mu held.
func (p *Processor) forgetHeld() {
	p.superseded, p.retracted = nil, nil
}

// discard drops the pipeline without a snapshot of its memory, which is
// ahead of the changelog. Called with p.mu held.
func (p *Processor) discard(why string) {
	if p.active == nil {
		return
	}
	if err := p.active.pl.Store.Discard(); err != nil {
		p.log.Error("close processor state", "err", err)
	}
	p.superseded = append(p.superseded, p.active.pl.ForgottenEvents()...)
	p.retracted = append(p.retracted, p.active.pl.ForgottenAlerts()...)
	p.failed.Store(false) // the next pipeline starts from the changelog
	p.standBy(why)
}

// standBy forgets the closed pipeline. Called with p.mu held.
func (p *Processor) standBy(why string) {
	p.active = nil
	p.current.Store(nil)
	p.m.Roles.Active.Set(0)
	p.sinkNotWriting()
	p.log.Info("processor standing by", "reason", why)
}

// sinkNotWriting notes that no pipeline writes records: wirestream_sink_epochs reads 0 until
// the next activation sets it, and a pipeline the processor left sets it no more
// (sinkFence.standBy).
func (p *Processor) sinkNotWriting() {
	if p.sinkFence != nil {
		p.sinkFence.standBy()
	} else {
		p.m.Roles.SinkEpochs.Set(0)
	}
}
