// Package itemtopic is the source of the processor role: it reads the
// items topic that fetchers write (sinks/kafka.ItemMessage) from the
// consumer group's committed offset, hands the pipeline record.Batch
// values of consecutive items, and commits an offset only once every
// batch before it was acknowledged — the pipeline acks a batch after the
// sink has every record derived from it and its state is committed — so
// the group's offset never runs ahead of what Kafka holds downstream.
//
// It promises:
//   - Batches go out in offset order, each at most BatchItems items, and a
//     batch waits at most Linger for more items after its first.
//   - Commit is called with the offset after the last of a run of
//     consecutive acknowledged batches, in increasing order, never past a
//     batch that was not acknowledged. A batch acked with an error stops
//     the read: Run returns a *BatchFailedError and the offset to resume
//     from (the failed batch's first), so nothing after it is skipped.
//   - An item message that cannot be decoded is not dropped: it becomes a
//     dead letter (stage read) published with its batch.
//   - When ctx ends, Run stops reading, closes out (so the pipeline drains
//     what it holds), waits up to DrainTimeout for the answers and commits
//     what they allow. Whatever it could not commit is read again by the
//     next owner of the partition: at-least-once, never lost.
package itemtopic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Options shape a Reader.
type Options struct {
	// BatchItems is the most items a batch holds (≥ 1).
	BatchItems int
	// Linger is how long a batch waits for more items after its first
	// (default 20 ms): latency traded for fewer, larger batches.
	Linger time.Duration
	// DrainTimeout bounds the wait for the answers of batches in flight
	// once Run stops (default 60 s; the processor sets shutdown_timeout).
	DrainTimeout time.Duration
	Log          *slog.Logger
	// Now stamps dead letters; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Linger <= 0 {
		o.Linger = 20 * time.Millisecond
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Reader reads one items topic.
type Reader struct {
	t *kafkatable.Table
	o Options
	m *Metrics
}

// Open returns a reader of topic, which must exist. tm are the table
// reader's metrics and m the reader's; either may be nil.
func Open(ctx context.Context, cn wkafka.Conn, topic string, o Options, tm *kafkatable.Metrics, m *Metrics) (*Reader, error) {
	if o.BatchItems < 1 {
		return nil, fmt.Errorf("items reader: batch size must be >= 1, got %d", o.BatchItems)
	}
	o = o.withDefaults()
	if m == nil {
		m = NewMetrics(nil)
	}
	t, err := kafkatable.Open(ctx, cn, topic, kafkatable.Options{FetchBytes: 4 << 20}, o.Log, tm)
	if err != nil {
		return nil, fmt.Errorf("items reader: %w", err)
	}
	return &Reader{t: t, o: o, m: m}, nil
}

// Topic returns the items topic's name.
func (r *Reader) Topic() string { return r.t.Topic() }

// Close releases the reader's connections.
func (r *Reader) Close() error { return r.t.Close() }

// FirstOffset, as Run's from, starts at the oldest item the topic keeps.
const FirstOffset = kafkatable.FirstOffset

// BatchFailedError says that the pipeline acked a batch with an error:
// nothing from its first offset on may be committed, and the items are
// read again from there.
type BatchFailedError struct {
	Offset int64 // the failed batch's first offset
	Err    error
}

func (e *BatchFailedError) Error() string {
	return fmt.Sprintf("items batch from offset %d failed: %v", e.Offset, e.Err)
}

func (e *BatchFailedError) Unwrap() error { return e.Err }

// CommitError says that the offset after acknowledged batches could not be
// committed: the partition has most likely moved to another member, which
// reads those batches again. The reader must not go on with the partition.
type CommitError struct {
	Offset int64 // the last offset committed
	Err    error
}

func (e *CommitError) Error() string {
	return fmt.Sprintf("commit items offset after %d: %v", e.Offset, e.Err)
}

func (e *CommitError) Unwrap() error { return e.Err }

// entry is one item message read, decoded or not.
type entry struct {
	partition int
	offset    int64
	item      record.Item
	dead      *record.DeadLetter
}

// Position names a message of the items topic as "topic:partition:offset"
// ("wirestream.items:0:1234"): a batch's Origins and a dead letter's error
// say where its item was, so an operator reads that one message with
// `kcat -b BROKER -t wirestream.items -p 0 -o 1234 -c 1`.
func Position(topic string, partition int, offset int64) string {
	return string(appendPosition(make([]byte, 0, len(topic)+24), topic, partition, offset))
}

func appendPosition(b []byte, topic string, partition int, offset int64) []byte {
	b = append(append(b, topic...), ':')
	b = append(strconv.AppendInt(b, int64(partition), 10), ':')
	return strconv.AppendInt(b, offset, 10)
}

// origins builds a batch's Origins: the Position of each item written
// one after another into buf, and cut from one string once the batch is
// complete — two allocations a batch, where a string per item made two
// an item (the offset's digits and the concatenation). The buffers are
// reused batch after batch; the strings handed out are copies.
type origins struct {
	topic string
	buf   []byte
	ends  []int // where each item's Position ends in buf
}

func (o *origins) add(partition int, offset int64) {
	o.buf = appendPosition(o.buf, o.topic, partition, offset)
	o.ends = append(o.ends, len(o.buf))
}

// take returns the Positions added since the last take, in order; nil
// when there were none (a batch of dead letters alone, as before).
func (o *origins) take() []string {
	if len(o.ends) == 0 {
		return nil
	}
	all := string(o.buf)
	out := make([]string, len(o.ends))
	start := 0
	for i, end := range o.ends {
		out[i], start = all[start:end], end
	}
	o.reset()
	return out
}

func (o *origins) reset() { o.buf, o.ends = o.buf[:0], o.ends[:0] }

// Run reads partition p from offset from (FirstOffset for the oldest) and
// sends batches to out until ctx ends or a batch fails, then closes out,
// waits for the answers of the batches sent (up to DrainTimeout) and
// commits what they allow. It returns the offset to resume from — the
// last one committed, or from if none was — and nil when ctx ended, a
// *BatchFailedError after a failed batch, or the read's or the commit's
// error. commit must fail once the partition is no longer this reader's
// (a consumer group generation's commit does).
//
// seen reports whether batches were sent past next: their items reached
// the consumer but were not committed (a failed or unanswered batch, a
// refused commit), so reading again from next hands it items it has seen.
// A consumer whose memory holds what it made of them — the pipeline's
// events and spikes — must not read them again on that memory.
func (r *Reader) Run(ctx context.Context, p int, from int64, out chan<- record.Batch, commit func(next int64) error) (next int64, seen bool, err error) {
	readCtx, stopRead := context.WithCancel(ctx)
	defer stopRead()
	c := newCommitter(from, commit, r.m, r.o.Log)
	entries := make(chan entry, r.o.BatchItems)
	var readErr error // set before entries closes
	go func() {
		defer close(entries)
		readErr = r.t.Follow(readCtx, p, from, func(rec kafkatable.Record) error {
			select {
			case entries <- r.decode(rec):
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		}, nil)
	}()

	var runErr error
	where := &origins{topic: r.t.Topic()}
	for runErr == nil {
		batch, err := r.collect(readCtx, entries, c.failed, where)
		if err != nil {
			runErr = err // a partial batch is dropped: it was not sent, so not committed
			break
		}
		b := batch.Batch
		b.Ack = c.track(batch.first, batch.next)
		select {
		case out <- b:
			r.m.batches.Inc()
		case <-readCtx.Done():
			c.untrack(batch.first)
			runErr = readCtx.Err()
		}
	}
	stopRead()
	close(out)
	for range entries { // until the read has stopped
	}
	if errors.Is(runErr, errReadStopped) {
		runErr = fmt.Errorf("read items from %s/%d: %w", r.t.Topic(), p, readErr)
	}
	next, seen, cerr := c.drain(r.o.DrainTimeout)
	switch {
	case cerr != nil:
		return next, seen, &CommitError{Offset: next, Err: cerr}
	case errors.Is(runErr, context.Canceled) && ctx.Err() != nil:
		return next, seen, nil
	}
	return next, seen, runErr
}

// errReadStopped ends a batch when the read of the partition ended.
var errReadStopped = errors.New("the read stopped")

// collected is a batch with the offsets it covers, [first, next).
type collected struct {
	record.Batch
	first, next int64
}

// collect waits for the first item of a batch, then takes more until the
// batch is full or Linger has passed. A failed batch ends it. where
// makes the batch's Origins; a batch cut short by an error has none.
func (r *Reader) collect(ctx context.Context, entries <-chan entry, failed <-chan error, where *origins) (c collected, err error) {
	where.reset() // what a batch cut short by an error left
	defer func() {
		if err == nil {
			c.Origins = where.take()
		}
	}()
	started := false
	add := func(e entry) {
		if !started {
			c.first, started = e.offset, true
		}
		c.next = e.offset + 1
		if e.dead != nil {
			c.DeadLetters = append(c.DeadLetters, e.dead)
		} else {
			c.Items = append(c.Items, e.item)
			where.add(e.partition, e.offset)
		}
	}
	select {
	case e, ok := <-entries:
		if !ok {
			return c, errReadStopped
		}
		add(e)
	case err := <-failed:
		return c, err
	case <-ctx.Done():
		return c, ctx.Err()
	}
	linger := time.NewTimer(r.o.Linger)
	defer linger.Stop()
	for len(c.Items)+len(c.DeadLetters) < r.o.BatchItems {
		select {
		case e, ok := <-entries:
			if !ok {
				return c, errReadStopped
			}
			add(e)
		case <-linger.C:
			return c, nil
		case err := <-failed:
			return c, err
		case <-ctx.Done():
			return c, ctx.Err()
		}
	}
	return c, nil
}

// decode turns one message into an item (collect gives it its Position), or into a dead
// letter that says where the message is and why it is no item.
func (r *Reader) decode(rec kafkatable.Record) entry {
	r.m.items.Inc()
	it, err := wkafka.DecodeItem(rec.Value)
	if err == nil {
		return entry{partition: rec.Partition, offset: rec.Offset, item: it}
	}
	r.m.undecodable.Inc()
	where := Position(r.t.Topic(), rec.Partition, rec.Offset)
	r.o.Log.Error("item message is not an item; publishing it as a dead letter", "at", where, "err", err)
	dl := record.NewDeadLetter(record.StageRead, deadLetterSubject(r.t.Topic(), rec.Partition, rec.Offset), string(rec.Key),
		fmt.Errorf("%s: %w", where, err), r.o.Now())
	return entry{partition: rec.Partition, offset: rec.Offset, dead: dl.WithPayload(rec.Value)}
}

// deadLetterSubject is what an undecodable message's dead letter id is derived from
// (record.NewDeadLetter): "topic/partition@offset", as every version before round 21 spelled
// it. Round 21 derived it from Position ("topic:partition:offset") and so gave a message read
// again across the upgrade — a processor that restarts before its commit, a partition handed
// over — a second dead letter under another id, which the compacted dead_letters topic keeps
// beside the first. The error still starts with Position, the place kcat takes.
func deadLetterSubject(topic string, partition int, offset int64) string {
	return topic + "/" + strconv.Itoa(partition) + "@" + strconv.FormatInt(offset, 10)
}
