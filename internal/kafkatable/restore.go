package kafkatable

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// FirstOffset, as the from of Restore or Follow, starts at the oldest record of the partition.
const FirstOffset = kafka.FirstOffset

// Record is one record of a table partition. Value is nil for a tombstone (the key was
// deleted). Key and Value point into a buffer that is reused after the callback returns.
type Record struct {
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	// Time is the record's timestamp: when its producer wrote it (the topic's
	// message.timestamp.type decides; CreateTime by default).
	Time time.Time
	// Unfenced is set when the record's batch carries no producer id: written by a writer
	// without one (kafka-go's, a wirestream before round 20 or with the changelog fence off),
	// which no producer epoch fences. False when it carries one, or the fetch did not say.
	Unfenced bool
}

// OffsetOutOfRangeError says that a read asked for an offset the partition no longer (or not
// yet) has: a snapshot older than the log's start, or a topic re-created since.
type OffsetOutOfRangeError struct {
	Topic      string
	Partition  int
	Offset     int64
	Start, End int64
}

func (e *OffsetOutOfRangeError) Error() string {
	return fmt.Sprintf("table %s/%d: offset %d is outside the log [%d, %d): restore from the first offset",
		e.Topic, e.Partition, e.Offset, e.Start, e.End)
}

// Restore hands fn every record of partition p from offset from (FirstOffset for the oldest)
// up to the partition's high watermark as it is when Restore begins, in offset order, and
// returns the offset after the last one read: where a Follow resumes. An error from fn stops
// the restore and is returned as it is.
func (t *Table) Restore(ctx context.Context, p int, from int64, fn func(Record) error) (next int64, err error) {
	first, end, err := t.Bounds(ctx, p)
	if err != nil {
		return 0, err
	}
	return t.RestoreWithin(ctx, p, from, first, end, fn)
}

// RestoreWithin is Restore for a caller that already holds the partition's bounds (Bounds):
// it reads from offset from up to end without asking the broker for them again.
func (t *Table) RestoreWithin(ctx context.Context, p int, from, first, end int64, fn func(Record) error) (next int64, err error) {
	if err := t.checkPartition(p); err != nil {
		return 0, err
	}
	start := time.Now()
	offset, err := t.startAt(p, from, first, end)
	if err != nil {
		return 0, err
	}
	r := t.newReader(p)
	next, err = r.read(ctx, offset, end, fn)
	if err == nil {
		t.m.restoreSeconds.WithLabelValues(t.topic).Observe(time.Since(start).Seconds())
		t.log.Debug("restored table partition", "partition", p, "from", offset, "next_offset", next,
			"records", r.records, "duration", time.Since(start))
	}
	return next, err
}

// RestoreAll restores every partition from its oldest record, several at once, and returns
// each partition's next offset. fn is never called concurrently; records of one partition
// arrive in offset order, records of different partitions interleave.
func (t *Table) RestoreAll(ctx context.Context, fn func(Record) error) (map[int]int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		next  = make(map[int]int64, t.partitions)
		errs  []error
		wg    sync.WaitGroup
		slots = make(chan struct{}, 4) // a few partitions in flight keep the broker and decoding busy
	)
	serial := func(r Record) error {
		mu.Lock()
		defer mu.Unlock()
		return fn(r)
	}
	for p := range t.partitions {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			n, err := t.Restore(ctx, p, FirstOffset, serial)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				cancel()
				return
			}
			next[p] = n
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return next, nil
}

// Follow restores partition p from offset from like Restore, calls caughtUp (if not nil) with
// the next offset once it has, and then keeps handing fn each new record until ctx ends, when
// it returns ctx's error. A warm standby follows the partitions it may take over.
func (t *Table) Follow(ctx context.Context, p int, from int64, fn func(Record) error, caughtUp func(next int64)) error {
	return t.FollowBatches(ctx, p, from, fn, caughtUp, nil)
}

// FollowBatches is Follow that also calls settled once the restore is done (after caughtUp)
// and then after each read of the log that handed fn records (one fetch's worth: a producer's
// batch or more), so that a caller acts once per batch of changes rather than once per record.
// An error from settled stops the follow and is returned as it is.
func (t *Table) FollowBatches(ctx context.Context, p int, from int64, fn func(Record) error, caughtUp func(next int64), settled func() error) error {
	next, err := t.Restore(ctx, p, from, fn)
	if err != nil {
		return err
	}
	if caughtUp != nil {
		caughtUp(next)
	}
	if settled != nil {
		// The restore's records too: they came after the caller's own
		// snapshot (FeedList.Follow reads one first).
		if err := settled(); err != nil {
			return err
		}
	}
	r := t.newReader(p)
	r.settled = settled
	_, err = r.read(ctx, next, -1, fn)
	return err
}

// Bounds returns the first offset and the high watermark of partition p, retrying broker
// errors until ctx ends: the offsets a Restore from FirstOffset would read.
func (t *Table) Bounds(ctx context.Context, p int) (first, end int64, err error) {
	if err := t.checkPartition(p); err != nil {
		return 0, 0, err
	}
	return t.bounds(ctx, p)
}

// bounds returns the first offset and the high watermark of partition p, retrying broker
// errors until ctx ends.
func (t *Table) bounds(ctx context.Context, p int) (first, end int64, err error) {
	err = t.retry(ctx, p, "list offsets", func() error {
		res, err := t.cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
			t.topic: {kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p)},
		}})
		if err != nil {
			return err
		}
		for _, po := range res.Topics[t.topic] {
			if po.Partition == p {
				if po.Error != nil {
					return po.Error
				}
				first, end = po.FirstOffset, po.LastOffset
				return nil
			}
		}
		return fmt.Errorf("no offsets for partition %d in the answer", p)
	})
	return first, end, err
}

func (t *Table) startAt(p int, from, first, end int64) (int64, error) {
	if from == FirstOffset {
		return first, nil
	}
	if from < first || from > end {
		return 0, &OffsetOutOfRangeError{Topic: t.topic, Partition: p, Offset: from, Start: first, End: end}
	}
	return from, nil
}

// retry runs op until it succeeds, fails for good, or ctx ends, backing off between attempts.
// p is the partition op is about, or -1.
func (t *Table) retry(ctx context.Context, p int, what string, op func() error) error {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = t.opts.RetryMin, t.opts.RetryMax, 0
	attempt := 0
	// A leader moving (or a topic just created) costs a few retries: worth a warning only
	// when it lasts (Options.RetryWarnAfter), however many attempts that took, counted from
	// the first attempt (quietretry's rule, shared with group joins and sink writes).
	failing := quietretry.Run{WarnAfter: t.opts.RetryWarnAfter}
	failing.Since(time.Now())
	var last error
	err := backoff.RetryNotify(func() error {
		attempt++
		err := op()
		if err == nil || ctx.Err() != nil {
			if ctx.Err() != nil {
				return backoff.Permanent(ctx.Err())
			}
			if lasted, warned := failing.Succeeded(time.Now()); warned {
				t.log.Info("kafka table read went through after failing", "partition", p, "op", what, "attempt", attempt,
					quietretry.Lasted(lasted))
			}
			return nil
		}
		last = err
		if !retriable(err) {
			if p < 0 { // not about one partition
				return backoff.Permanent(fmt.Errorf("table %s: %s: %w", t.topic, what, err))
			}
			return backoff.Permanent(fmt.Errorf("table %s/%d: %s: %w", t.topic, p, what, err))
		}
		return err
	}, backoff.WithContext(b, ctx), func(err error, wait time.Duration) {
		t.m.retries.WithLabelValues(t.topic).Inc()
		now := time.Now()
		t.log.Log(ctx, failing.Failed(now), "kafka table read failed; retrying", "partition", p, "op", what, "attempt", attempt,
			"retry_in", wait, failing.FailingFor(now), "err", err)
	})
	if err != nil && ctx.Err() != nil && last != nil && errors.Is(err, ctx.Err()) {
		// Ended while retrying: say what kept failing, and where (a start or takeover that
		// gave up otherwise reads only "context deadline exceeded").
		return fmt.Errorf("table %s: %s: %w after %d attempts (last error: %v; the brokers %s)",
			t.topic, what, err, attempt, last, strings.Join(t.cn.Brokers(), ","))
	}
	return err
}

// retriable reports whether err may go away by itself: what wkafka.Retriable says of an admin
// request (a broker error Kafka calls retriable, a partition without a leader in kafka-go's
// metadata, a request that timed out, a connection cut), and also a refused connection or a
// broker name that does not resolve. A start gives up on those at once (no broker listens at
// kafka.brokers); a table's reads and writes outlive a broker's restart, when its address
// refuses connections for a while (the soak's kills). The caller has checked its own context
// already.
func retriable(err error) bool {
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke.Temporary()
	}
	var ne net.Error
	return wkafka.Retriable(err) || errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &ne)
}

// reader reads one partition with reused key and value buffers.
type reader struct {
	t       *Table
	p       int
	key     []byte
	value   []byte
	records int64
	settled func() error // after each fetch that delivered records; nil: none
}

func (t *Table) newReader(p int) *reader { return &reader{t: t, p: p} }

// read hands fn the records in [offset, end) (end < 0: until ctx ends) and returns the offset
// after the last one.
func (r *reader) read(ctx context.Context, offset, end int64, fn func(Record) error) (int64, error) {
	t := r.t
	counter := t.m.records.WithLabelValues(t.topic)
	for end < 0 || offset < end {
		wait := t.opts.FollowWait
		if end >= 0 {
			// Restoring: the records are there, a fetch should not wait for more.
			wait = 10 * time.Millisecond
		}
		var res *kafka.FetchResponse
		err := t.retry(ctx, r.p, "fetch", func() error {
			var err error
			res, err = t.cl.Fetch(ctx, &kafka.FetchRequest{
				Topic: t.topic, Partition: r.p, Offset: offset,
				MinBytes: 1, MaxBytes: int64(t.opts.FetchBytes), MaxWait: wait,
			})
			if err == nil && res.Error != nil {
				err = res.Error
			}
			return err
		})
		if errors.Is(err, kafka.OffsetOutOfRange) {
			return offset, &OffsetOutOfRangeError{Topic: t.topic, Partition: r.p, Offset: offset, Start: -1, End: -1}
		}
		if err != nil {
			if ctx.Err() != nil {
				return offset, ctx.Err()
			}
			return offset, err
		}
		before := offset
		n, err := r.deliver(res.Records, &offset, end, fn)
		counter.Add(float64(n))
		r.records += n
		if err != nil {
			return offset, err
		}
		if n > 0 && r.settled != nil {
			if err := r.settled(); err != nil {
				return offset, err
			}
		}
		if offset == before && res.Throttle == 0 && res.HighWatermark > offset {
			// Nothing readable although the log goes on: every record in [offset, high
			// watermark) was compacted away (a batch may survive empty for its producer's
			// sake). A fetch returns the first batch with records even beyond MaxBytes, so
			// an empty answer means there is none.
			offset = res.HighWatermark
			if end >= 0 && offset > end {
				offset = end
			}
		}
		if res.Throttle > 0 {
			if err := sleep(ctx, res.Throttle); err != nil {
				return offset, err
			}
		}
	}
	return offset, nil
}

// deliver hands fn the records of one fetch at or after *offset and before end (if end >= 0),
// advancing *offset past each.
func (r *reader) deliver(recs kafka.RecordReader, offset *int64, end int64, fn func(Record) error) (int64, error) {
	var n int64
	next := recordsByBatch(recs)
	for {
		rec, unfenced, err := next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("table %s/%d: decode record after offset %d: %w", r.t.topic, r.p, *offset, err)
		}
		if rec.Offset < *offset {
			// A fetch starts at the batch that holds offset, which may begin earlier.
			closeBytes(rec.Key, rec.Value)
			continue
		}
		if end >= 0 && rec.Offset >= end {
			// Past the end: every record below it has been seen.
			closeBytes(rec.Key, rec.Value)
			*offset = end
			return n, nil
		}
		var key, value []byte
		if r.key, key, err = readBytes(r.key, rec.Key); err == nil {
			r.value, value, err = readBytes(r.value, rec.Value)
		}
		closeBytes(rec.Key, rec.Value)
		if err != nil {
			return n, fmt.Errorf("table %s/%d: read record %d: %w", r.t.topic, r.p, rec.Offset, err)
		}
		if err := fn(Record{Partition: r.p, Offset: rec.Offset, Key: key, Value: value, Time: rec.Time, Unfenced: unfenced}); err != nil {
			return n, err
		}
		n++
		*offset = rec.Offset + 1
	}
}

// readBytes reads b into buf (grown as needed) and returns the buffer and the bytes read: nil
// for a null (a tombstone's value), empty but not nil for zero bytes.
func readBytes(buf []byte, b kafka.Bytes) (newBuf, out []byte, err error) {
	if b == nil {
		return buf, nil, nil
	}
	n := b.Len()
	if cap(buf) < n {
		buf = make([]byte, n, max(n, 2*cap(buf)))
	}
	out = buf[:n]
	if _, err := io.ReadFull(b, out); err != nil {
		return buf, nil, err
	}
	return buf, out, nil
}

// closeBytes returns a record's pages to kafka-go's pool.
func closeBytes(bs ...kafka.Bytes) {
	for _, b := range bs {
		if b != nil {
			b.Close()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Load restores partition p from its oldest record into a map of key to value (tombstones
// delete), and returns it with the next offset: for tables small enough to hold whole.
func (t *Table) Load(ctx context.Context, p int) (map[string][]byte, int64, error) {
	m := map[string][]byte{}
	next, err := t.Restore(ctx, p, FirstOffset, foldInto(m))
	if err != nil {
		return nil, 0, err
	}
	return m, next, nil
}

// LoadAll is Load over every partition.
func (t *Table) LoadAll(ctx context.Context) (map[string][]byte, error) {
	m := map[string][]byte{}
	if _, err := t.RestoreAll(ctx, foldInto(m)); err != nil {
		return nil, err
	}
	return m, nil
}

func foldInto(m map[string][]byte) func(Record) error {
	return func(r Record) error {
		if r.Value == nil {
			delete(m, string(r.Key))
		} else {
			m[string(r.Key)] = bytes.Clone(r.Value)
		}
		return nil
	}
}
