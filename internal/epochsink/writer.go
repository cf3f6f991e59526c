// Package epochsink is the sink's producer-epoch fence (kafka.sink_fence: on): a
// sinks/kafka.MessageWriter that sends the active processor's records as raw record batches
// under a producer id and epoch of its own, so that a batch it left on the wire when the items
// partition moved is refused by each output partition's leader once the partition's next
// owner — which took the next epoch of the same producer id — wrote there (BENCHMARKS.md,
// round 21). The design is fence21's:
//
//   - Identity: InitProducerID under wirestream-sink/<group>/<items topic>/<P> (TransactionalID),
//     taken when the processor activates items partition P, before its first sink write. No
//     transaction is begun and no marker record is written: an old batch landing before the new
//     owner's first write to a partition lands before all of its records there, as a record the
//     old owner wrote just before it died would.
//   - Sequences per output partition, one batch in flight per partition: a batch is encoded
//     once and a retry sends the same bytes, so a leader that appended it answers with its
//     offset and appends no copy. The sequence moves on only at an answer.
//   - A refusal of the epoch (INVALID_PRODUCER_EPOCH, PRODUCER_FENCED) stops the writer with a
//     *kafkastate.EpochFencedError: the processor stands by as for a fenced changelog, and the
//     batch, never acknowledged, is decided again by the new owner.
//   - An unknown outcome (no answer, a timeout that may have appended, OUT_OF_ORDER_SEQUENCE,
//     UNKNOWN_PRODUCER_ID) stops the writer too: the partition's sequence is unknown, the Write
//     fails, and the processor restores with a new Writer and a new epoch, which also fences the
//     lost batch if it lands later.
package epochsink

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"

	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// TransactionalID names the sink identity of items partition p of itemsTopic in process group
// group: every owner of the partition asks the same one, so each gets a higher epoch of one
// producer id. The ACL it needs: Write on TransactionalId wirestream-sink/*, IdempotentWrite.
func TransactionalID(group, itemsTopic string, p int) string {
	return "wirestream-sink/" + group + "/" + itemsTopic + "/" + strconv.Itoa(p)
}

// Writer is one processor activation's fenced sink writer. Safe for concurrent use.
type Writer struct {
	cl    *kafka.Client
	rw    wkafka.RawWriting
	txid  string
	attrs protocol.Attributes

	// flight is held shared by every WriteMessages and exclusively by Refresh: the next epoch
	// is taken with no batch in flight.
	flight sync.RWMutex

	mu        sync.Mutex
	id        kafkatable.Identity // changes only under flight held exclusively
	refreshAt time.Time           // when the next epoch is due (Refresh)
	parts     map[outPartition]*sequence
	stopped   error
}

type outPartition struct {
	topic string
	p     int
}

// sequence is an output partition's next base sequence; its lock is held for the whole of a
// batch's sending, so one batch is in flight per partition.
type sequence struct {
	mu   sync.Mutex
	next int32
}

// Open takes the identity of txid (InitProducerID: the last owner's producer id with its
// epoch + 1) for a Writer that sends as rw says. It retries the coordinator's passing errors
// until ctx ends: the caller bounds ctx.
func Open(ctx context.Context, rw wkafka.RawWriting, txid string) (*Writer, error) {
	cl := &kafka.Client{Addr: rw.Addr, Transport: rw.Transport}
	id, err := initProducerID(ctx, cl, rw, txid)
	if err != nil {
		return nil, err
	}
	return &Writer{
		cl: cl, rw: rw, txid: txid, attrs: protocol.Attributes(rw.Compression) & 0x7,
		id: id, refreshAt: time.Now().Add(RefreshEvery), parts: map[outPartition]*sequence{},
	}, nil
}

// initProducerID asks the coordinator for txid's next epoch (kafkatable.InitProducerID), again
// after a passing error, waiting from rw.BackoffMin (at least 50 ms) doubling to 1 s, until
// ctx ends. It also asks again after an error neither Kafka nor the network names
// (AskPolicy.RetryUnknown says why).
func initProducerID(ctx context.Context, cl *kafka.Client, rw wkafka.RawWriting, txid string) (kafkatable.Identity, error) {
	wait := max(rw.BackoffMin, 50*time.Millisecond)
	next := func() time.Duration {
		d := wait
		wait = min(2*wait, time.Second)
		return d
	}
	id, err := kafkatable.InitProducerID(ctx, cl, txid, kafkatable.AskPolicy{Next: next, RetryUnknown: true})
	if err != nil {
		return kafkatable.Identity{}, fmt.Errorf("sink fence: %w", err)
	}
	return id, nil
}

// Identity is the producer id and epoch the Writer sends with.
func (w *Writer) Identity() kafkatable.Identity {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.id
}

// Stopped returns the error the Writer stopped with, nil while it sends.
func (w *Writer) Stopped() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopped
}

// stop makes err the Writer's error from now on (the first one wins) and returns it.
func (w *Writer) stop(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped == nil {
		w.stopped = err
	}
	return w.stopped
}

func (w *Writer) sequenceOf(topic string, p int) *sequence {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := outPartition{topic, p}
	s := w.parts[k]
	if s == nil {
		s = &sequence{}
		w.parts[k] = s
	}
	return s
}

// WriteMessages partitions msgs as the sink's kafka-go Writer would and sends each output
// partition's share, in order, in batches of at most BatchSize records and BatchBytes bytes,
// the partitions concurrently. It returns nil when every message is acknowledged, and
// otherwise kafka.WriteErrors (a nil entry for each acknowledged message) or, once the Writer
// stopped, its error, which wraps sinks/kafka.ErrWriterStopped.
func (w *Writer) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	w.flight.RLock()
	defer w.flight.RUnlock()
	if err := w.Stopped(); err != nil {
		return err
	}
	errs := make(kafka.WriteErrors, len(msgs))
	groups := map[outPartition][]int{}
	var order []outPartition
	counts := map[string]int{}
	for i := range msgs {
		m := &msgs[i]
		n, ok := counts[m.Topic]
		if !ok {
			var err error
			if n, err = w.partitions(ctx, m.Topic); err != nil {
				errs[i] = err
				continue
			}
			counts[m.Topic] = n
		}
		if n == 0 {
			errs[i] = kafka.UnknownTopicOrPartition
			continue
		}
		k := outPartition{m.Topic, w.rw.Balancer.Balance(*m, partitionIDs(n)...)}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	var wg sync.WaitGroup
	for _, k := range order {
		wg.Add(1)
		go func(k outPartition, idx []int) {
			defer wg.Done()
			w.sendPartition(ctx, k, msgs, idx, errs)
		}(k, groups[k])
	}
	wg.Wait()
	if err := w.Stopped(); err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil {
			return errs
		}
	}
	return nil
}

// partitionIDs is 0..n-1, what kafka-go's Writer balances over.
func partitionIDs(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i
	}
	return ids
}

// partitions asks topic's partition count through the sink's transport (its metadata cache).
func (w *Writer) partitions(ctx context.Context, topic string) (int, error) {
	res, err := w.cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, err
	}
	for _, t := range res.Topics {
		if t.Name == topic {
			if t.Error != nil {
				return 0, t.Error
			}
			return len(t.Partitions), nil
		}
	}
	return 0, kafka.UnknownTopicOrPartition
}

// sendPartition sends the messages idx of msgs to one output partition in batches, and sets
// errs for those not acknowledged: a batch that failed fails every one after it too, which is
// not sent (a key's records stay in order).
func (w *Writer) sendPartition(ctx context.Context, k outPartition, msgs []kafka.Message, idx []int, errs kafka.WriteErrors) {
	seq := w.sequenceOf(k.topic, k.p)
	for len(idx) > 0 {
		n := w.batchLen(msgs, idx)
		if err := w.sendBatch(ctx, k, seq, msgs, idx[:n]); err != nil {
			for _, i := range idx {
				errs[i] = err
			}
			return
		}
		idx = idx[n:]
	}
}

// batchLen is how many of idx, from the first, fit one batch (at least one).
func (w *Writer) batchLen(msgs []kafka.Message, idx []int) int {
	var bytes int64
	for n, i := range idx {
		m := &msgs[i]
		size := int64(len(m.Key) + len(m.Value))
		for _, h := range m.Headers {
			size += int64(len(h.Key) + len(h.Value))
		}
		if n > 0 && (n >= w.rw.BatchSize || (w.rw.BatchBytes > 0 && bytes+size > w.rw.BatchBytes)) {
			return n
		}
		bytes += size
	}
	return len(idx)
}
