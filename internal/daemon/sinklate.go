package daemon

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// lateFencedSink is the sink of a pipeline that kafka.sink_fence: auto built unfenced after a
// fallback (the ACLs refused InitProducerID, the coordinator never answered the first one, or
// the cluster check found it could not host the coordinator). An active processor is not
// activated again for as long as it keeps its partition — days — so the ask again at the next
// activation (sinkFence.take) alone left its records unfenced until then: at its first write
// after sinkFenceRetry it asks again (the check's verdict, then InitProducerID), and, answered,
// writes the rest of the activation's records under the epoch (fencedSink, with its
// keep-alive).
//
// Only a processor that has been its changelog partition's only writer since its restore takes
// it (soleWriter: kafkastate.Log.SoleWriter, asked before and after InitProducerID). A stale
// processor — paused past its session, so the group's admission still passes — writes unfenced
// records that nothing refuses, and an epoch it took after the partition's newer owner took its
// own fenced that owner's sink writer; the newer owner restored the changelog partition and
// wrote there (its epoch record, its appends), which the stale processor's count of its own
// records falls short of (SinkLateEpochBarredMsg). Left: a newer owner between its sink epoch
// and its first changelog write (its restore, or with the changelog unfenced too, its first
// batch).
type lateFencedSink struct {
	fence     *sinkFence
	sink      *kafka.Sink
	rw        kafka.RawWriting // the sink's, for InitProducerID
	admission epochAdmission
	txid      string
	state     soleWriter
	log       *slog.Logger
	// activation is the number of the activation that built the pipeline
	// (sinkFence.currentActivation): once the processor left it, it asks no more.
	activation uint64

	fenced atomic.Pointer[fencedSink] // once the epoch was taken
	asking sync.Mutex                 // one ask at a time; guards barred and next
	barred bool                       // another writer wrote the changelog: no ask until the next activation
	next   time.Time                  // an ask that could not tell is made again from then on
}

// soleWriter is what lateFencedSink asks of the changelog (kafkastate.Log).
type soleWriter interface {
	SoleWriter(ctx context.Context) (sole, known bool)
	// OwnCountLost: a write of the processor's own since the restore went unanswered (its
	// batch may have landed uncounted), which may be why SoleWriter says not sole — no sign
	// of another writer.
	OwnCountLost() bool
}

// SinkLateEpochBarredMsg is logged (WARN) when the active pipeline, writing the records unfenced,
// finds that another writer wrote its changelog partition since its restore: it takes no sink
// epoch, which could fence the partition's newer owner's. The next activation asks.
const SinkLateEpochBarredMsg = "sink fence: another writer wrote the state changelog partition since this processor restored it; " +
	"not taking the sink producer epoch now, which could fence the partition's newer owner (the next activation asks)"

// SinkLateEpochOwnUncountedMsg is logged (INFO) instead of SinkLateEpochBarredMsg when the
// changelog cannot rule another writer out because a write of this processor's own since its
// restore went unanswered (a batch of it may have landed uncounted) and the partition ends past
// the count: no sign of another writer. A write the broker refused, or one settled either way,
// keeps the count exact (kafkastate.Log.OwnCountLost) and never reads as this.
const SinkLateEpochOwnUncountedMsg = "sink fence: not taking the sink producer epoch late: the state changelog partition ends past this processor's count of its own records, " +
	"and a changelog write of its own since its restore may have landed uncounted (its outcome was not answered), " +
	"so another writer cannot be ruled out (the next activation asks)"

// lateRetryUnknown is how soon an ask again that could not tell whether the processor wrote
// the changelog alone (a write of its own under way, the partition's end not answered), or met
// a loading coordinator, or left InitProducerID too little of its bound, is made again.
const lateRetryUnknown = time.Minute

// sinkFenceLateWait bounds the write's ask again, as the keep-alive's (sinkRefreshWait).
const sinkFenceLateWait = 5 * time.Second

// errCannotHost is the ask again's error when the cluster check still says the cluster cannot
// host the transaction coordinator.
var errCannotHost = errors.New("the cluster cannot host the transaction coordinator")

// errNotSole is the ask again's error when the changelog says the processor may not be the
// partition's owner, or cannot say now (known false).
type errNotSole struct{ known bool }

func (e errNotSole) Error() string {
	if e.known {
		return "another writer wrote the state changelog partition since the restore"
	}
	return "cannot tell now whether another writer wrote the state changelog partition"
}

func (s *lateFencedSink) Write(ctx context.Context, recs []record.Record) error {
	if f := s.fenced.Load(); f != nil {
		return f.Write(ctx, recs)
	}
	if err := s.sink.Write(ctx, recs); err != nil {
		return err
	}
	s.askAgain(ctx)
	return nil
}

// writer is the epoch's writer once taken, else nil.
func (s *lateFencedSink) writer() *epochsink.Writer {
	if f := s.fenced.Load(); f != nil {
		return f.w
	}
	return nil
}

// askAgain takes the epoch when the fence is due to ask again, after a write that got through.
func (s *lateFencedSink) askAgain(ctx context.Context) {
	if !s.asking.TryLock() {
		return // another write asks
	}
	defer s.asking.Unlock()
	if s.barred || s.fenced.Load() != nil || ctx.Err() != nil || time.Now().Before(s.next) || s.fence.currentActivation() != s.activation || !s.fence.askAgain() {
		return
	}
	var w *epochsink.Writer
	given := sinkFenceLateWait // what the look left InitProducerID of the bound
	err := s.admission.run(ctx, sinkFenceLateWait, func(ctx context.Context) error {
		if c, err := s.fence.verdict(ctx); err == nil && !c.CanHost {
			// The fallback was the probe's (or its verdict, asked again, changed): the
			// coordinator cannot answer. A probe that failed leaves it to the coordinator.
			return errCannotHost
		}
		if sole, known := s.state.SoleWriter(ctx); !sole {
			return errNotSole{known}
		}
		if dl, ok := ctx.Deadline(); ok {
			given = time.Until(dl)
		}
		var err error
		if w, err = epochsink.Open(ctx, s.rw, s.txid); err != nil {
			return err
		}
		if sole, known := s.state.SoleWriter(ctx); !sole {
			w = nil // a writer of the changelog came while the epoch was asked: the epoch would fence it
			return errNotSole{known}
		}
		return nil
	})
	var notSole errNotSole
	switch {
	case err == nil:
		s.fenced.Store(&fencedSink{sink: s.sink, w: w, admission: s.admission, log: s.log})
		s.fence.answered(s.activation)
		id := w.Identity()
		s.log.Info("sink fence: took the items partition's sink producer epoch after writing without one; an older owner's record batches are refused on each output partition once this one wrote there",
			"transactional_id", s.txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
	case errors.Is(err, errCannotHost):
		s.fence.rearm(s.activation)
	case errors.As(err, &notSole) && notSole.known:
		s.barred = true
		s.fence.retryEnded()
		if s.state.OwnCountLost() {
			s.log.Info(SinkLateEpochOwnUncountedMsg, "transactional_id", s.txid)
		} else {
			s.log.Warn(SinkLateEpochBarredMsg, "transactional_id", s.txid)
		}
	case errors.As(err, &notSole),
		errors.Is(err, context.DeadlineExceeded) && given < sinkFenceLateWait/2:
		// The last: a look that waited most of the bound for the changelog's write gate left
		// InitProducerID too little to be answered in, which says nothing of the coordinator.
		s.next = time.Now().Add(lateRetryUnknown)
		s.fence.retryEnded()
	case kafkastate.CoordinatorLoading(err):
		s.fence.stillLoading() // asked again in a minute, said once
	case ctx.Err() != nil || s.admission.fence() != nil || errors.Is(err, errStopping):
		s.fence.retryEnded() // the generation ended or the processor stops: asked again later
	case errors.Is(err, kafkago.TransactionalIDAuthorizationFailed) || errors.Is(err, kafkago.ClusterAuthorizationFailed):
		s.fence.fallBack(s.activation, sinkACLs, err)
	case errors.Is(err, context.DeadlineExceeded):
		s.fence.fallBack(s.activation, "InitProducerID was not answered within "+sinkFenceLateWait.String(), err)
	default:
		s.fence.fallBack(s.activation, "InitProducerID failed", err) // the coordinator answered: err says with what
	}
}
