package kafkatable

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
)

// A partition writer with a producer identity (Writer.InitProducer) writes every chunk of
// WriteChecked as a record batch that carries the identity's producer id, epoch and a base
// sequence, as Kafka's idempotent producer does. The partition leader then refuses a batch of
// an epoch older than one it has appended for that producer id (INVALID_PRODUCER_EPOCH), and
// a batch whose sequence does not follow the last one it appended (OUT_OF_ORDER_SEQUENCE), and
// answers a batch it already appended (a retry) with its first offset, appending nothing.
//
// That is what fences the state changelog's old owner (internal/kafkastate, epochfence.go):
// every owner of a changelog partition asks InitProducer under the same transactional id,
// which gives the same producer id with the next epoch, and writes once with it before it
// restores; a batch the old owner left on the wire is refused when it lands after that. No
// transaction is begun: the transactional id only names the identity so that the broker
// bumps its epoch.
//
// kafka-go's record batch writer (protocol/record_v2.go) writes -1 for the producer id, epoch
// and base sequence, and kafka-go has no idempotent producer, so the batch is encoded with
// kafka-go's RecordSet, the three fields are set in its bytes, its CRC is computed again, and
// it is sent with RawProduce.

// producer is a partition writer's producer identity and the sequence of its next record.
type producer struct {
	mu    sync.Mutex
	id    int64
	epoch int16
	next  int32
}

// Identity is a producer id and epoch the transaction coordinator gave (Writer.InitProducer).
type Identity struct {
	ProducerID int64
	Epoch      int16
}

// InitProducer asks the transaction coordinator for the producer identity of transactionalID
// (InitProducerID, asked again with the writer's backoff until ctx ends), and from then on
// writes WriteChecked's chunks with it, from sequence 0: a cluster that cannot host the
// coordinator's topic (__transaction_state with a replication factor above its brokers)
// answers COORDINATOR_NOT_AVAILABLE forever, so the caller bounds ctx or checks first.
func (w *Writer) InitProducer(ctx context.Context, transactionalID string) (Identity, error) {
	if w.p < 0 {
		return Identity{}, fmt.Errorf("table %s: InitProducer needs a partition writer (NewPartitionWriter)", w.t.topic)
	}
	b := w.backoff()
	id, err := InitProducerID(ctx, w.cl, transactionalID, AskPolicy{Next: b.NextBackOff})
	if err != nil {
		return Identity{}, fmt.Errorf("table %s/%d: %w", w.t.topic, w.p, err)
	}
	w.mu.Lock()
	w.producer = &producer{id: id.ProducerID, epoch: id.Epoch}
	w.mu.Unlock()
	return id, nil
}

// ForgetProducer drops the identity InitProducer gave: WriteChecked's chunks carry no producer
// id again. The state changelog drops an epoch it took late when another writer wrote the
// partition meanwhile, which that epoch would fence.
func (w *Writer) ForgetProducer() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.producer = nil
}

// identity returns the writer's producer, nil without one.
func (w *Writer) identity() *producer {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.producer
}

// sequence returns the base sequence of the next chunk.
func (p *producer) sequence() int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next
}

// acknowledged moves the sequence past a chunk of n records that began at base, once. A chunk
// settled late (PartialWriteError.Settle) moves it only if nothing was written after it.
func (p *producer) acknowledged(base int32, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == base {
		p.next = NextSequence(base, n)
	}
}

// NextSequence is base + n as Kafka's sequences count: an int32 that wraps to 0 after
// math.MaxInt32 (DefaultRecordBatch.incrementSequence).
func NextSequence(base int32, n int) int32 {
	if int64(base) > int64(math.MaxInt32)-int64(n) {
		return int32(int64(n) - (int64(math.MaxInt32) - int64(base)) - 1)
	}
	return base + int32(n)
}

// Offsets of a v2 record batch's fields in RecordSet.WriteTo's output, which begins with the
// batch's 4-byte size (protocol/record_v2.go, writeToVersion2).
const (
	batchStart      = 4
	batchCRC        = batchStart + 17
	batchAttributes = batchStart + 21 // the CRC covers the batch from here on
	batchProducerID = batchStart + 43
	batchEpoch      = batchStart + 51
	batchSequence   = batchStart + 53
	batchRecords    = batchStart + 57
	batchHeaderEnd  = batchStart + 61
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// EncodeBatch encodes records as one v2 record batch with attrs (the compression) and the
// producer id, epoch and base sequence.
func EncodeBatch(records []kafka.Record, attrs protocol.Attributes, id int64, epoch int16, base int32) ([]byte, error) {
	var buf bytes.Buffer
	rs := protocol.RecordSet{Version: 2, Attributes: attrs, Records: kafka.NewRecordReader(records...)}
	if _, err := rs.WriteTo(&buf); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if len(b) < batchHeaderEnd || b[batchStart+16] != 2 {
		return nil, fmt.Errorf("record batch of %d bytes is not a v2 batch", len(b))
	}
	binary.BigEndian.PutUint64(b[batchProducerID:], uint64(id))
	binary.BigEndian.PutUint16(b[batchEpoch:], uint16(epoch))
	binary.BigEndian.PutUint32(b[batchSequence:], uint32(base))
	binary.BigEndian.PutUint32(b[batchCRC:], crc32.Checksum(b[batchAttributes:], castagnoli))
	return b, nil
}

// BatchRecords returns how many records the raw record batch b (as a produce request carries
// it: RawRecordSet's bytes) holds, for tests that hold requests by their size.
func BatchRecords(b []byte) (int, bool) {
	if len(b) < batchHeaderEnd {
		return 0, false
	}
	return int(int32(binary.BigEndian.Uint32(b[batchRecords:]))), true
}

// produceRaw sends chunk as one batch of the writer's producer, from sequence base, and waits
// for the answer until ctx ends (send gives it WriteTimeout's deadline).
func (w *Writer) produceRaw(ctx context.Context, pr *producer, base int32, chunk []kafka.Message) error {
	now := time.Now()
	records := make([]kafka.Record, len(chunk))
	for i, m := range chunk {
		records[i] = kafka.Record{Time: now, Key: kafka.NewBytes(m.Key), Value: kafka.NewBytes(m.Value)}
	}
	b, err := EncodeBatch(records, protocol.Attributes(w.w.Compression)&0x7, pr.id, pr.epoch, base)
	if err != nil {
		return fmt.Errorf("table %s/%d: encode batch: %w", w.t.topic, w.p, err)
	}
	res, err := w.cl.RawProduce(ctx, &kafka.RawProduceRequest{
		Topic: w.t.topic, Partition: w.p, RequiredAcks: kafka.RequireAll,
		RawRecords: protocol.RawRecordSet{Reader: bytes.NewReader(b)},
	})
	if err != nil {
		return err
	}
	if res.Error != nil {
		return fmt.Errorf("produce to %s/%d (producer %d, epoch %d, sequence %d): %w", w.t.topic, w.p, pr.id, pr.epoch, base, res.Error)
	}
	return nil
}
