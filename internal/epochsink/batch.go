package epochsink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// sendBatch sends the messages idx of msgs to output partition k as one batch at seq's next
// sequence, holding seq for the whole of it, and moves the sequence on at the answer. A
// retriable error resends the same bytes, up to MaxAttempts sends. It returns nil once the
// batch is appended; the leader's refusal, which appended nothing and took no sequence (too
// large, a topic gone, a retriable error past the attempts), for the sink to handle as it
// handles kafka-go's; or the Writer's stop error when the epoch was refused or the batch's
// outcome is unknown.
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
	b, err := kafkatable.EncodeBatch(records, w.attrs, w.id.ProducerID, w.id.Epoch, seq.next)
	if err != nil {
		return fmt.Errorf("sink fence: encode batch for %s/%d: %w", k.topic, k.p, err)
	}
	// unknown: a send may have been appended without its answer reaching us. Sticky: a later
	// refusal does not say an earlier send did not land.
	unknown := false
	wait := max(w.rw.BackoffMin, 10*time.Millisecond)
	var last error
	for attempt := 1; ; attempt++ {
		err := w.produce(ctx, k, b)
		switch {
		case err == nil || errors.Is(err, kafka.DuplicateSequenceNumber):
			seq.next = kafkatable.NextSequence(seq.next, len(idx))
			return nil
		case kafkastate.EpochRefused(err):
			return w.stop(&kafkastate.EpochFencedError{Topic: k.topic, Partition: k.p, Epoch: w.id, What: "sink",
				Err: fmt.Errorf("transactional id %s: %w: %w", w.txid, wkafka.ErrWriterStopped, err)})
		case errors.Is(err, kafka.OutOfOrderSequenceNumber) || errors.Is(err, kafka.UnknownProducerId):
			return w.lost(k, seq.next, err)
		}
		var ke kafka.Error
		answered := errors.As(err, &ke)
		if (!answered && !neverSent(err)) || ke == kafka.RequestTimedOut || ke == kafka.NotEnoughReplicasAfterAppend {
			unknown = true
		}
		last = err
		if answered && !ke.Temporary() {
			break // refused for good: nothing of it was appended by this answer
		}
		if attempt >= w.rw.MaxAttempts || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			wait = min(2*wait, max(w.rw.BackoffMax, wait))
		}
	}
	if unknown {
		return w.lost(k, seq.next, last)
	}
	return last
}

// neverSent reports a failure to connect: the request never left, so it cannot have landed
// (a broker down costs retries, not the Writer).
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// lost stops the Writer because output partition k's sequence is not known any more.
func (w *Writer) lost(k outPartition, base int32, err error) error {
	return w.stop(fmt.Errorf("sink fence: %s/%d, sequence %d (producer %d, epoch %d): %w: the batch's outcome is unknown, so is the partition's next sequence; the processor restores with a new epoch: %w",
		k.topic, k.p, base, w.id.ProducerID, w.id.Epoch, wkafka.ErrWriterStopped, err))
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
