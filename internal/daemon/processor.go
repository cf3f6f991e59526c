package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
	segkafka "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/itemtopic"
)

// Processor is one instance of the process role. The processors form a
// consumer group on the items topic, which has one partition: the member
// that owns it is the active processor and runs the pipeline — dedupe,
// enrichment, events, spikes, output — over the items in order; the others
// stand by and one takes over when the active one dies (after the group's
// session timeout) or leaves (at once). Dedupe and events stay global
// because one processor sees every item.
//
// Becoming active restores the pipeline's state — dedupe memory, live
// events, spike baselines, what enrichment learned — from the items
// partition's partition of the compacted changelog topic (internal/
// kafkastate; a snapshot cache in data_dir shortens it) before the first
// batch, so the processor that takes over decides as the one before it
// would have: the same story ids, the same event ids. Per batch: the
// records are acknowledged by Kafka, then the batch's state is appended to
// the changelog (acks=all), then the items offset is committed. A
// processor that dies has its uncommitted items processed again by the
// next one (duplicates identifiable by record id), and none is skipped.
// One that loses the partition is fenced: its state appends fail from the
// moment it learns that its generation ended and the next one is not its
// own continuation, so it acks its last batches with that error and
// commits nothing more. A rebalance that leaves it the partition (a
// standby joining or leaving) does not stop it: the batches it drains
// across the rebalance wait for the next generation and append and commit
// in it (handover.go).
type Processor struct {
	cfg    config.Config
	log    *slog.Logger
	m      *Metrics
	cn     kafka.Conn
	Sink   *kafka.Sink
	member *kafkagroup.Member
	reader *itemtopic.Reader
	topic  string
	// changelog is the state changelog topic, co-partitioned with topic.
	changelog kafkatable.Spec
	// gen is the generation the processor works in: its Err fences the
	// changelog appends of the active pipeline, which outlives a
	// generation when the partition stays.
	gen atomic.Pointer[turn]
	// held is the drain of the last generation's batches while the next
	// generation is not known yet (handover.go). Guarded by mu.
	held *handover
	// stopping ends when Run's ctx does: a stop, not a rebalance.
	stopping context.Context
	// unsettled keeps the changelog batches that appends which failed
	// left on the wire, across the pipelines this processor builds: its
	// next restore of the partition waits for their answers first
	// (kafkastate.Unsettled).
	unsettled *kafkastate.Unsettled
	// epoch takes the changelog partitions' producer epochs (state.changelog.fence).
	epoch *kafkastate.EpochFence
	// sinkFence decides whether the sink's records carry the items partition's producer
	// epoch (kafka.sink_fence), by epoch's probe.
	sinkFence *sinkFence

	mu     sync.Mutex // held while a generation works; guards active
	active *activePipeline
	// committed is the items offset committed last in this activation
	// (or the group's at its start), for the lag gauge.
	committed atomic.Int64
	// current is active, for readers that must not wait for a generation
	// (the /status page, the lag gauge); nil while standing by.
	current atomic.Pointer[activePipeline]
	// failed is set when a batch of the active pipeline failed, until the
	// pipeline is restored: its state appends are fenced meanwhile, so the
	// failed batch's decisions, which the stages' memory carries to the
	// next commit, never reach the changelog — the batch is read again.
	failed atomic.Bool
	// superseded is the last record of each event that the batches of a
	// discarded pipeline handed to the sink and never committed: the next
	// pipeline, restored from the changelog, publishes what supersedes
	// them (pipeline.Pipeline.Supersede), so no event id on the sink
	// keeps stories it lost, nor a revision the next one hands out again.
	// Guarded by mu.
	superseded []*record.Event
	// retracted is, likewise, the last alert of each term those batches
	// handed to the sink: the next pipeline clears each firing one its
	// restored detector holds no spike of (pipeline.Pipeline.RetractAlerts).
	// Guarded by mu.
	retracted []*record.Alert
	// wrapSink, when set (tests, the load harness), wraps the sink of
	// every pipeline built.
	wrapSink func(pipeline.Sink) pipeline.Sink
	// wrapState, when set (tests), changes the options of every changelog
	// the processor opens: a test slows its writes there.
	wrapState func(*kafkastate.Options)
	// wrapRawWriting, when set (tests), changes how the sink's fenced writers send
	// (InitProducerID, record batches): a test refuses InitProducerID there.
	wrapRawWriting func(kafka.RawWriting) kafka.RawWriting
	// wrapGroup, when set (tests), wraps the handler Run gives the group
	// member: a test holds a member's rejoin there to move the partition.
	wrapGroup func(kafkagroup.Handler) kafkagroup.Handler
}

// WrapSink makes every pipeline the processor builds write through
// wrap(sink): the load harness times each acknowledgement there. Call it
// before Run.
func (p *Processor) WrapSink(wrap func(pipeline.Sink) pipeline.Sink) { p.wrapSink = wrap }

// activePipeline is what an active processor holds: the pipeline (with
// the state it was restored from) and the partition it owns.
type activePipeline struct {
	pl        *Pipeline
	partition int
	// changelog is the log pl's state was restored from and appends to: StateReady asks it
	// directly, as the Store's Ready waits for a commit under way (one retrying for as long
	// as the changelog refuses it).
	changelog *kafkastate.Log
	// sinkWriter sends the pipeline's records under the partition's sink producer epoch
	// (kafka.sink_fence: on); nil with the fence off.
	sinkWriter *epochsink.Writer
	// lateSink is the sink of a pipeline auto built unfenced after a fallback at run time,
	// which takes the epoch at a write once the coordinator answers again; nil otherwise.
	lateSink *lateFencedSink
}

// NewProcessor creates the items topic if it is missing and opens the
// Kafka sink and the items reader. It joins the group in Run.
func NewProcessor(ctx context.Context, cfg config.Config, m *Metrics, log *slog.Logger) (p *Processor, err error) {
	cfg = withInstance(cfg)
	cn, err := Conn(cfg)
	if err != nil {
		return nil, err
	}
	p = &Processor{cfg: cfg, log: log, m: m, cn: cn, topic: ItemsTopic(cfg), unsettled: kafkastate.NewUnsettled()}
	p.unsettled.Log = log.With("component", "state")
	// One transactional id per changelog partition in this group: every owner of a partition
	// takes the next epoch of one producer id before it restores, which fences the older owners'
	// late batches (kafkastate, epochfence.go).
	if p.epoch, err = kafkastate.NewEpochFence(cn, cfg.Cluster.ProcessGroup, cfg.State.Changelog.Fence, log.With("component", "state")); err != nil {
		return nil, err
	}
	p.sinkFence = &sinkFence{mode: cfg.Kafka.SinkFence, verdict: p.epoch.Coordinator, log: log.With("component", "sink"), gauge: m.Roles.SinkEpochs}
	// The error returns below set p to nil: close what was opened through
	// a copy of the pointer, not the result.
	opened := p
	defer func() {
		if err != nil {
			opened.Close()
		}
	}()
	if p.Sink, err = newKafkaSink(ctx, cfg, log, m); err != nil {
		return nil, err
	}
	items := itemsSpec(cfg)
	if err := p.Sink.Provision(ctx, items); err != nil {
		return nil, err
	}
	p.changelog = changelogSpec(cfg, items.Partitions)
	if err := kafkastate.Ensure(ctx, cn, p.changelog, log.With("component", "state")); err != nil {
		return nil, err
	}
	p.reader, err = itemtopic.Open(ctx, cn, p.topic, itemtopic.Options{
		BatchItems: cfg.Cluster.BatchItems, DrainTimeout: cfg.ShutdownTimeout, Log: log.With("component", "items"),
	}, m.Table, m.Items)
	if err != nil {
		return nil, err
	}
	gcfg := groupConfig(cfg, cfg.Cluster.ProcessGroup, p.topic)
	if p.member, err = kafkagroup.New(gcfg, cn, log.With("component", "group"), m.Group); err != nil {
		return nil, err
	}
	return p, nil
}

// ActivationFailedMsg is the processor's error when it owns the items partition but could not
// restore its state or build its pipeline; it tries again, up to 30 s apart, while it owns it.
const ActivationFailedMsg = "processor could not become active; trying again while it owns the items partition"

// Run is a member of the processors' group until ctx ends: active while
// it owns the items partition, standing by otherwise. On the way out it
// drains the pipeline (shutdown_timeout), commits what was acknowledged
// and leaves the group, so a standby takes over at once.
func (p *Processor) Run(ctx context.Context) error {
	p.stopping = ctx
	lagCtx, stopLag := context.WithCancel(ctx)
	defer stopLag()
	go p.watchLag(lagCtx)
	p.log.Info("processor standing by until it owns the items partition", "topic", p.topic)
	h := kafkagroup.Handler{Assigned: p.assigned, Work: p.work}
	if p.wrapGroup != nil {
		h = p.wrapGroup(h)
	}
	err := p.member.Run(ctx, h)
	p.mu.Lock()
	p.takeOver(nil)
	p.deactivate("stopping")
	p.mu.Unlock()
	return err
}

// assigned lets go of the state when the partition moved to another
// processor: that one appends to the state from now on, so what this one
// holds is stale and is restored again if the partition comes back.
func (p *Processor) assigned(_ context.Context, a kafkagroup.Assignment) {
	if len(a.Lost[p.topic]) == 0 {
		return
	}
	p.mu.Lock() // the generation's work has returned; a drain it handed over may still run (takeOver waits for it)
	defer p.mu.Unlock()
	p.takeOver(nil) // what the last generation drained is refused
	p.deactivate("the items partition moved to another processor")
	p.forgetHeld() // deactivate forgets them only with a pipeline to drop; a discarded one left them with none active
}

// work runs one generation: nothing on a standby; on the active processor
// the items from the committed offset (or from where the last
// generation's drain stopped, when this one carries it on), until the
// generation ends.
func (p *Processor) work(ctx context.Context, g *kafkagroup.Generation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pending := p.takeOver(g) // a drain this generation carries on, or nil
	carried := pending != nil
	owned := g.Owned[p.topic]
	if len(owned) == 0 {
		return // standing by
	}
	defer func() {
		// A stop drained and committed everything while the member still
		// owns the partition: closing the state now (not after leaving the
		// group) may still write the snapshot cache, so this instance's
		// next start reads only the changelog after it.
		if p.stopping.Err() != nil && p.fence() == nil {
			p.deactivate("stopping")
		}
	}()
	partition, from := owned[0].ID, owned[0].Offset
	p.committed.Store(from)
	// Through the generation the processor works in when the commit is
	// made: a drain carried on from the last generation commits in this one.
	commit := func(next int64) error {
		// Held like an append, so it is made in the generation that
		// carries the drain on; a refused one is tried in the ended one,
		// which the broker refuses once a next generation exists.
		if admitted, err := p.hold(context.Background()); err == nil {
			admitted()
		}
		if err := p.gen.Load().g.Commit(map[string]map[int]int64{p.topic: {partition: next}}); err != nil {
			return err
		}
		p.committed.Store(next)
		return nil
	}
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval, bo.MaxElapsedTime = 500*time.Millisecond, 30*time.Second, 0
	var activation *backoff.ExponentialBackOff
	for {
		if pending == nil {
			if ctx.Err() != nil {
				return
			}
			if err := p.activate(ctx, partition, from); err != nil {
				if ctx.Err() != nil {
					return
				}
				// Tried again while the generation lasts: a next one may never come (one
				// processor, no member joining), and before round 29 the partition then
				// waited for ever.
				if activation == nil {
					activation = backoff.NewExponentialBackOff()
					activation.InitialInterval, activation.MaxInterval, activation.MaxElapsedTime = time.Second, 30*time.Second, 0
				}
				wait := activation.NextBackOff()
				p.log.Error(ActivationFailedMsg, "err", err, "retry_in", wait.Round(time.Millisecond).String())
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
				// A changelog deleted since the start (a broker back on an empty data dir)
				// is created again as a start creates it (not with kafka.provision off),
				// and the restore then says the state was lost.
				if err := kafkastate.Ensure(ctx, p.cn, p.changelog, p.log.With("component", "state")); err != nil && ctx.Err() == nil {
					p.log.Error("processor state: the changelog topic", "err", err)
				}
				continue
			}
			pending, carried = p.runOnce(ctx, partition, from, commit), false
		}
		res := p.await(ctx, pending)
		if res == nil {
			return // the generation ended; its drain waits for the next one
		}
		r := *res
		pending = nil
		if r.seen {
			// The pipeline's memory holds what it made of items whose
			// offsets are not committed (events and spike counts change as
			// a batch is decided; a failed batch's changes wait in memory
			// for the next commit). Read again on that memory, they would
			// count twice. The changelog holds what was committed to it:
			// the pipeline is restored from it, as a successor would be.
			p.discard("items were processed past the committed offset; restoring the state from the changelog before reading them again")
		}
		var oor *kafkatable.OffsetOutOfRangeError
		var ce *itemtopic.CommitError
		switch {
		case r.err == nil && carried:
			from = r.next // the pipeline's own position: memory and changelog agree
			p.committed.Store(from)
			continue
		case r.err == nil:
			return // the generation ended (or a stop) after the drain: everything acknowledged is committed
		case kafkastate.IsEpochFenced(r.err):
			// A newer owner took the changelog partition's producer epoch: the partition is
			// its own now, whatever this member's generation still says (a member that has
			// not heard yet that its session ended). Restoring at once would take the epoch
			// back and fence that owner: the pipeline is dropped and nothing is done for a
			// session timeout, by which this member's generation has ended if it was the
			// stale one. Should it still be current then, the other owner was the stale one
			// (a member that woke from a pause and wrote before it heard), and this member
			// restores, taking the epoch back.
			fenced := fencedWhat(r.err)
			p.log.Warn("processor: a newer owner fenced the "+fenced+"; standing by for a session timeout before restoring, if the partition is still this member's",
				"partition", partition, "offset", r.next, "retry_in", p.cfg.Cluster.SessionTimeout, "err", r.err)
			p.discard("a newer owner fenced the " + fenced)
			select {
			case <-ctx.Done():
				return
			case <-time.After(p.cfg.Cluster.SessionTimeout):
			}
			from = r.next
			continue
		case errors.As(r.err, &ce):
			// The group refuses this member's commits: the partition is someone
			// else's now (or about to be). Going on would process it twice.
			p.log.Warn("the group refused the items offset commit; stopping until the next generation", "offset", ce.Offset,
				"at", itemtopic.Position(p.topic, partition, ce.Offset), "err", r.err)
			<-ctx.Done()
			return
		case errors.As(r.err, &oor):
			p.log.Error("the committed items offset is no longer in the topic (items_retention passed while no processor ran, "+
				"or the topic was re-created): items in between are lost; reading from the oldest kept", "offset", from,
				"at", itemtopic.Position(p.topic, partition, from), "err", r.err)
			from = itemtopic.FirstOffset
			continue
		}
		from = r.next
		wait := bo.NextBackOff()
		p.log.Warn("processing stopped at a failure; reading the items again from the committed offset",
			"offset", r.next, "at", itemtopic.Position(p.topic, partition, r.next), "retry_in", wait, "err", r.err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// runOnce starts the pipeline over the items from offset from, until the
// generation ends or a batch fails, and returns where it will say where
// to resume and whether the pipeline saw items past it
// (itemtopic.Reader.Run).
func (p *Processor) runOnce(ctx context.Context, partition int, from int64, commit func(int64) error) <-chan drained {
	read, in := make(chan record.Batch), make(chan record.Batch)
	// The pipeline stops when the reader closes in, not at ctx: it then
	// drains what it holds, and the reader commits what was acknowledged.
	// At a stop, its context ends too once in is closed: a pipeline whose
	// every slot holds a batch that cannot commit (a changelog refusing
	// each append) waits for a slot and would never see in close, nor
	// begin its drain, bounded by shutdown_timeout.
	plCtx, stopPl := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer func() {
			close(in)
			if p.stopping.Err() != nil {
				stopPl()
			}
		}()
		for b := range read {
			ack := b.Ack
			b.Ack = func(ctx context.Context, err error) {
				if err != nil {
					p.failed.Store(true) // before the pipeline commits a later batch
				}
				ack(ctx, err)
			}
			select {
			case in <- b:
			case <-p.stopping.Done():
				// Not handed over: it stays uncommitted, and the partition's next
				// owner reads it again.
			}
		}
	}()
	plErr := make(chan error, 1)
	pl := p.active.pl // read now: the goroutine may start after runOnce returned and p.active moved on
	go func() {
		defer stopPl()
		plErr <- pl.Run(plCtx, in)
	}()
	done := make(chan drained, 1)
	go func() {
		next, seen, err := p.reader.Run(ctx, partition, from, read, commit)
		perr := <-plErr
		if errors.Is(perr, context.Canceled) && p.stopping.Err() != nil {
			perr = nil // the stop above, after in closed
		}
		if perr != nil && err == nil {
			p.log.Error("pipeline drain", "err", perr)
		}
		done <- drained{next: next, seen: seen, err: err}
	}()
	return done
}

// await returns done's outcome. When the generation ends first (not a
// stop) it returns nil at once and hands the drain over to the next
// generation in p.held: kafka-go rejoins only after Work returns, and the
// drain's appends wait for the next generation (handover.go).
func (p *Processor) await(ctx context.Context, done <-chan drained) *drained {
	select {
	case r := <-done:
		return &r
	case <-ctx.Done():
	}
	if p.stopping.Err() != nil {
		// A stop: the generation lasts until the member leaves, so the
		// drain appends and commits in it.
		r := <-done
		return &r
	}
	p.gen.Load().close()
	p.held = &handover{done: done}
	return nil
}

// watchLag sets the lag gauge every few seconds while active: the items
// after the committed offset.
func (p *Processor) watchLag(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if p.current.Load() == nil {
			p.m.Roles.Lag.Set(0) // the active processor reports it
			continue
		}
		cl, done := p.cn.Client(5 * time.Second)
		lag, err := itemsLag(ctx, cl, p.topic, p.committed.Load())
		done()
		if err != nil {
			continue
		}
		p.m.Roles.Lag.Set(float64(lag))
	}
}

// itemsLag is how many records of partition 0 of topic after committed
// the processor's reader would be handed (kafkatable.RecordsBetween: the
// transaction markers among the offsets are not counted). Its error is a
// failed read of the log's bounds: no figure. A failed count of the
// markers is none: the lag is then the offsets up to the log's end,
// markers included, so the gauge falls back to that upper bound instead
// of keeping the figure from before the failure.
func itemsLag(ctx context.Context, cl *segkafka.Client, topic string, committed int64) (int64, error) {
	first, end, err := bounds(ctx, cl, topic)
	if err != nil {
		return 0, err
	}
	lag, _ := kafkatable.RecordsBetween(ctx, cl, topic, 0, max(committed, first), end)
	return lag, nil
}

// bounds returns the first and end offsets of partition 0 of topic.
func bounds(ctx context.Context, cl *segkafka.Client, topic string) (first, end int64, err error) {
	res, err := cl.ListOffsets(ctx, &segkafka.ListOffsetsRequest{Topics: map[string][]segkafka.OffsetRequest{
		topic: {segkafka.FirstOffsetOf(0), segkafka.LastOffsetOf(0)},
	}})
	if err != nil {
		return 0, 0, err
	}
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return 0, 0, po.Error
		}
		return po.FirstOffset, po.LastOffset, nil
	}
	return 0, 0, fmt.Errorf("no offsets for %s", topic)
}

// Close closes the items reader and the Kafka writer.
func (p *Processor) Close() error {
	var errs []error
	if p.reader != nil {
		errs = append(errs, p.reader.Close())
	}
	if p.Sink != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.Sink.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("close kafka writer: %w", err))
		}
	}
	return errors.Join(errs...)
}

// withInstance stamps cfg's instance id where records carry it.
func withInstance(cfg config.Config) config.Config {
	id := cfg.InstanceID()
	cfg.Kafka.Instance, cfg.Poller.Instance = id, id
	return cfg
}

// fencedWhat names what a newer owner's producer epoch fenced, for the processor's stand-by
// warning: the state changelog partition, or a sink output partition (kafka.sink_fence),
// whose refusals the processor handles alike.
func fencedWhat(err error) string {
	var fe *kafkastate.EpochFencedError
	if errors.As(err, &fe) && fe.What == "sink" {
		return "sink's output partition"
	}
	return "state changelog partition"
}
