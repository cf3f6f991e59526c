package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// sinkEpochWait bounds taking the sink's producer epoch: a cluster that cannot host the
// transaction coordinator (__transaction_state's replication factor above its brokers)
// answers COORDINATOR_NOT_AVAILABLE forever, and the activation fails instead of hanging.
// Tests shorten it.
var sinkEpochWait = 30 * time.Second

// takeSinkEpoch takes items partition partition's sink identity for the pipeline about to be
// built when the fence is in use (kafka.sink_fence: on; auto where the cluster can host the
// transaction coordinator), and returns nil otherwise. It runs under the group's fence, as the
// changelog's epoch is taken: a processor whose generation ended must not take the epoch,
// which would fence the partition's rightful owner.
func (p *Processor) takeSinkEpoch(ctx context.Context, partition int) (*epochsink.Writer, error) {
	txid := epochsink.TransactionalID(p.cfg.Cluster.ProcessGroup, p.topic, partition)
	w, err := p.sinkFence.take(ctx, p.sinkAdmission(), p.rawWriting(), txid)
	if err != nil || w == nil {
		return nil, err
	}
	id := w.Identity()
	p.log.Info("sink fence: took the items partition's sink producer epoch; an older owner's record batches are refused on each output partition once this one wrote there",
		"transactional_id", txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
	return w, nil
}

// rawWriting is how the sink's fenced writers send.
func (p *Processor) rawWriting() kafka.RawWriting {
	rw := p.Sink.RawWriting()
	if p.wrapRawWriting != nil {
		rw = p.wrapRawWriting(rw)
	}
	return rw
}

// sinkLoadingWait bounds how long taking the sink epoch waits for a coordinator that answers
// that it is loading (COORDINATOR_LOAD_IN_PROGRESS), past sinkEpochWait. Tests shorten it.
var sinkLoadingWait = 2 * time.Minute

// SinkFenceUnavailableMsg is the warning kafka.sink_fence: auto logs, once, when it writes the
// sink's records unfenced: the cluster cannot host the transaction coordinator, the ACLs refuse
// InitProducerID, or the coordinator never answered the first one.
const SinkFenceUnavailableMsg = "sink fence: writing the records without producer epochs, so an old owner's batch held on the wire " +
	"can still land after a handover (kafka.sink_fence: auto)"

// SinkFenceBackMsg is logged (INFO) when auto, fallen back, found InitProducerID
// answered again: the records carry producer epochs again, from that activation or write on.
const SinkFenceBackMsg = "sink fence: the transaction coordinator answers now; the records carry producer epochs again " +
	"(kafka.sink_fence: auto)"

// SinkStillUnfencedMsg is logged (WARN) when such an ask again failed too.
const SinkStillUnfencedMsg = "sink fence: still writing the records without producer epochs: InitProducerID failed again " +
	"(kafka.sink_fence: auto)"

// sinkFenceRetry is how long auto, fallen back (the ACLs refused InitProducerID, the
// coordinator never answered the first one, or the cluster check said it cannot host it),
// writes unfenced before it asks again: the changelog fence's hour. It asks at the next activation, or at the active pipeline's next write
// (lateFencedSink). Tests shorten it.
var sinkFenceRetry = time.Hour

// sinkFence resolves kafka.sink_fence's mode for a processor: auto follows the changelog
// fence's probe of the cluster (verdict: kafkastate.EpochFence.Coordinator, one probe per
// process, and a verdict that it cannot host one probed again after an hour) and falls back to unfenced
// writes with one warning, for sinkFenceRetry: then it asks again — the probe's verdict first
// where that was why (a broker setting changed), InitProducerID where that failed.
type sinkFence struct {
	mode    string
	verdict func(context.Context) (kafkastate.Coordinator, error)
	log     *slog.Logger
	gauge   prometheus.Gauge // wirestream_sink_epochs; nil: none

	mu       sync.Mutex
	fellBack bool      // auto: writing unfenced
	retryAt  time.Time // when auto, fallen back, asks again; zero: it does not
	retrying bool      // an ask again is under way (one at a time)
	took     bool      // an epoch was answered: the coordinator works, and is waited for from now on
	// loadingSaid: SinkCoordinatorLoadingMsg was logged in this episode of "loading" answers
	// (it ends at an answer or a fallback).
	loadingSaid bool
	// owner is the activation (numbered by activations) whose pipeline sets the gauge; 0: none,
	// the processor stands by.
	owner, activations uint64
}

// take returns the fenced writer of txid, or nil where the mode says to write unfenced, for
// the pipeline an activation is about to build: from now on only that pipeline sets
// wirestream_sink_epochs (activate).
func (f *sinkFence) take(ctx context.Context, a epochAdmission, rw kafka.RawWriting, txid string) (*epochsink.Writer, error) {
	by := f.activate()
	if f.mode == kafka.SinkFenceOff {
		return nil, nil
	}
	f.mu.Lock()
	fellBack := f.fellBack
	again := fellBack && f.due()
	f.mu.Unlock()
	if fellBack && !again {
		f.report(false)
		return nil, nil
	}
	if again {
		defer f.retryEnded()
	}
	c, err := f.verdict(ctx)
	if err != nil && again {
		// Only a "cannot host" verdict an hour old is probed again: the probe failing, the
		// activation goes on unfenced as before the ask, asked again after sinkFenceRetry,
		// quietly, as the changelog's fence does (kafkastate, askClusterAgain) — failed, the
		// processor waited for the next generation with its partition unprocessed.
		f.rearm(by)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sink fence: ask the cluster whether it can host the transaction coordinator: %w", err)
	}
	if !c.CanHost {
		if f.mode == kafka.SinkFenceOn {
			return nil, fmt.Errorf("sink fence: on, but %w, or kafka.sink_fence: off", c.Why)
		}
		if again {
			f.rearm(by) // the cluster still cannot: quietly, another sinkFenceRetry
			return nil, nil
		}
		// Asked again after sinkFenceRetry (the verdict is probed again then: a broker setting
		// changed on a running cluster no longer waits for a restart).
		f.fallBack(by, fmt.Errorf("%w, or kafka.sink_fence: off", c.Why).Error(), nil, "setting", "transaction.state.log.replication.factor",
			"broker", c.Broker, "replication_factor", c.Replication, "brokers", c.Brokers)
		return nil, nil
	}
	start := time.Now()
	var w *epochsink.Writer
	wait := sinkEpochWait
	if again {
		// The activation went on unfenced before this ask, and goes on so if the ask finds the
		// coordinator away or loading: it waits no longer than a write's late ask
		// (sinkFenceLateWait), and the pipeline's late sink asks again at its writes
		// (stillLoading, fallBack).
		wait = sinkFenceLateWait
	}
	w, err = a.open(ctx, wait, rw, txid)
	for !again && err != nil && kafkastate.CoordinatorLoading(err) && ctx.Err() == nil && a.fence() == nil && time.Since(start) < sinkLoadingWait {
		// A coordinator that answers "loading" works (kafkastate.CoordinatorLoading): a first
		// ask waits for it, or the process would write unfenced for an hour on a fresh cluster.
		w, err = a.open(ctx, wait, rw, txid)
	}
	if err == nil {
		f.answered(by)
		return w, nil
	}
	if f.mode == kafka.SinkFenceOn {
		return nil, err
	}
	switch {
	case errors.Is(err, kafkago.TransactionalIDAuthorizationFailed) || errors.Is(err, kafkago.ClusterAuthorizationFailed):
		f.fallBack(by, sinkACLs, err)
		return nil, nil
	case again && kafkastate.CoordinatorLoading(err) && ctx.Err() == nil && a.fence() == nil:
		f.stillLoading()
		return nil, nil
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && a.fence() == nil && (again || !f.hasAnswered()):
		// The first InitProducerID went unanswered for sinkEpochWait (the coordinator's topic
		// offline, or its setting unknown to the probe), or still said it was loading after
		// sinkLoadingWait: waiting on, the processor would never become active, where the
		// unfenced sink runs. An ask again likewise, after its shorter wait: the activation
		// goes on unfenced, as it would have without the ask.
		why := fmt.Sprintf("the transaction coordinator did not answer InitProducerID within %v (is __transaction_state online, "+
			"and its transaction.state.log.replication.factor met by the brokers?)", wait)
		if kafkastate.CoordinatorLoading(err) {
			why = kafkastate.StillLoading(time.Since(start))
		}
		f.fallBack(by, why, err)
		return nil, nil
	case again && ctx.Err() == nil && a.fence() == nil:
		// Any other failure of an ask again: the activation goes on unfenced, as it did before
		// the ask — failing it, the next activation asked again at once, and met the same.
		f.fallBack(by, "InitProducerID failed", err)
		return nil, nil
	}
	return nil, err
}

// SinkCoordinatorLoadingMsg is logged (INFO) once per episode of "loading" answers when an ask
// again (at an activation, or at a write of the active pipeline) met a coordinator that says it
// is loading: the coordinator works, so the records go on unfenced only until it is asked
// again, a minute later (lateRetryUnknown), not for sinkFenceRetry.
const SinkCoordinatorLoadingMsg = "sink fence: the transaction coordinator answers InitProducerID that it is loading (COORDINATOR_LOAD_IN_PROGRESS); " +
	"still writing the records without producer epochs, asking again every minute (kafka.sink_fence: auto)"

// rearm ends an ask again that found the cluster still unable to host the coordinator (the
// probe's verdict, asked again): unfenced for another sinkFenceRetry, without a warning — the
// first one named the setting, and nothing changed.
func (f *sinkFence) rearm(by uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fellBack, f.retrying, f.retryAt = true, false, time.Now().Add(sinkFenceRetry)
	if by == f.owner {
		f.setGauge(false)
	}
}

// stillLoading ends an ask again that met a loading coordinator: the next ask is due after
// lateRetryUnknown, and the first such ask of an episode says so.
func (f *sinkFence) stillLoading() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.loadingSaid {
		f.log.Info(SinkCoordinatorLoadingMsg, "retry_in", lateRetryUnknown)
		f.loadingSaid = true
	}
	f.retrying, f.retryAt = false, time.Now().Add(lateRetryUnknown)
}

// sinkACLs is why auto falls back when the ACLs refuse InitProducerID.
const sinkACLs = "the brokers' ACLs refuse InitProducerID: the processors' principal needs Write on the TransactionalId prefix " +
	"wirestream-sink/ and IdempotentWrite on the cluster"

// hasAnswered reports whether an epoch was taken since the process started.
func (f *sinkFence) hasAnswered() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.took
}

// fallBack makes auto write unfenced for sinkFenceRetry, then asks again, with one warning the
// first time and SinkStillUnfencedMsg after an ask again that failed. by is the activation
// whose pipeline asked: only the current one sets the gauge.
func (f *sinkFence) fallBack(by uint64, why string, err error, attrs ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	attrs = append([]any{"why", why}, attrs...)
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	attrs = append(attrs, "retry_in", sinkFenceRetry)
	switch {
	case !f.fellBack:
		f.log.Warn(SinkFenceUnavailableMsg, attrs...)
	case f.retrying:
		f.log.Warn(SinkStillUnfencedMsg, attrs...)
	}
	f.fellBack, f.retrying, f.retryAt, f.loadingSaid = true, false, time.Now().Add(sinkFenceRetry), false
	if by == f.owner {
		f.setGauge(false)
	}
}

// due reports whether auto, fallen back, is due to ask again, and
// marks the ask under way: it ends in answered, fallBack or retryEnded. f.mu is held.
func (f *sinkFence) due() bool {
	if f.mode != kafka.SinkFenceAuto || !f.fellBack || f.retryAt.IsZero() || f.retrying || time.Now().Before(f.retryAt) {
		return false
	}
	f.retrying = true
	return true
}

// askAgain is due with f.mu taken.
func (f *sinkFence) askAgain() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.due()
}

// retryEnded ends an ask again that answered and fallBack did not settle (the generation ended,
// the processor stops, the ask was not made): the next activation or write asks again.
func (f *sinkFence) retryEnded() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retrying = false
}

// answered notes an epoch taken by activation by's pipeline: the coordinator works (and is
// waited for from now on), and auto fallen back at run time writes fenced again, which it says
// once. The gauge reads 1 only if that pipeline is still the current one.
func (f *sinkFence) answered(by uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.took = true
	if f.fellBack {
		f.log.Info(SinkFenceBackMsg)
	}
	f.fellBack, f.retrying, f.retryAt, f.loadingSaid = false, false, time.Time{}, false
	if by == f.owner {
		f.setGauge(true)
	}
}

// activate makes the pipeline an activation is about to build the one that sets
// wirestream_sink_epochs, and returns its number.
func (f *sinkFence) activate() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.activations++
	f.owner = f.activations
	return f.owner
}

// currentActivation is the number of the activation whose pipeline sets the gauge; 0 while
// the processor stands by.
func (f *sinkFence) currentActivation() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.owner
}

// standBy notes that no pipeline writes records: the gauge reads 0, and a pipeline the
// processor left, its last writes draining, sets it no more (its late ask's answer included).
func (f *sinkFence) standBy() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.owner = 0
	f.setGauge(false)
}

// mayAskAgain reports whether auto wrote unfenced after a fallback, which it asks again: the pipeline built then writes through a lateFencedSink.
func (f *sinkFence) mayAskAgain() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mode == kafka.SinkFenceAuto && f.fellBack && !f.retryAt.IsZero()
}

// report sets wirestream_sink_epochs: whether the active pipeline's records carry the items
// partition's producer epoch.
func (f *sinkFence) report(fenced bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setGauge(fenced)
}

// setGauge is report with f.mu held.
func (f *sinkFence) setGauge(fenced bool) {
	if f.gauge == nil {
		return
	}
	v := 0.0
	if fenced {
		v = 1
	}
	f.gauge.Set(v)
}

// sinkAdmission is what taking a sink epoch passes: the processor's group admission.
func (p *Processor) sinkAdmission() epochAdmission {
	var stopping <-chan struct{}
	if p.stopping != nil {
		stopping = p.stopping.Done()
	}
	return epochAdmission{admitNow: p.admitNow, fence: p.fence, stopping: stopping}
}

// epochAdmission runs InitProducerID for a sink identity under the group's admission: a
// processor whose generation ended must not take the epoch, which would fence the partition's
// rightful owner.
type epochAdmission struct {
	admitNow func() (func(), error)
	fence    func() error
	stopping <-chan struct{}
}

// open takes txid's next epoch (epochsink.Open) under the admission, for at most wait.
func (a epochAdmission) open(ctx context.Context, wait time.Duration, rw kafka.RawWriting, txid string) (w *epochsink.Writer, err error) {
	err = a.run(ctx, wait, func(ctx context.Context) error {
		w, err = epochsink.Open(ctx, rw, txid)
		return err
	})
	return w, err
}

// run calls take under the admission, with a context that ends after wait, or as soon as the
// generation ends (fence, asked every sinkFenceRecheck) or the processor stops. Open retries
// a coordinator that is away until its context ends, and the member's rejoin waits for the
// admission (turn.close): bounded by the wait alone, a generation that ended meanwhile held
// the rejoin for up to 30 s, past the group's session — review21's fix for the changelog's
// epoch (kafkastate's initProducer under fenceContext and stopContext), here for the sink's.
func (a epochAdmission) run(ctx context.Context, wait time.Duration, take func(context.Context) error) error {
	admitted, err := a.admitNow()
	if err != nil {
		return fmt.Errorf("sink fence: take the producer epoch: fenced: %w", err)
	}
	defer admitted()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	wctx, cancelWatch := context.WithCancelCause(ctx)
	done := make(chan struct{})
	defer func() {
		close(done)
		cancelWatch(nil)
	}()
	go func() {
		t := time.NewTicker(sinkFenceRecheck)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-a.stopping:
				cancelWatch(errStopping)
				return
			case <-t.C:
				if err := a.fence(); err != nil {
					cancelWatch(err)
					return
				}
			}
		}
	}()
	err = take(wctx)
	if err != nil && wctx.Err() != nil && ctx.Err() == nil {
		// The generation ended or the processor stops: say which, before the coordinator's answer.
		return fmt.Errorf("sink fence: take the producer epoch: %w: %w", context.Cause(wctx), err)
	}
	return err
}

// errStopping is the cause run's wait ends with when the processor stops.
var errStopping = errors.New("processor: stopping")

// sinkFenceRecheck is how often taking a sink epoch asks whether its generation still holds.
const sinkFenceRecheck = 100 * time.Millisecond

// admitNow is hold without waiting for a next generation: it admits only while the
// generation is current.
func (p *Processor) admitNow() (func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return p.hold(ctx)
}

// fencedSink writes the pipeline's records through the activation's fenced writer, taking the
// writer's next epoch when its keep-alive is due (epochsink.RefreshEvery) — under the group's
// admission, so that a processor whose generation ended cannot take the epoch back from the
// partition's next owner, and only after a write with the epoch held got through: a stale
// processor that has not noticed its generation's end (paused past its session) still passes
// the admission, and its write is what meets the newer owner's epoch and stops its writer.
type fencedSink struct {
	sink      *kafka.Sink
	w         *epochsink.Writer
	admission epochAdmission
	log       *slog.Logger
}

// sinkRefreshWait bounds the keep-alive's InitProducerID: a coordinator away does not hold the
// write (and the admission) longer; the epoch held fences as well as before, for days yet.
const sinkRefreshWait = 5 * time.Second

func (s fencedSink) Write(ctx context.Context, recs []record.Record) error {
	if err := s.sink.WriteVia(ctx, s.w, recs); err != nil {
		return err
	}
	if s.w.RefreshDue() {
		s.keepAlive(ctx)
	}
	return nil
}

// keepAlive takes the writer's next epoch, or logs why it could not (and the writer tries
// again after epochsink.RefreshRetry): the write goes on with the epoch held either way.
func (s fencedSink) keepAlive(ctx context.Context) {
	moved, err := s.w.Refresh(ctx, func(take func(context.Context) error) error {
		return s.admission.run(ctx, sinkRefreshWait, take)
	})
	switch id := s.w.Identity(); {
	case moved:
		s.log.Info("sink fence: took the items partition's next sink producer epoch (the transactional id's keep-alive)",
			"producer_id", id.ProducerID, "epoch", id.Epoch)
	case err != nil && s.admission.fence() == nil && ctx.Err() == nil:
		s.log.Warn("sink fence: could not take the next sink producer epoch (the keep-alive); writing with the one held, trying again later",
			"producer_id", id.ProducerID, "epoch", id.Epoch, "retry_in", epochsink.RefreshRetry, "err", err)
	}
}

// sinkStopped reports whether the active pipeline's fenced writer stopped (fenced, or a
// batch's outcome unknown): the pipeline cannot write any more and is restored.
func (a *activePipeline) sinkStopped() bool {
	w := a.sinkWriter
	if w == nil && a.lateSink != nil {
		w = a.lateSink.writer()
	}
	return w != nil && w.Stopped() != nil
}
