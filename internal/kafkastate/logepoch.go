package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// epochKey keys the record a Log writes with its producer epoch before it restores (the epoch
// record): the partition leader learns the epoch from the first batch that carries it, and
// refuses older epochs only from then on, so the restore, which reads to the high watermark
// after it, reads every older batch that landed, and none can land after. Its table byte is
// the marker's, which no stage reads.
var epochKey = []byte{byte(markerTable), 'e'}

// takeEpoch takes the partition's producer epoch for this Log (EpochFence) and writes the
// epoch record with it, when the fence is in use. It runs before the restore asks the
// partition's bounds, under the group's fence as the marker is (admitNow): a processor whose
// generation ended must not take the epoch, which would fence the partition's rightful owner.
func (l *Log) takeEpoch(ctx context.Context) error {
	on, err := l.o.Epoch.use(ctx)
	defer l.reportFence()
	if err != nil || !on {
		return err
	}
	defer l.o.Epoch.retryEnded()
	admitted, err := l.admitNow()
	if err != nil {
		return fmt.Errorf("state changelog %s/%d: take the producer epoch: fenced: %w", l.t.Topic(), l.p, err)
	}
	defer admitted()
	txid := l.o.Epoch.TransactionalID(l.t.Topic(), l.p)
	var (
		id         kafkatable.Identity
		unanswered bool
	)
	ask := func(ictx context.Context, cancel context.CancelFunc) {
		id, err = l.initProducer(ictx, txid)
		unanswered = err != nil && ictx.Err() != nil && ctx.Err() == nil && l.fenced() == nil
		cancel()
	}
	start := time.Now()
	if l.o.Epoch.untried() {
		ask(context.WithTimeout(ctx, firstEpochWait))
	} else {
		ask(ctx, func() {})
	}
	for unanswered && CoordinatorLoading(err) && time.Since(start) < loadingWait {
		ask(context.WithTimeout(ctx, firstEpochWait))
	}
	if err != nil && l.o.Epoch.denied(err) {
		return nil // mode auto without the ACLs: unfenced, as the warning says
	}
	if unanswered && l.o.Epoch.unanswered(err, time.Since(start)) {
		return nil // mode auto, a coordinator that never answered: unfenced, as the warning says
	}
	if err != nil {
		return fmt.Errorf("state changelog %s/%d: take the producer epoch: %w", l.t.Topic(), l.p, err)
	}
	l.o.Epoch.answered()
	l.mu.Lock()
	l.epoch, l.epochAt = &id, time.Now()
	l.mu.Unlock()
	v := fmt.Appendf(nil, "producer=%d epoch=%d at=%s", id.ProducerID, id.Epoch, time.Now().UTC().Format(time.RFC3339Nano))
	if _, _, err := l.write(ctx, []kafkatable.Entry{{Key: epochKey, Value: v}}); err != nil {
		return fmt.Errorf("state changelog %s/%d: write the epoch record: %w", l.t.Topic(), l.p, err)
	}
	l.log.Info("state changelog: took the partition's producer epoch; older owners' batches are refused from here on",
		"transactional_id", txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
	return nil
}

// epochRefresh is how long an owner writes with one epoch before it takes the next. The
// transaction coordinator forgets a transactional id that saw no InitProducerID (and no
// transaction) for transactional.id.expiration.ms (7 days by default), and a later owner then
// gets a new producer id, which does not fence the old one's batches: taking the epoch again
// keeps the id alive, and costs one InitProducerID an hour.
var epochRefresh = time.Hour

// epochRefreshWait bounds how long an append waits for the coordinator to refresh the epoch,
// and epochRefreshRetry is when a refresh it did not answer is tried again.
const (
	epochRefreshWait  = 5 * time.Second
	epochRefreshRetry = time.Minute
)

// lateEpoch takes the partition's producer epoch, after an append the leader acknowledged, in a
// Log that restored without one because mode auto had fallen back at run time, once the fence
// asks again (takeLateEpoch).
func (l *Log) lateEpoch(ctx context.Context) {
	l.mu.Lock()
	unfenced := l.epoch == nil && l.fencedBy == nil && !l.lateBarred && time.Since(l.epochAt) >= epochRefreshRetry
	l.mu.Unlock()
	if unfenced && ctx.Err() == nil && l.o.Epoch.lateEpoch() {
		l.takeLateEpoch(ctx)
	}
}

// keepAlive takes the partition's next epoch when the current one is epochRefresh old, after
// an append the leader acknowledged with the epoch held, under the generation's admission
// (admitNow: a generation that ended leaves it to the next owner). After, not before: a stale
// owner — paused past its session, its generation ended unnoticed, so the admission still
// passes — whose keep-alive fell due took the next epoch before its write, its write then
// landed, and the rightful owner's next append was refused as fenced; now its write meets the
// owner's newer epoch and is refused first, and it takes nothing. The writer's sequence starts
// again at 0 with the new epoch; nothing of the older epoch is on the wire by then.
func (l *Log) keepAlive(ctx context.Context) {
	l.mu.Lock()
	due := l.epoch != nil && l.fencedBy == nil && time.Since(l.epochAt) >= epochRefresh
	l.mu.Unlock()
	if !due || ctx.Err() != nil {
		return
	}
	admitted, err := l.admitNow()
	if err != nil {
		return // the generation ended: due still, asked at the next append admitted
	}
	defer admitted()
	txid := l.o.Epoch.TransactionalID(l.t.Topic(), l.p)
	rctx, cancel := context.WithTimeout(ctx, epochRefreshWait)
	id, err := l.initProducer(rctx, txid)
	cancel()
	if err != nil {
		// A keep-alive the coordinator did not answer (away, moving): the epoch held fences
		// as well as before, for days yet; the refresh is tried again later. One the
		// generation's end or the processor's stop cut is no failure of the append either.
		l.mu.Lock()
		l.epochAt = time.Now().Add(epochRefreshRetry - epochRefresh)
		l.mu.Unlock()
		if ctx.Err() == nil && l.fenced() == nil {
			l.log.Warn("state changelog: could not take the partition's next producer epoch (the keep-alive); writing with the one held, trying again later",
				"transactional_id", txid, "retry_in", epochRefreshRetry, "err", err)
		}
		return
	}
	l.mu.Lock()
	l.epoch, l.epochAt = &id, time.Now()
	l.mu.Unlock()
	l.log.Info("state changelog: took the partition's next producer epoch (the transactional id's keep-alive)",
		"transactional_id", txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
}

// takeLateEpoch takes the partition's producer epoch in an append of a Log that restored
// without one because mode auto had fallen back at run time (the coordinator away at the
// restore), once the coordinator answers again: from then on a newer owner's epoch fences this
// owner's late batches, which before went unfenced for the rest of the process's life. It runs
// after the append's write, under the generation's admission (admitNow), and waits as briefly
// as the keep-alive (epochRefreshWait, for the whole ask); unanswered, the Log asks again a minute later (the
// fence itself again after epochRetry). No epoch record: the next append's batch is the first
// with the epoch, from which the leader refuses older ones.
//
// Only a Log that has been the partition's only writer since its restore takes it (alone,
// asked before and after InitProducerID). A stale owner — paused past its session, so its
// admission still passes — whose unfenced writes land whatever epoch the partition's newer
// owner holds, took the epoch after that owner's and its next batch fenced the rightful owner:
// taken before the write (as until round 23) or after it alike, since an unfenced write is
// refused by nothing. The newer owner's epoch record (its restore's first write) or appends
// are in the partition, so the stale Log's count of its own records falls short of the
// partition's end, and it takes nothing (LateEpochBarredMsg). Left: a newer owner whose
// InitProducerID came before this Log's and whose epoch record lands only after the second
// check (one produce request in flight across this Log's InitProducerID and ListOffsets).
func (l *Log) takeLateEpoch(ctx context.Context) {
	defer l.reportFence()
	defer l.o.Epoch.retryEnded()
	admitted, err := l.admitNow()
	if err != nil {
		return // the generation ended: asked again at the next append admitted
	}
	defer admitted()
	// One bound for the whole ask, the two looks at the partition's end and InitProducerID
	// (README: up to 5 s of the append, which holds the store's lock and the admission) — each
	// had epochRefreshWait of its own — ended at once by the generation's end, a stop or the
	// log's close, as InitProducerID's wait is: a look holds the admission and the write gate.
	actx, cancel := context.WithTimeout(ctx, epochRefreshWait)
	defer cancel()
	fctx, stopFence := l.fenceContext(actx)
	defer stopFence()
	wctx, stopWatch := l.stopContext(fctx)
	defer stopWatch()
	if !l.alone(wctx) {
		return
	}
	txid := l.o.Epoch.TransactionalID(l.t.Topic(), l.p)
	dl, _ := actx.Deadline()
	given := time.Until(dl) // what the look left InitProducerID of the bound
	id, err := l.initProducer(wctx, txid)
	if err != nil {
		l.mu.Lock()
		l.epochAt = time.Now()
		l.mu.Unlock()
		cut := wctx.Err() != nil && !errors.Is(context.Cause(wctx), context.DeadlineExceeded) // the generation's end, a stop
		// A look that waited most of the bound for the write gate left InitProducerID too little
		// to be answered in: that says nothing of the coordinator (StillUnfencedMsg, and an hour
		// more unfenced, said it was silent); the Log asks again a minute later.
		starved := wctx.Err() != nil && given < epochRefreshWait/2
		switch {
		case ctx.Err() != nil || cut || l.fenced() != nil:
		case CoordinatorLoading(err):
			// It answered that it works and is loading (however little the look left it): asked
			// again a minute later, said once, as the sink's late ask does.
			l.o.Epoch.stillLoading()
		case !starved && !l.o.Epoch.denied(err):
			// denied names the ACLs; any other error is the coordinator not answering.
			l.o.Epoch.notAnswered(err)
		}
		return
	}
	if !l.alone(wctx) {
		// Another writer's record landed while the epoch was asked: written with, the epoch
		// would fence it. The writer's batches go on carrying no producer id, so the fence is not
		// told it answered: its gauge (reportFence) and FenceBackMsg would say the writes carry
		// epochs. It stays due, and the next restore asks again.
		l.w.ForgetProducer()
		return
	}
	l.o.Epoch.answered() // the coordinator works: the next restore of every partition fences
	l.mu.Lock()
	l.epoch, l.epochAt = &id, time.Now()
	l.mu.Unlock()
	l.log.Info("state changelog: took the partition's producer epoch after writing without one; older owners' batches are refused from here on",
		"transactional_id", txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
}

// LateEpochBarredMsg is logged (WARN, once per Log) when a Log restored without a producer epoch
// finds that another writer wrote its changelog partition since: it takes no epoch late, which
// would fence that writer — the partition's newer owner, if this processor is the stale one.
// The partition's next restore takes the epoch.
const LateEpochBarredMsg = "state changelog: another writer wrote the partition since this processor restored it without a producer epoch; " +
	"not taking the epoch now, which could fence the partition's newer owner (the next restore takes it)"

// alone reports whether this Log has been the partition's only writer since its restore
// (SoleWriter). When not, it takes no late epoch until its next restore, with one warning (a
// batch of its own whose outcome was left open may be what lies past its count: one INFO);
// when SoleWriter cannot tell, it asks again a minute later.
func (l *Log) alone(ctx context.Context) bool {
	sole, known := l.SoleWriter(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case sole:
		return true
	case !known:
		l.epochAt = time.Now()
	case l.ownUncounted:
		l.lateBarred = true
		l.log.Info(LateEpochOwnUncountedMsg, "own_end", l.ownEnd)
	default:
		l.lateBarred = true
		l.log.Warn(LateEpochBarredMsg, "own_end", l.ownEnd)
	}
	return false
}

// SoleWriter reports whether the partition's end is where this Log's own records since its
// restore put it: no other writer wrote it since — not a newer owner's epoch record or appends,
// nor an older owner's late batch. It waits for a write of its own under way to return and
// holds the next one back while it asks the end (one ListOffsets), so that no batch of its own
// acknowledged meanwhile is missing from the count. The count is a lower bound of the Log's
// own records in the partition (owncount.go), so an end equal to it is a sole writer even after
// a write of its own whose outcome was left open; an end past it is not (known), or, while a
// cut append's batch on the wire waits for its settle, cannot tell now. known is false too when
// the end was not answered within epochRefreshWait or ctx ended. Offsets count one per record:
// no transaction is begun, so no control record takes one. The sink fence asks it too before it
// takes the sink's epoch late.
func (l *Log) SoleWriter(ctx context.Context) (sole, known bool) {
	ctx, cancel := context.WithTimeout(ctx, epochRefreshWait)
	defer cancel()
	select {
	case l.writeGate <- struct{}{}:
	case <-ctx.Done():
		return false, false
	}
	defer func() { <-l.writeGate }()
	l.mu.Lock()
	want, onWire := l.ownEnd, l.ownOnWire
	l.mu.Unlock()
	_, end, err := l.t.Bounds(ctx, l.p)
	switch {
	case err != nil:
		return false, false
	case end == want:
		return true, true
	case onWire:
		return false, false // the batch on the wire may be what lies past the count: its settle tells
	}
	return false, true
}

// LateEpochOwnUncountedMsg is logged (INFO, once per Log) instead of LateEpochBarredMsg when the
// partition ends past the Log's count of its own records and a write of its own left a batch's
// outcome open since its restore: that batch may be what lies past the count, so it is no sign
// of another writer, but cannot rule one out either.
const LateEpochOwnUncountedMsg = "state changelog: not taking the producer epoch late: the partition ends past this processor's count of its own records, " +
	"and a write of its own since its restore may have landed uncounted (its outcome was not answered), so another writer cannot be ruled out (the next restore takes it)"

// OwnCountLost reports whether a write of this Log's own since its restore left a batch's
// outcome open (no answer by its deadline, REQUEST_TIMED_OUT, a connection cut after the
// request left): when SoleWriter then says not sole, that batch may be what lies past the
// count, which is no sign of another writer. A batch the broker refused, or one settled either
// way, leaves the count exact.
func (l *Log) OwnCountLost() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ownUncounted || l.ownOnWire
}

// reportFence sets wirestream_state_changelog_epochs to the fence's verdict.
func (l *Log) reportFence() {
	v := 0.0
	if l.o.Epoch.Fencing() {
		v = 1
	}
	l.m.ChangelogEpochs.Set(v)
}

// initProducer asks for txid's next epoch (kafkatable.Writer.InitProducer) under the
// admission of the generation that takes it: the wait ends when that generation does (Fence,
// asked every fenceRecheck), on a stop or the log's close, as a write's does. InitProducer
// retries a coordinator that is away (COORDINATOR_NOT_AVAILABLE while its
// __transaction_state partition has no leader) until its context ends, and the member's rejoin
// waits for the admission (turn.close): bounded by ctx alone, it held the rejoin past the
// session for as long as the coordinator stayed away.
func (l *Log) initProducer(ctx context.Context, txid string) (kafkatable.Identity, error) {
	fctx, stopFence := l.fenceContext(ctx)
	defer stopFence()
	sctx, stopWatch := l.stopContext(fctx)
	defer stopWatch()
	id, err := l.w.InitProducer(sctx, txid)
	if err != nil && sctx.Err() != nil && ctx.Err() == nil {
		// The generation ended or the processor stops: say which, before what the
		// coordinator last answered.
		return id, fmt.Errorf("%w: %w", context.Cause(sctx), err)
	}
	return id, err
}

// epochFenced turns a write's refusal for an older epoch into an *EpochFencedError, the
// first time with a warning and a count; once fenced, the Log sends nothing more (write).
func (l *Log) epochFenced(err error) error {
	if err == nil || !EpochRefused(err) {
		return err
	}
	l.mu.Lock()
	first := l.fencedBy == nil
	var id kafkatable.Identity
	if l.epoch != nil {
		id = *l.epoch
	}
	fe := &EpochFencedError{Topic: l.t.Topic(), Partition: l.p, Epoch: id, Err: err}
	if first {
		l.fencedBy = fe
	}
	l.mu.Unlock()
	if first {
		l.m.EpochFenced.Inc()
		l.log.Warn(EpochFencedMsg, "producer_id", id.ProducerID, "epoch", id.Epoch, "err", err)
	}
	return fe
}

// stillOwner returns the Log's EpochFencedError once a newer owner fenced it.
func (l *Log) stillOwner() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fencedBy != nil {
		return l.fencedBy
	}
	return nil
}

// IsEpochFenced reports whether err says a newer owner's producer epoch fenced the changelog
// partition (EpochFencedError).
func IsEpochFenced(err error) bool {
	var fe *EpochFencedError
	return errors.As(err, &fe)
}

// UnfencedAfterFencedMsg is logged (WARN) by a restore that read records written without a
// producer id after records written with one: a writer no epoch fences wrote the partition
// after an owner that fenced — a processor of round 19 or before (which writes with none) still
// running or its late batch landing during a rolling upgrade, or one with state.changelog.fence
// off, or auto fallen back. Its values are the latest of their keys, and a batch of it held on
// the wire lands over the next owner's writes as before round 20.
const UnfencedAfterFencedMsg = "state changelog: read entries written without a producer epoch after entries written with one: " +
	"a processor no epoch fences (round 19 or before, or state.changelog.fence off or auto fallen back) wrote this partition " +
	"after a fenced owner; finish the upgrade and check every processor's fence"

// unfencedAfterFenced counts, in a restore's read, the records whose batch carries no producer
// id that come after a record whose batch carries one (kafkatable.Record.Unfenced; a read whose
// fetch did not say counts none).
type unfencedAfterFenced struct {
	fencedSeen bool
	n          int64
	first      int64 // the first such record's offset
}

func (u *unfencedAfterFenced) see(r kafkatable.Record) {
	switch {
	case !r.Unfenced:
		u.fencedSeen = true
	case u.fencedSeen:
		if u.n == 0 {
			u.first = r.Offset
		}
		u.n++
	}
}

func (u *unfencedAfterFenced) report(log *slog.Logger) {
	if u.n > 0 {
		log.Warn(UnfencedAfterFencedMsg, "records", u.n, "first_offset", u.first)
	}
}
