package kafkatable

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
	// cl sends WriteChecked's produce requests, one request a chunk, on w's transport; p is
	// the partition of a partition writer, -1 for a writer that places entries by key.
	cl *kafka.Client
	p  int

	mu       sync.Mutex
	producer *producer   // InitProducer's identity (producer.go); nil: batches carry none
	twice    atomic.Bool // AppendedTwice
	// failing is the failure a write is retrying (its first, and the latest error), nil while
	// none is: Failing.
	failing atomic.Pointer[writeFailure]
}

// writeFailure is a write that keeps failing: since its first failed attempt, err the latest.
type writeFailure struct {
	since time.Time
	err   error
}

// retrying notes a failed attempt that is about to be retried.
func (w *Writer) retrying(err error) {
	since := time.Now()
	if f := w.failing.Load(); f != nil {
		since = f.since
	}
	w.failing.Store(&writeFailure{since: since, err: err})
}

// Failing returns, while a write of this writer is retrying a failure, an error that names the
// table, how long writes have failed and the latest cause; nil once a write got through (or
// stopped retrying) and before any failed. It is meant for a writer that writes one call at a
// time (a changelog's appends): of writes at once, the first to end clears it for all.
func (w *Writer) Failing() error {
	f := w.failing.Load()
	if f == nil {
		return nil
	}
	return fmt.Errorf("table %s: writes failing for %s, retrying: %w", w.t.topic, time.Since(f.since).Round(time.Second), f.err)
}

// NewWriter returns a writer for the table. Close it when done.
func (t *Table) NewWriter() *Writer {
	return t.newWriter(balancer{partitions: t.partitions}, -1)
}

// NewPartitionWriter returns a writer that puts every entry on partition p, whatever its key:
// for a changelog co-partitioned with an input topic, where partition p holds the state of
// whoever consumes input partition p (Kafka Streams' changelogs work so), not the partition
// of each state key.
func (t *Table) NewPartitionWriter(p int) (*Writer, error) {
	if err := t.checkPartition(p); err != nil {
		return nil, err
	}
	return t.newWriter(pinned(p), p), nil
}

// pinned is a balancer that always answers one partition.
type pinned int

func (p pinned) Balance(kafka.Message, ...int) int { return int(p) }

func (t *Table) newWriter(b kafka.Balancer, p int) *Writer {
	var tr kafka.RoundTripper = t.metadata()
	if t.opts.WrapWrites != nil {
		tr = t.opts.WrapWrites(tr)
	}
	addr := kafka.TCP(t.cn.Brokers()...)
	return &Writer{t: t, p: p, cl: &kafka.Client{Addr: addr, Transport: tr, Timeout: t.opts.WriteTimeout}, w: &kafka.Writer{
		Addr:         addr,
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
// batch of the write, one after another, under a context of its own (WriteTimeout, up to
// WriteAttempts times). WriteChecked does not have that tail.
func (w *Writer) Write(ctx context.Context, entries ...Entry) error {
	pending, err := w.messages(entries)
	if err != nil {
		return err
	}
	return w.write(ctx, pending, len(entries), len(entries))
}

// WriteChecked writes the entries of a partition writer as Write does, but so that a write
// stopped part-way hands nothing more to the transport once it has returned, and ctx's end
// stops its wait at once: it sends one batch's worth of entries at a time (at most BatchSize
// entries of at most BatchBytes) as one produce request of its own (kafka.Client.Produce, not
// kafka-go's Writer), waits for that chunk's acknowledgement before the next, and asks check
// (nil: none) before each chunk and each retry. When ctx ends — the state changelog's fence
// cancels it the moment its generation ends — the wait for the chunk on the wire ends with it,
// and nothing of it is sent again. The request itself is not cancelled: kafka-go's connection
// keeps a request it wrote until its deadline (WriteTimeout) whatever its context says, and a
// leader that held it may append it then, so the request runs under WriteTimeout alone and its
// answer is kept for PartialWriteError.Settle. kafka-go's Writer, which WriteChecked used
// before, went on sending every batch it was handed whatever the context of WriteMessages
// said, so a cut write had to be waited for to the end of its produce timeout, and that
// timeout had to be short for the sake of the consumer group's rebalance (BENCHMARKS.md, round
// 17). check's error, or ctx's end, stops the write; when WriteChecked returns, no entry it
// was given is queued in this process, and at most the one chunk on the wire is still waiting
// for its answer (up to WriteTimeout). What landed of a stopped write is a prefix of it: the
// chunks acknowledged, and perhaps the chunk whose request was on the wire when it stopped (a
// produce request sent is not taken back: its records may be appended at the leader, or
// already were while it waited for the in-sync replicas).
//
// This is the state changelog's fence (internal/kafkastate): a processor whose generation ended
// must send none of an append once it lets its member rejoin, or the tail of a big append could
// land in a partition its next owner has restored. The cost on the happy path is one produce
// request a batch, as kafka-go's Writer sends a partition's batches one at a time anyway.
//
// Its error is a *PartialWriteError that says how many of the entries, from the first, were
// acknowledged before the write stopped, and how many were on the wire: a caller that writes
// the rest again later (the changelog, when the next generation carries its drain on) need not
// send the acknowledged ones again, and settles the chunk on the wire first (Settle), so that
// it does not land on top of the rewrite.
func (w *Writer) WriteChecked(ctx context.Context, check func() error, entries ...Entry) error {
	if w.p < 0 {
		return fmt.Errorf("table %s: WriteChecked needs a partition writer (NewPartitionWriter)", w.t.topic)
	}
	msgs, err := w.messages(entries)
	if err != nil {
		return err
	}
	acked, twice := 0, false
	for len(msgs) > 0 {
		n := w.chunk(msgs)
		onWire, doubt, err := w.produce(ctx, check, msgs[:n], len(msgs), len(entries))
		if err != nil {
			pe := &PartialWriteError{Acknowledged: acked, Err: err, doubt: doubt || twice}
			if onWire != nil {
				pe.OnTheWire, pe.onWire = n, onWire
			}
			return pe
		}
		twice = twice || doubt
		msgs = msgs[n:]
		acked += n
	}
	if twice {
		w.twice.Store(true)
	}
	return nil
}

// AppendedTwice reports, and forgets, whether a WriteChecked that returned nil since the last
// call may have put a chunk in the partition twice: a send of it failed with its outcome open
// (mayHaveAppended) and, carrying no producer id, a later send was acknowledged. The partition
// then holds at least, not exactly, the entries written.
func (w *Writer) AppendedTwice() bool { return w.twice.Swap(false) }

// PartialWriteError is WriteChecked's error: the first Acknowledged entries were acknowledged
// (every in-sync replica has them); the OnTheWire entries after them, when there are any, are
// the chunk whose produce request was on the wire when the write stopped, which may land yet
// (a produce request sent is not taken back; Settle waits for its answer); none after them was
// sent. Uncounted says whether more than Acknowledged entries may have landed.
type PartialWriteError struct {
	Acknowledged int
	OnTheWire    int
	Err          error

	onWire *request // the chunk's request on the wire, nil once settled
	// doubt: a send of the chunk after Acknowledged failed without saying that the leader
	// appended nothing (mayHaveAppended), or, without a producer id, was acknowledged after
	// such a send (the chunk may be in the partition twice).
	doubt bool
}

// Uncounted reports whether the partition may hold more of the write's entries than the first
// Acknowledged, now or later: the chunk on the wire is not settled, or a send of the chunk
// that failed left its outcome open (no answer by the deadline, REQUEST_TIMED_OUT, a
// connection cut after the request left; mayHaveAppended). False, exactly Acknowledged
// entries landed and no more will: the broker refused the rest before appending it
// (NOT_ENOUGH_REPLICAS, MESSAGE_TOO_LARGE…), or it was never sent. The state changelog keeps
// its count of its own records by it (kafkastate.Log.SoleWriter).
func (e *PartialWriteError) Uncounted() bool { return e.onWire != nil || e.doubt }

// request is a produce request of one chunk that goes on under a context of its own (the
// caller's values and WriteTimeout, not the caller's cancel), as kafka-go keeps a request it
// wrote to a connection until its deadline anyway: outcome delivers its answer, by deadline.
type request struct {
	outcome  <-chan error
	deadline time.Time
	acked    func() // moves the writer's producer sequence past the chunk (producer.go)
	// sequenced: the chunk carries a producer id and sequence, so that a leader that appended
	// an earlier send of it answers a later one without appending it again.
	sequenced bool
}

func (e *PartialWriteError) Error() string { return e.Err.Error() }
func (e *PartialWriteError) Unwrap() error { return e.Err }

// Settle waits for the answer to the chunk that was on the wire when the write stopped, until
// it comes, its request's deadline (the writer's WriteTimeout after its sending) has passed by
// settleGrace, or ctx ends, and returns how many
// entries, from the first, are known written: Acknowledged, plus OnTheWire if the broker
// acknowledged that chunk after all. A chunk refused, timed out or not answered before ctx
// ended is not counted: it may still land (a timed-out request is not taken back), but a
// caller that writes it again after Settle has returned only overtakes it if the broker holds
// it past the writer's WriteTimeout.
//
// A caller that writes the unacknowledged entries again later (the state changelog, when the
// next generation carries the cut append on) settles first, so that the late answer of the
// cut chunk lands, if it lands, before the rewrite and the writes after it, and not on top of
// them with older values.
// settleGrace is how long past its request's deadline Settle still waits for a chunk's answer:
// kafka-go ends the request at the deadline, and its goroutine hands the outcome on at once.
const settleGrace = time.Second

func (e *PartialWriteError) Settle(ctx context.Context) int {
	if e.onWire == nil {
		return e.Acknowledged
	}
	ctx, cancel := context.WithDeadline(ctx, e.onWire.deadline.Add(settleGrace))
	defer cancel()
	select {
	case err := <-e.onWire.outcome:
		if err == nil {
			e.Acknowledged += e.OnTheWire
			e.onWire.acked()
			e.doubt = e.doubt && !e.onWire.sequenced // an earlier send may have landed too
		} else {
			e.doubt = e.doubt || mayHaveAppended(err)
		}
		e.onWire = nil
		e.OnTheWire = 0
	case <-ctx.Done():
	}
	return e.Acknowledged
}

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

// write writes pending with kafka-go's Writer, retrying what failed, until ctx ends. left is
// how many of the caller's total entries are not written yet, pending the first of them, for
// the error.
func (w *Writer) write(ctx context.Context, pending []kafka.Message, left, total int) error {
	b := w.backoff()
	defer w.failing.Store(nil) // acknowledged, or given up: retrying no more
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
		left -= len(pending) - len(failed)
		wait := b.NextBackOff()
		w.retrying(err)
		w.t.log.Warn("kafka table write failed; retrying", "entries", len(failed), "retry_in", wait, "err", summarize(err))
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("table %s: %d of %d entries not acknowledged: %w", w.t.topic, left, total, serr)
		}
		pending = failed
	}
}

// produce sends one chunk as one produce request, and again after a retriable failure, until it
// is acknowledged, check fails or ctx ends. Each request is made under WriteTimeout: kafka-go
// asks the broker to wait half of that for the in-sync replicas. A chunk is one record batch
// that the broker appends or refuses whole, so a retry is of the whole chunk. left is how many
// of the caller's total entries are not written yet, the chunk the first of them. A nil check
// passes every time.
//
// ctx's end stops the wait for the answer, not the request (send): when it ends while a request
// is on the wire, produce returns that request with its error, for PartialWriteError.Settle.
// doubt says whether a send of the chunk that failed may have appended it (mayHaveAppended),
// or, when it was acknowledged in the end without a producer id, appended it once more.
func (w *Writer) produce(ctx context.Context, check func() error, chunk []kafka.Message, left, total int) (onWire *request, doubt bool, err error) {
	if check == nil {
		check = func() error { return nil }
	}
	b := w.backoff()
	// A chunk keeps its sequence through its retries: the leader answers a retry of a batch it
	// appended with that batch's offset and appends nothing (producer.go).
	pr, base := w.identity(), int32(0)
	if pr != nil {
		base = pr.sequence()
	}
	defer w.failing.Store(nil) // acknowledged, or given up: retrying no more
	for attempt := 0; ; attempt++ {
		if err := cmp.Or(check(), ctx.Err()); err != nil {
			when := "before their batch was sent"
			if attempt > 0 {
				when = "before their batch was sent again"
			}
			return nil, doubt, fmt.Errorf("table %s: %d of %d entries not written, stopped %s: %w", w.t.topic, left, total, when, err)
		}
		req := w.send(ctx, chunk, pr, base)
		select {
		case err = <-req.outcome:
		case <-ctx.Done():
			// Cut on the wire: check says why, or else ctx does.
			return req, doubt, fmt.Errorf("table %s: %d of %d entries not acknowledged, stopped while their batch was on the wire: %w",
				w.t.topic, left, total, cmp.Or(check(), context.Cause(ctx)))
		}
		if err == nil {
			req.acked()
			return nil, doubt && pr == nil, nil
		}
		doubt = doubt || mayHaveAppended(err)
		if !retriable(err) {
			return nil, doubt, fmt.Errorf("table %s: write %d entries: %w", w.t.topic, len(chunk), err)
		}
		wait := b.NextBackOff()
		w.retrying(err)
		w.t.log.Warn("kafka table write failed; retrying", "entries", len(chunk), "retry_in", wait, "err", err.Error())
		if serr := sleep(ctx, wait); serr != nil {
			return nil, doubt, fmt.Errorf("table %s: %d of %d entries not acknowledged, stopped while waiting to send their batch again: %w (it failed: %v)",
				w.t.topic, left, total, cmp.Or(check(), context.Cause(ctx)), err)
		}
	}
}

// send sends chunk (produceOnce) and returns the request, whose outcome arrives on its channel. It is
// made under ctx's values but not its cancel: kafka-go's connection keeps a request it wrote
// until the request's deadline (WriteTimeout) whatever its context says, and the broker may
// append it then, so a caller that stops waiting keeps the outcome, to wait for it before it
// writes the same entries again (PartialWriteError.Settle). The goroutine ends within
// WriteTimeout; the channel holds its one answer whether anyone reads it or not.
func (w *Writer) send(ctx context.Context, chunk []kafka.Message, pr *producer, base int32) *request {
	outcome := make(chan error, 1)
	// The request's context carries the deadline Settle waits to, so that the two are the same
	// instant whenever the goroutine starts: one taken in the goroutine could come later than
	// Settle's on a loaded machine, and Settle give up while the request is still live (review23,
	// N1).
	deadline := time.Now().Add(w.t.opts.WriteTimeout)
	ctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
	go func() {
		defer cancel()
		if pr != nil {
			outcome <- w.produceRaw(ctx, pr, base, chunk)
			return
		}
		outcome <- w.produceOnce(ctx, chunk)
	}()
	acked := func() {}
	if pr != nil {
		acked = func() { pr.acknowledged(base, len(chunk)) }
	}
	return &request{outcome: outcome, deadline: deadline, acked: acked, sequenced: pr != nil}
}

// produceOnce sends chunk to the writer's partition with acks=all, lz4, and waits for the
// answer until ctx ends (send gives it WriteTimeout's deadline).
func (w *Writer) produceOnce(ctx context.Context, chunk []kafka.Message) error {
	now := time.Now()
	records := make([]kafka.Record, len(chunk))
	for i, m := range chunk {
		records[i] = kafka.Record{Time: now, Key: kafka.NewBytes(m.Key), Value: kafka.NewBytes(m.Value)}
	}
	res, err := w.cl.Produce(ctx, &kafka.ProduceRequest{
		Topic: w.t.topic, Partition: w.p, RequiredAcks: kafka.RequireAll,
		Records: kafka.NewRecordReader(records...), Compression: w.w.Compression,
	})
	if err != nil {
		return err
	}
	if res.Error != nil {
		return fmt.Errorf("produce to %s/%d: %w", w.t.topic, w.p, res.Error)
	}
	return nil
}

func (w *Writer) backoff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = w.t.opts.RetryMin, w.t.opts.RetryMax, 0
	return b
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
