// Package kafkastate keeps a processor's state log (pipeline/state.Log) in
// a compacted Kafka changelog topic, the way Kafka Streams backs a task's
// state store: the processor that consumes partition p of the items topic
// appends its state — dedupe memory, events, spike baselines, what
// enrichment learned — to partition p of the changelog, and whoever takes
// partition p over restores it from there before its first batch.
//
// It promises:
//   - Append returns nil only when all in-sync replicas acknowledged every
//     entry (acks=all), in order, on the partition of the processor (not the
//     partition of each key): the changelog is co-partitioned with the items
//     topic, and one Append's entries keep their order.
//   - Restore reads the partition from its first offset to the high
//     watermark captured when it began (internal/kafkatable), handing the
//     entries in offset order; Kafka's compaction keeps the last entry of
//     every key, and tombstones delete.
//   - The local snapshot cache (optional) only shortens a restore: a
//     snapshot of the state in a file with the changelog offset it covers,
//     used only while the partition still holds that offset and the same
//     topic (a marker record written once per partition proves it); the
//     restore then reads the changelog from that offset on. A missing,
//     stale or damaged cache costs a full restore, never state.
//
// It does not fence by itself: two processors appending to one partition
// at once interleave their state. The consumer group must hand a
// partition to one active processor at a time (see internal/kafkagroup),
// and Options.Fence lets the processor stop appending the moment it
// learns it lost the partition: an append is sent one batch at a time and
// the fence is asked before each, so once Append returns nothing more of
// it is sent; the fence's failure also ends the wait for the batch on the
// wire at once (it may still land: a produce request sent is not taken
// back; Options.Unsettled has this processor's next restore of the
// partition wait for it first).
package kafkastate

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Spec is the changelog topic of cfg for an items topic of partitions
// partitions: compacted, co-partitioned, with the replication factor and
// min.insync.replicas of the cluster's other topics (with acks=all a state
// write survives the loss of replicationFactor-minInsyncReplicas brokers),
// compacted as cfg says (kafkatable.Compaction).
func Spec(topicPrefix string, cfg state.ChangelogConfig, partitions, replicationFactor, minInsyncReplicas int) kafkatable.Spec {
	return kafkatable.Spec{Topic: topicPrefix + cfg.Name, Partitions: partitions,
		ReplicationFactor: replicationFactor, MinInsyncReplicas: minInsyncReplicas,
		Compaction: kafkatable.Compaction{SegmentTime: cfg.SegmentTime, SegmentBytes: cfg.SegmentBytes,
			MinCleanableDirtyRatio: cfg.MinCleanableDirtyRatio}}
}

// Ensure creates the changelog topic if it is missing and refuses one that
// is not compacted or has another partition count (kafkatable.Ensure).
func Ensure(ctx context.Context, cn wkafka.Conn, spec kafkatable.Spec, log *slog.Logger) error {
	if err := kafkatable.Ensure(ctx, cn, []kafkatable.Spec{spec}, log); err != nil {
		return fmt.Errorf("state changelog: %w", err)
	}
	return nil
}

// Options are what Open needs besides the topic and the partition.
type Options struct {
	// CacheDir holds the snapshot cache (a file per topic and partition);
	// "" keeps none.
	CacheDir string
	// NoSync skips fsync of the cache: tests only.
	NoSync bool
	// CacheMinBytes is the least the changelog must grow by before a new
	// cache snapshot is written (default 64 MiB; a snapshot is also due
	// once the changelog has grown by the size of the last one).
	CacheMinBytes int64
	// Fence, when set, is asked before every append and refuses it with
	// its error, and asked again before each of the append's batches and
	// retries, and every fenceRecheck while a retry waits, which it then
	// stops: the processing role passes one that fails once its
	// consumer-group generation has ended, so a processor that lost the
	// partition stops writing the state its successor restored. The
	// wait for the batch on the wire when Fence first fails ends then
	// too (within fenceRecheck; kafkatable.Writer.WriteChecked), and the
	// batch may land after the generation's end: Kafka's producer
	// fencing would close that window, and kafka-go has none.
	Fence func() error
	// Hold, when set, is asked instead of Fence before every append and
	// may block while a refusal may yet be lifted: the processing role
	// waits there after its generation ended until the next is known, so
	// that the appends of batches drained across a rebalance that leaves
	// it the partition are made in the next generation instead of
	// refused. It returns Fence's verdict when it stops waiting and, when
	// it admits the append, done, which the append calls once its write
	// has returned (so that the role knows when no append it admitted is
	// still in flight). An append that Fence cut while it was on the wire
	// asks Hold again, and is written again when Hold admits it
	// (RewriteMsg).
	Hold func(ctx context.Context) (done func(), err error)
	// Stopping, when set, is closed when the processor stops (a stop, not
	// a rebalance: the generation stays current until the member leaves,
	// so the fence does not end anything then). A cut append's settle
	// (SettleMsg) under way then, or begun after, ends at once, as it does
	// when the log is closed: the append fails, so its batch is not
	// committed and the partition's next owner decides its items again.
	// Before, the stop waited for the answer to the batch on the wire, up
	// to the request's deadline + 1 s (31 s with the tables' 30 s).
	Stopping <-chan struct{}
	// Unsettled, when set, keeps the batch on the wire of an append that
	// fails with one (not carried on, or its settle ended by a stop), and
	// the next Restore of the partition through it waits for that batch's
	// answer before it reads (Unsettled). The processing role passes one
	// Unsettled to every Log it opens.
	Unsettled *Unsettled
	// Epoch, when set, takes the partition's producer epoch before each
	// restore and writes every entry with it, so that the partition
	// leader refuses an older owner's batch that lands after it
	// (epochfence.go). nil writes without one.
	Epoch *EpochFence
	// Table tunes the changelog's kafkatable.Table; tests slow its writes
	// there (kafkatable.Options.WrapWrites).
	Table        kafkatable.Options
	Log          *slog.Logger        // nil: discarded
	StateMetrics *state.Metrics      // nil: unregistered
	TableMetrics *kafkatable.Metrics // nil: unregistered
}

// markerTable keys the partition's marker record, which no stage reads: a
// random value written once, when the partition is first restored empty,
// that tells this topic from one re-created under the same name.
const markerTable state.Table = 0

var markerKey = []byte{byte(markerTable), 'm'}

// changelog is what a Log asks of its kafkatable.Table: the partition's
// bounds once per restore, and reads within them.
type changelog interface {
	Topic() string
	Bounds(ctx context.Context, p int) (first, end int64, err error)
	RestoreWithin(ctx context.Context, p int, from, first, end int64, fn func(kafkatable.Record) error) (int64, error)
	Close() error
}

// Log is one partition of the changelog as a state.Log.
type Log struct {
	t    changelog
	w    *kafkatable.Writer
	p    int
	o    Options
	log  *slog.Logger
	m    *state.Metrics
	path string // the cache file, "" without one
	// closing is closed by Close: a settle under way ends (stopContext).
	closing chan struct{}

	mu          sync.Mutex
	restored    bool
	marker      []byte // the partition's marker value and offset
	markerAt    int64
	fresh       bool  // the restore found no marker and no entry: no owner restored the partition before
	sinceCache  int64 // bytes appended since the last cache snapshot
	cacheBytes  int64 // size of the last cache snapshot
	snapshotted bool  // a cache snapshot is being written
	closed      bool
	hintPending []byte               // a hint record for the next append (hints.go)
	sinceHint   int64                // records in the changelog after the last hint record
	hintFound   bool                 // Hints found a hint record in the changelog
	scanFirst   int64                // the first window of the search for it (hintScanFirst)
	epoch       *kafkatable.Identity // the producer epoch taken (logepoch.go), nil without one
	epochAt     time.Time            // when it was taken (keepAlive)
	fencedBy    *EpochFencedError    // set once a newer owner's epoch refused a write
	// ownEnd is at most where the partition ends, were this Log its only writer since its
	// restore: the restore's high watermark plus every record of this Log known to have landed
	// since — acknowledged, or settled as acknowledged (owncount.go). ownUncounted: a batch of
	// its own may have landed beyond that count (a send whose outcome was left open), so a
	// partition that ends past it need not have another writer. ownOnWire: a cut append's
	// batch is on the wire, its outcome not known yet (Append settles it).
	ownEnd       int64
	ownUncounted bool
	ownOnWire    bool
	lateBarred   bool // another writer wrote since the restore: no late epoch (takeLateEpoch)
	// writeGate is held by each write (write) and by SoleWriter while it asks the partition's
	// end: a batch of a write under way may have landed uncounted yet.
	writeGate chan struct{}
}

var (
	_ state.Log       = (*Log)(nil)
	_ state.Compactor = (*Log)(nil)
)

// Open opens partition p of the changelog topic, which must exist
// (Ensure).
func Open(ctx context.Context, cn wkafka.Conn, topic string, p int, o Options) (*Log, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.StateMetrics == nil {
		o.StateMetrics = state.NewMetrics(nil)
	}
	if o.CacheMinBytes <= 0 {
		o.CacheMinBytes = 64 << 20
	}
	t, err := kafkatable.Open(ctx, cn, topic, o.Table, o.Log, o.TableMetrics)
	if err != nil {
		return nil, fmt.Errorf("state changelog: %w", err)
	}
	w, err := t.NewPartitionWriter(p)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("state changelog: %w", err)
	}
	l := &Log{t: t, w: w, p: p, o: o, m: o.StateMetrics, log: o.Log.With("topic", topic, "partition", p), scanFirst: hintScanFirst,
		closing: make(chan struct{}), writeGate: make(chan struct{}, 1)}
	if o.CacheDir != "" {
		if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
			l.Close()
			return nil, fmt.Errorf("state changelog cache: %w", err)
		}
		l.path = filepath.Join(o.CacheDir, fmt.Sprintf("%s-%d.snap", topic, p))
	}
	return l, nil
}

// Partition is the changelog partition (= the items partition) of the log.
func (l *Log) Partition() int { return l.p }

func toMessage(e state.Entry) kafkatable.Entry {
	k := make([]byte, 1+len(e.Key))
	k[0] = byte(e.Table)
	copy(k[1:], e.Key)
	return kafkatable.Entry{Key: k, Value: e.Value}
}

// Append writes entries to the partition and returns once all in-sync
// replicas have them.
func (l *Log) Append(ctx context.Context, entries []state.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	l.mu.Lock()
	restored, closed := l.restored, l.closed
	l.mu.Unlock()
	switch {
	case closed:
		return errors.New("state changelog: append after close")
	case !restored:
		return errors.New("state changelog: append before restore")
	}
	admitted, err := l.admit(ctx)
	if err != nil {
		return fmt.Errorf("state changelog %s/%d: fenced: %w", l.t.Topic(), l.p, err)
	}
	start := time.Now()
	msgs := make([]kafkatable.Entry, len(entries), len(entries)+1)
	var n int64
	for i, e := range entries {
		msgs[i] = toMessage(e)
		n += int64(len(msgs[i].Key) + len(e.Value))
	}
	hint, hinted := l.takeHint() // last, so a search from the end meets it first
	if hinted {
		msgs = append(msgs, hint)
	}
	var sent int64 // bytes sent: a cut append written again lands (in part) more than once
	for {
		sent += entryBytes(msgs)
		acked, cut, err := l.write(ctx, msgs)
		admitted()
		if err == nil {
			break
		}
		var fenced fencedWrite
		if l.o.Hold == nil || !errors.As(err, &fenced) {
			l.giveUp(cut)
			return fmt.Errorf("state changelog %s/%d: %w", l.t.Topic(), l.p, err)
		}
		// The generation that admitted the append ended while it was on
		// the wire, and cut it before its next batch. Hold waits for the
		// next: one that carries the drain on admits the entries not
		// acknowledged yet again, so that a rebalance that leaves the
		// processor its partition does not fail the batch (see RewriteMsg
		// for why writing some twice is safe).
		if admitted, err = l.o.Hold(ctx); err != nil {
			l.giveUp(cut)
			return fmt.Errorf("state changelog %s/%d: %w (%w)", l.t.Topic(), l.p, fenced, err)
		}
		if cut != nil && cut.OnTheWire > 0 {
			cutAcked := acked
			// The batch on the wire at the cut may land yet: its answer
			// is waited for before anything is written after it, so that
			// it cannot land on top of the rewrite and the appends after
			// it with older values (RewriteMsg). Acknowledged, it is not
			// sent again.
			l.log.Info(SettleMsg, "entries", cut.OnTheWire, "acknowledged", acked)
			for {
				var ended error
				if acked, ended = l.settle(ctx, cut); ended == nil {
					break
				}
				if !errors.As(ended, new(errFenced)) {
					// A stop, the log's close or ctx's end: the append
					// fails at once, rather than after the answer or the
					// request's deadline (up to 31 s), and its batch on
					// the wire is kept for this processor's next restore.
					admitted()
					l.giveUp(cut)
					return fmt.Errorf("state changelog %s/%d: %w; given up while waiting for the answer to its batch on the wire: %w",
						l.t.Topic(), l.p, fenced, ended)
				}
				// The generation that admitted the settle ended before
				// the answer came: its admission is released at once, so
				// that the member rejoins (turn.close) within
				// fenceRecheck rather than after the request's deadline,
				// and the settle goes on only if the next generation
				// carries the append on too (cut keeps the request's
				// outcome, so no answer is lost in between).
				admitted()
				if admitted, err = l.o.Hold(ctx); err != nil {
					l.giveUp(cut)
					return fmt.Errorf("state changelog %s/%d: %w; the generation that carried it on ended while its batch on the wire was unanswered: %w (%w)",
						l.t.Topic(), l.p, fenced, ended, err)
				}
				l.log.Info(SettleMsg, "entries", cut.OnTheWire, "acknowledged", acked, "again", true)
			}
			l.settledOwn(acked-cutAcked, cut)
		}
		msgs = msgs[acked:]
		if len(msgs) == 0 {
			admitted() // all of it was acknowledged after all: nothing to write again
			break
		}
		l.log.Info(RewriteMsg, "entries", len(msgs), "acknowledged", acked)
		start = time.Now() // the commit's duration is its last write's, not the rebalance's
	}
	l.mu.Lock()
	l.sinceCache += sent
	if hinted {
		l.sinceHint = 0
	} else {
		l.sinceHint += int64(len(entries))
	}
	l.mu.Unlock()
	l.m.CommitDuration.Observe(time.Since(start).Seconds())
	l.m.AppendedBytes.Add(float64(n))
	l.keepAlive(ctx)
	l.lateEpoch(ctx)
	return nil
}

// errStop ends a one-record read.
var errStop = errors.New("stop")

// Restore hands fn the state: the cache snapshot when it is valid, then the
// changelog after it; or the changelog from its first offset.
func (l *Log) Restore(ctx context.Context, fn func(state.Entry) error) error {
	l.mu.Lock()
	if l.restored {
		l.mu.Unlock()
		return errors.New("state changelog: restore called twice")
	}
	l.mu.Unlock()
	start := time.Now()
	// A batch this processor left on the wire may land yet: read once it
	// has, or never will (Unsettled).
	if err := l.settleKept(ctx); err != nil {
		return err
	}
	// From the epoch record on, an older owner's batch is refused: the
	// bounds asked after it take in every one that landed before.
	if err := l.takeEpoch(ctx); err != nil {
		return err
	}
	// The bounds are asked once: the cache check and the read use them.
	first, end, err := l.t.Bounds(ctx, l.p)
	if err != nil {
		return fmt.Errorf("state changelog: %w", err)
	}
	l.mu.Lock()
	l.ownEnd, l.ownUncounted, l.ownOnWire = end, false, false
	l.mu.Unlock()
	from := kafkatable.FirstOffset
	var entries, tailBytes, sinceHint int64
	if snap, c, ok := l.validCache(ctx, first, end); ok {
		err := snap.Entries(func(e state.Entry) error {
			entries++
			return fn(e)
		})
		snap.Close()
		switch {
		case err == nil:
			l.marker, l.markerAt, from = c.marker, c.markerAt, c.offset
			l.cacheBytes = fileSize(l.path)
			l.log.Info("state changelog: restoring from the local snapshot and the changelog after it",
				"snapshot_offset", c.offset, "high_watermark", end, "snapshot_entries", entries)
		case entries == 0:
			l.log.Warn("state changelog: local snapshot unreadable; restoring the whole changelog", "path", l.path, "err", err)
		default:
			// Some entries went to the stages already: there is no going back.
			return fmt.Errorf("state changelog: local snapshot %s broke after %d entries (%w); delete it and restart", l.path, entries, err)
		}
	}
	var late unfencedAfterFenced
	var unreadable unreadableRecords
	_, err = l.t.RestoreWithin(ctx, l.p, from, first, end, func(r kafkatable.Record) error {
		late.see(r)
		if len(r.Key) == 0 {
			return nil
		}
		tailBytes += int64(len(r.Key) + len(r.Value))
		switch {
		case bytes.Equal(r.Key, markerKey):
			l.marker, l.markerAt = bytes.Clone(r.Value), r.Offset
			return nil
		case bytes.Equal(r.Key, hintKey):
			sinceHint = 0 // Hints read it before the restore began
			return nil
		case r.Key[0] == byte(markerTable):
			return nil // the log's own, of a later version
		}
		sinceHint++
		entries++
		e := state.Entry{Table: state.Table(r.Key[0]), Key: r.Key[1:], Value: r.Value}
		err := fn(e)
		var ue *state.UnreadableEntryError
		if !errors.As(err, &ue) {
			return err
		}
		// Anyone with write access to the topic can append to it: a record
		// no table reads does not stop the partition's processing. Its key
		// is restored as compaction will leave it, holding nothing any
		// table reads: deleted (a tombstone the owner may refuse too, for
		// a key of no form it uses).
		unreadable.skip(l.log, r.Offset, ue)
		_ = fn(state.Entry{Table: e.Table, Key: e.Key})
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore state changelog %s/%d: %w", l.t.Topic(), l.p, err)
	}
	if err := unreadable.check(l.log, l.t.Topic(), l.p, entries); err != nil {
		return err
	}
	l.mu.Lock()
	l.restored = true
	// No snapshot covers what was read from the changelog: the next restore
	// reads it again. It counts like appended bytes, so a long cold restore
	// makes a snapshot due at once (the Store asks right after restoring)
	// rather than after another CacheMinBytes of appends — a crash soon
	// after restarting must not cost a second cold restore.
	l.sinceCache = tailBytes
	// Hints are due once as many records follow the last hint record as
	// the store's cadence allows, and at once when the changelog has none
	// (written before hints were kept), so that the next cold restore finds
	// one.
	l.sinceHint = sinceHint
	if !l.hintFound {
		l.sinceHint = max(sinceHint, hintRecords)
	}
	l.mu.Unlock()
	if l.marker == nil {
		if err := l.writeMarker(ctx, end); err != nil {
			return err
		}
		l.mu.Lock()
		l.fresh = entries == 0 // a changelog of an older version has entries and no marker
		l.mu.Unlock()
	}
	late.report(l.log)
	l.m.RestoreDuration.Observe(time.Since(start).Seconds())
	l.m.RestoredEntries.Add(float64(entries))
	l.log.Info("state changelog restored", "entries", entries, "from", restoredFrom(from), "high_watermark", end,
		"duration", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// writeMarker stamps a partition that has none (a new topic) with a random
// value, at the offset its high watermark was.
func (l *Log) writeMarker(ctx context.Context, at int64) error {
	v := make([]byte, 16)
	_, _ = rand.Read(v)
	// Admitted and fenced as an append is, so that the processor's turn.close waits for it as
	// for any other write: a generation that ended during the restore sends no marker into a
	// partition the next owner may restore. Hold is not waited on (admitNow): the restore runs
	// while the processor takes the partition on, and the next generation is decided only once
	// that returns; a refused marker fails the restore, and the next owner restores again.
	admitted, err := l.admitNow()
	if err != nil {
		return fmt.Errorf("state changelog %s/%d: write marker: fenced: %w", l.t.Topic(), l.p, err)
	}
	_, cut, err := l.write(ctx, []kafkatable.Entry{{Key: markerKey, Value: v}})
	admitted()
	if err != nil {
		l.countGivenUp(cut) // not kept for a settle: the restore fails, and the next one reads the partition
		return fmt.Errorf("state changelog %s/%d: write marker: %w", l.t.Topic(), l.p, err)
	}
	// The marker's offset: the first record at or after at that holds it.
	first, end, err := l.t.Bounds(ctx, l.p)
	if err != nil {
		return fmt.Errorf("state changelog %s/%d: find marker: %w", l.t.Topic(), l.p, err)
	}
	_, err = l.t.RestoreWithin(ctx, l.p, at, first, end, func(r kafkatable.Record) error {
		if bytes.Equal(r.Key, markerKey) && bytes.Equal(r.Value, v) {
			l.markerAt = r.Offset
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		return fmt.Errorf("state changelog %s/%d: marker not found after writing it: %v", l.t.Topic(), l.p, err)
	}
	l.marker = v
	return nil
}

// Close closes the writer and the table's connections.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.closing)
	l.mu.Unlock()
	l.flushHint()
	return errors.Join(l.w.Close(), l.t.Close())
}

// Fresh reports whether the last restore found the partition without a
// marker and without entries: no owner had restored it before — a new
// topic, or one deleted and created again. With a committed items offset
// behind it, the state the items before that offset built is gone (the
// processor says so).
func (l *Log) Fresh() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fresh
}

// Ready reports whether the log takes appends, for /readyz: not while an
// append is retrying a failure (a topic deleted, a partition without a
// leader, min ISR not met), naming it.
func (l *Log) Ready(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("state changelog closed")
	}
	if err := l.w.Failing(); err != nil {
		return fmt.Errorf("state changelog %s/%d does not take appends: %w", l.t.Topic(), l.p, err)
	}
	return nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// restoredFrom is where a restore began, as its log line says it: an offset,
// or "start" for the whole partition (kafkatable.FirstOffset, which the
// line printed as -2, Kafka's sentinel, for an operator to look up).
func restoredFrom(from int64) any {
	if from == kafkatable.FirstOffset {
		return "start"
	}
	return from
}
