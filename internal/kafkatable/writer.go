package kafkatable

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkameta"
)

// Entry is one write to a table: Value nil deletes Key (a tombstone).
type Entry struct {
	Key   []byte
	Value []byte
}

// Writer writes a table's entries with acks=all, each on the partition PartitionOf gives for
// its key over the table's partition count.
type Writer struct {
	t *Table
	w *kafka.Writer
}

// NewWriter returns a writer for the table. Close it when done.
func (t *Table) NewWriter() *Writer {
	return t.newWriter(balancer{partitions: t.partitions})
}

// NewPartitionWriter returns a writer that puts every entry on partition p, whatever its key:
// for a changelog co-partitioned with an input topic, where partition p holds the state of
// whoever consumes input partition p (Kafka Streams' changelogs work so), not the partition
// of each state key.
func (t *Table) NewPartitionWriter(p int) (*Writer, error) {
	if err := t.checkPartition(p); err != nil {
		return nil, err
	}
	return t.newWriter(pinned(p)), nil
}

// pinned is a balancer that always answers one partition.
type pinned int

func (p pinned) Balance(kafka.Message, ...int) int { return int(p) }

func (t *Table) newWriter(b kafka.Balancer) *Writer {
	var tr kafka.RoundTripper = t.metadata()
	if t.opts.WrapWrites != nil {
		tr = t.opts.WrapWrites(tr)
	}
	return &Writer{t: t, w: &kafka.Writer{
		Addr:         kafka.TCP(t.cn.Brokers()...),
		Topic:        t.topic,
		Transport:    tr,
		Balancer:     b,
		RequiredAcks: kafka.RequireAll,
		// Writes are synchronous: a batch leaves at once rather than after kafka-go's 1 s.
		BatchTimeout: time.Millisecond,
		// kafka-go reserves room for BatchSize messages (~150 B each) in
		// every partition batch it opens, whatever the write holds: at 1000
		// a one-entry write (a feed's state after a poll) allocated 160 KB.
		// 250 allocates 45 KB for it, and a changelog append of a batch's
		// deltas (hundreds of entries) is no slower in two produce requests;
		// 100 was slower there (BenchmarkWrite, BENCHMARKS.md).
		BatchSize: 250,
		// Under the broker's default max.message.bytes (1 MiB), which is per batch.
		BatchBytes:   1_000_000,
		Compression:  kafka.Lz4,
		MaxAttempts:  t.opts.WriteAttempts, // a leader moving; Write's own backoff covers a broker being down
		WriteTimeout: t.opts.WriteTimeout,
		ReadTimeout:  t.opts.RequestTimeout,
		// The topic exists (Ensure): a broker's auto-creation would give it the wrong policy.
		AllowAutoTopicCreation: false,
	}}
}

// metadata answers the writer's metadata lookups for the table's topic with the partition count
// the table was opened with, and sends the produce requests on to the transport. kafka-go's
// Writer looks the topic up once per message, and the transport answers each lookup with a
// filtered copy: for a changelog append of thousands of entries, thousands of copies, 2-3 % of a
// processor's CPU and 4.5 % of its allocations (BENCHMARKS.md, round 11). The balancers read only
// the count, which a table never changes (Open learns it once, Ensure refuses a topic whose count
// moved), so the answer is pinned. A produce request still finds its leader in the transport's
// own metadata, and a gone topic fails it there.
func (t *Table) metadata() *kafkameta.Cache {
	c := kafkameta.New(t.tr, 0)
	c.Pin(t.topic, t.partitions)
	return c
}

// Put writes value under key; a nil value deletes the key.
func (w *Writer) Put(ctx context.Context, key, value []byte) error {
	return w.Write(ctx, Entry{Key: key, Value: value})
}

// Delete writes a tombstone for key.
func (w *Writer) Delete(ctx context.Context, key []byte) error {
	return w.Write(ctx, Entry{Key: key})
}

// Write writes the entries and returns once all in-sync replicas acknowledged every one; for a
// key written more than once, the table keeps the last entry. Retriable failures are retried,
// only for the entries that failed and no later entry of the same key replaced, with backoff
// until ctx ends; the error then says how many were not written.
//
// ctx's end stops the wait, not what kafka-go was handed: its partition writer sends every
// batch of the write, one after another, under a context of its own (see WriteChecked).
func (w *Writer) Write(ctx context.Context, entries ...Entry) error {
	pending, err := w.messages(entries)
	if err != nil {
		return err
	}
	return w.write(ctx, nil, pending, len(entries), len(entries))
}

// WriteChecked writes the entries as Write does, but so that a write stopped part-way sends
// nothing more once it has returned: it hands kafka-go one batch's worth of entries at a time
// (at most BatchSize entries of at most BatchBytes, as kafka-go cuts its batches), waits for
// that chunk's acknowledgement before the next, and asks check before each chunk and each
// retry. check's error, or ctx's end, stops the write between chunks and between retries, never
// during a chunk's produce: kafka-go goes on sending what it was handed whatever the context of
// WriteMessages says (a batch under its own WriteTimeout, up to MaxAttempts times), so a chunk
// is waited for to its end. When WriteChecked returns, no entry it was given is queued or in
// flight in kafka-go; after check first fails, at most the chunk on the wire then (one produce
// and its attempts) is still sent. What landed of a stopped write is a prefix of it (up to a
// chunk's retried entries that a later entry of their key replaced, as in Write).
//
// This is the state changelog's fence (internal/kafkastate): a processor whose generation ended
// must send none of an append once it lets its member rejoin, or the tail of a big append could
// land in a partition its next owner has restored. The cost on the happy path is one
// WriteMessages call a batch instead of one a write: kafka-go sends a partition's batches one at
// a time, each after the last was acknowledged, anyway.
//
// Its error is a *PartialWriteError that says how many of the entries, from the first, were
// acknowledged before the write stopped: a caller that writes the rest again later (the
// changelog, when the next generation carries its drain on) need not send those again.
func (w *Writer) WriteChecked(ctx context.Context, check func() error, entries ...Entry) error {
	msgs, err := w.messages(entries)
	if err != nil {
		return err
	}
	acked := 0
	for len(msgs) > 0 {
		n := w.chunk(msgs)
		if err := w.write(ctx, check, msgs[:n], len(msgs), len(entries)); err != nil {
			return &PartialWriteError{Acknowledged: acked, Err: err}
		}
		msgs = msgs[n:]
		acked += n
	}
	return nil
}

// PartialWriteError is WriteChecked's error: the first Acknowledged entries were acknowledged
// (every in-sync replica has them); of the others, those of the chunk that was being written
// when the write stopped may have landed too (a produce that failed or timed out on the client
// is not taken back), and none after them was sent.
type PartialWriteError struct {
	Acknowledged int
	Err          error
}

func (e *PartialWriteError) Error() string { return e.Err.Error() }
func (e *PartialWriteError) Unwrap() error { return e.Err }

// messageOverhead is what kafka-go (v0.4.51) counts for a message without headers besides its
// key and value against BatchBytes: Message.totalSize is headerSize() + size(), size() the crc,
// magic, attributes, the key's and the value's lengths and the timestamp (22 bytes), and
// headerSize() the headers' count, a varint of 1 byte for none. A byte short a message made a
// chunk just under BatchBytes two of kafka-go's batches, sent one after another with no check
// between them (TestAByteBoundChunkNearBatchBytesIsOneProduceRequest pins this on a broker).
const messageOverhead = 4 + 1 + 1 + 4 + 4 + 8 + 1

// chunk returns how many of msgs, from the first, make one kafka-go batch: at most BatchSize,
// and no more bytes than BatchBytes unless one message alone is more (kafka-go refuses it).
func (w *Writer) chunk(msgs []kafka.Message) int {
	var bytes int64
	for i, m := range msgs {
		bytes += int64(messageOverhead + len(m.Key) + len(m.Value))
		if i > 0 && (i >= w.w.BatchSize || bytes > w.w.BatchBytes) {
			return i
		}
	}
	return len(msgs)
}

func (w *Writer) messages(entries []Entry) ([]kafka.Message, error) {
	msgs := make([]kafka.Message, len(entries))
	for i, e := range entries {
		if e.Key == nil {
			return nil, fmt.Errorf("table %s: entry %d has no key", w.t.topic, i)
		}
		msgs[i] = kafka.Message{Key: e.Key, Value: e.Value}
	}
	return msgs, nil
}

// write writes pending, retrying what failed, until ctx ends. With check set, it asks check
// before each round and waits each round's WriteMessages to its end whatever ctx does (see
// WriteChecked). left is how many of the caller's total entries are not written yet, pending
// the first of them, for the error.
func (w *Writer) write(ctx context.Context, check func() error, pending []kafka.Message, left, total int) error {
	wctx := ctx
	if check != nil {
		wctx = context.WithoutCancel(ctx)
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = w.t.opts.RetryMin, w.t.opts.RetryMax, 0
	for {
		if check != nil {
			if err := cmp.Or(check(), ctx.Err()); err != nil {
				return fmt.Errorf("table %s: %d of %d entries not written: %w", w.t.topic, left, total, err)
			}
		}
		err := w.w.WriteMessages(wctx, pending...)
		if err == nil {
			return nil
		}
		failed, ferr := w.failed(pending, err)
		if ferr != nil {
			return ferr
		}
		if len(failed) == 0 {
			return nil
		}
		left -= len(pending) - len(failed)
		wait := b.NextBackOff()
		w.t.log.Warn("kafka table write failed; retrying", "entries", len(failed), "retry_in", wait, "err", summarize(err))
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("table %s: %d of %d entries not acknowledged: %w", w.t.topic, left, total, serr)
		}
		pending = failed
	}
}

// summarize says what a failed WriteMessages failed of: for kafka-go's WriteErrors, which
// prints every entry's error, how many entries failed and each distinct error once.
func summarize(err error) string {
	var werrs kafka.WriteErrors
	if !errors.As(err, &werrs) {
		return err.Error()
	}
	var distinct []string
	seen := map[string]bool{}
	for _, e := range werrs {
		if e == nil || seen[e.Error()] {
			continue
		}
		seen[e.Error()] = true
		distinct = append(distinct, e.Error())
	}
	return fmt.Sprintf("%d entries: %s", werrs.Count(), strings.Join(distinct, "; "))
}

// failed returns the messages of a failed WriteMessages to try again, or an error if one
// failed for good. Kafka-go fails batches, and a key's entries may span two batches: an entry
// that a later, acknowledged entry of its key replaced is not retried, so a retry can never
// put an older value back on top of a newer one.
func (w *Writer) failed(pending []kafka.Message, err error) ([]kafka.Message, error) {
	var werrs kafka.WriteErrors
	if !errors.As(err, &werrs) || len(werrs) != len(pending) {
		if !retriable(err) {
			return nil, fmt.Errorf("table %s: write %d entries: %w", w.t.topic, len(pending), err)
		}
		return pending, nil
	}
	lastAcked := map[string]int{}
	for i, e := range werrs {
		if e == nil {
			lastAcked[string(pending[i].Key)] = i
		}
	}
	var failed []kafka.Message
	for i, e := range werrs {
		if e == nil {
			continue
		}
		if !retriable(e) {
			return nil, fmt.Errorf("table %s: write key %q: %w", w.t.topic, pending[i].Key, e)
		}
		if j, ok := lastAcked[string(pending[i].Key)]; ok && j > i {
			continue
		}
		failed = append(failed, pending[i])
	}
	return failed, nil
}

// Close flushes and closes the writer.
func (w *Writer) Close() error { return w.w.Close() }
