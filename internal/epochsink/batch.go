package epochsink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// sendBatch sends the messages idx of msgs to output partition k as one batch at seq's next
// sequence, holding seq for the whole of it, and moves the sequence on at the answer. A
// retriable error resends the same bytes: up to MaxAttempts sends whose outcome may be unknown
// or that a retriable error refused, and, for a leader's refusal that says the send appended
// nothing (notAppended), for up to notAppendedWait since the first send, not counted in the
// attempts. It returns nil once the batch is appended; the leader's refusal, which appended
// nothing and took no sequence (too large, a topic gone, a retriable error past the attempts),
// for the sink to handle as it handles kafka-go's; or the Writer's stop error when the epoch was
// refused or the batch's outcome is unknown.
func (w *Writer) sendBatch(ctx context.Context, k outPartition, seq *sequence, msgs []kafka.Message, idx []int) error {
	seq.mu.Lock()
	defer seq.mu.Unlock()
	if err := w.Stopped(); err != nil {
		return err
	}
	now := time.Now()
	records := make([]kafka.Record, len(idx))
	for j, i := range idx {
		m := &msgs[i]
		t := m.Time
		if t.IsZero() {
			t = now
		}
		records[j] = kafka.Record{Time: t, Key: kafka.NewBytes(m.Key), Value: kafka.NewBytes(m.Value), Headers: m.Headers}
	}
	id := w.Identity() // fixed while the batch is sent: Refresh waits for flight
	b, err := kafkatable.EncodeBatch(records, w.attrs, id.ProducerID, id.Epoch, seq.next)
	if err != nil {
		return fmt.Errorf("sink fence: encode batch for %s/%d: %w", k.topic, k.p, err)
	}
	// unknown: a send may have been appended without its answer reaching us. Sticky: a later
	// refusal does not say an earlier send did not land.
	unknown := false
	wait := w.retryWait()
	first := time.Now()
	var last error
send:
	for attempts := 0; ; {
		err := w.produce(ctx, k, b)
		switch {
		case err == nil || errors.Is(err, kafka.DuplicateSequenceNumber):
			// The resend of a batch that landed unanswered carries the same sequence, so the
			// leader answers it as a duplicate (or with its offset) and appends no copy.
			seq.next = kafkatable.NextSequence(seq.next, len(idx))
			return nil
		case kafkastate.EpochRefused(err):
			return w.stop(&kafkastate.EpochFencedError{Topic: k.topic, Partition: k.p, Epoch: id, What: "sink",
				Err: fmt.Errorf("transactional id %s: %w: %w", w.txid, wkafka.ErrWriterStopped, err)})
		case errors.Is(err, kafka.OutOfOrderSequenceNumber) || errors.Is(err, kafka.UnknownProducerId):
			return w.lost(k, seq.next, err)
		}
		last = err
		var ke kafka.Error
		answered := errors.As(err, &ke)
		outcome := classify(err)
		switch outcome {
		case notAppended:
			// Not counted: this send appended nothing, and what an earlier one did is still
			// decided by the next send's answer (a duplicate, or appended now). Bounded by time.
		case mayHaveAppended:
			unknown = true
			attempts++
		default:
			attempts++
		}
		if outcome == refusedForGood || (answered && !ke.Temporary()) {
			break // refused for good: nothing of it was appended by this answer
		}
		if attempts >= w.rw.MaxAttempts || ctx.Err() != nil ||
			(outcome == notAppended && time.Since(first) >= notAppendedWait) {
			break
		}
		select {
		case <-ctx.Done():
			// Not sent again: a send on the ended context could not be told from one
			// whose answer was lost, and would make a batch that nothing appended unknown.
			break send
		case <-time.After(wait.NextBackOff()):
		}
	}
	if unknown {
		return w.lost(k, seq.next, last)
	}
	return last
}

// notAppendedWait bounds how long a batch is resent while leaders refuse it as not appended
// (a leader election, a topic just created, the in-sync replicas below min.insync.replicas).
// Tests shorten it.
var notAppendedWait = 30 * time.Second

// retryWait is a batch's wait between sends: from BackoffMin (at least 10 ms), doubling to
// BackoffMax, with cenkalti/backoff's jitter (±50 %), never giving up by itself (sendBatch
// counts and times the sends).
func (w *Writer) retryWait() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = max(w.rw.BackoffMin, 10*time.Millisecond)
	b.MaxInterval = max(w.rw.BackoffMax, b.InitialInterval)
	b.Multiplier = 2
	b.MaxElapsedTime = 0
	b.Reset()
	return b
}

// sendOutcome is what a failed send says of the batch it carried.
type sendOutcome int

const (
	// mayHaveAppended: the send may have landed without its answer reaching us (no answer,
	// REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND): the batch's outcome is unknown
	// unless a later send's answer decides it.
	mayHaveAppended sendOutcome = iota
	// notAppended: the leader (or the connection, which never opened) says the send appended
	// nothing and will be able to take it later; retried without counting (notAppendedWait).
	notAppended
	// refusedRetriable: another retriable refusal, which appended nothing; counted.
	refusedRetriable
	// refusedForGood: a refusal no retry changes (too large, not authorized...).
	refusedForGood
)

// classify says what a failed send's error tells of its batch. The "not appended" refusals are
// those Kafka's protocol answers before the append (its error table): NOT_LEADER_OR_FOLLOWER (6)
// and LEADER_NOT_AVAILABLE (5), retriable while a leader is elected; NOT_ENOUGH_REPLICAS (19),
// "messages are rejected since there are fewer in-sync replicas than required" — unlike
// NOT_ENOUGH_REPLICAS_AFTER_APPEND (20), "written to the log, but with fewer in-sync replicas
// than required", which may have appended.
func classify(err error) sendOutcome {
	var ke kafka.Error
	if !errors.As(err, &ke) {
		if neverSent(err) {
			return notAppended
		}
		return mayHaveAppended
	}
	switch ke {
	case kafka.NotLeaderForPartition, kafka.LeaderNotAvailable, kafka.NotEnoughReplicas:
		return notAppended
	case kafka.RequestTimedOut, kafka.NotEnoughReplicasAfterAppend:
		return mayHaveAppended
	}
	if ke.Temporary() {
		return refusedRetriable
	}
	return refusedForGood
}

// neverSent reports a failure to connect: the request never left, so it cannot have landed
// (a broker down costs retries, not the Writer).
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// lost stops the Writer because output partition k's sequence is not known any more.
func (w *Writer) lost(k outPartition, base int32, err error) error {
	id := w.Identity()
	return w.stop(fmt.Errorf("sink fence: %s/%d, sequence %d (producer %d, epoch %d): %w: the batch's outcome is unknown, so is the partition's next sequence; the processor restores with a new epoch: %w",
		k.topic, k.p, base, id.ProducerID, id.Epoch, wkafka.ErrWriterStopped, err))
}

// produce sends batch b to output partition k and waits for the answer, at most WriteTimeout.
func (w *Writer) produce(ctx context.Context, k outPartition, b []byte) error {
	if w.rw.WriteTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.rw.WriteTimeout)
		defer cancel()
	}
	res, err := w.cl.RawProduce(ctx, &kafka.RawProduceRequest{
		Topic: k.topic, Partition: k.p, RequiredAcks: kafka.RequireAll,
		RawRecords: protocol.RawRecordSet{Reader: bytes.NewReader(b)},
	})
	if err != nil {
		return err
	}
	if res.Error != nil {
		return fmt.Errorf("produce to %s/%d: %w", k.topic, k.p, res.Error)
	}
	return nil
}

// IsStopped reports whether err says a Writer stopped (a newer epoch fenced it, or a batch's
// outcome is unknown): the activation that wrote through it must restore, with a new Writer.
func IsStopped(err error) bool { return errors.Is(err, wkafka.ErrWriterStopped) }
