package kafkatable

import (
	"context"
	"errors"
	"fmt"
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
		MaxAttempts:  3, // a leader moving; Write's own backoff covers a broker being down
		WriteTimeout: t.opts.RequestTimeout,
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
func (w *Writer) Write(ctx context.Context, entries ...Entry) error {
	pending := make([]kafka.Message, len(entries))
	for i, e := range entries {
		if e.Key == nil {
			return fmt.Errorf("table %s: entry %d has no key", w.t.topic, i)
		}
		pending[i] = kafka.Message{Key: e.Key, Value: e.Value}
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = w.t.opts.RetryMin, w.t.opts.RetryMax, 0
	for {
		err := w.w.WriteMessages(ctx, pending...)
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
		wait := b.NextBackOff()
		w.t.log.Warn("kafka table write failed; retrying", "entries", len(failed), "retry_in", wait, "err", err)
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("table %s: %d of %d entries not acknowledged: %w", w.t.topic, len(failed), len(entries), serr)
		}
		pending = failed
	}
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
