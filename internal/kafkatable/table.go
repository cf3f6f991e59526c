package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Spec is a table topic to create or check.
type Spec struct {
	Topic             string
	Partitions        int
	ReplicationFactor int
	// MinInsyncReplicas is min.insync.replicas on creation: with acks=all, a write is
	// acknowledged once this many replicas have it (2 of 3 survives one broker's loss).
	MinInsyncReplicas int
	// Compaction is how the broker compacts the topic; zero fields take DefaultCompaction's.
	Compaction Compaction
}

// Compaction is when the broker compacts a table topic. Kafka never compacts a partition's
// active segment, and its defaults roll a segment only after 7 days or 1 GiB: until then a
// restore reads every record ever written. A changelog that rewrites the same keys every
// batch (spike counters) grew its restore from 13 ms to 1.5 s in 2 minutes that way.
type Compaction struct {
	// SegmentTime is segment.ms: the active segment rolls, and becomes cleanable, once its
	// first record is this old (checked on the next append). It bounds the part of a
	// partition a restore reads uncompacted to about SegmentTime of writes, plus the
	// cleaner's lag (log.cleaner.backoff.ms, 15 s, and a pass's duration).
	SegmentTime time.Duration
	// SegmentBytes is segment.bytes: the same bound in bytes, for bursts (a backfill).
	SegmentBytes int
	// MinCleanableDirtyRatio is min.cleanable.dirty.ratio: the cleaner compacts a partition
	// once the not yet compacted part is this share of it. 0.5 (Kafka's default) keeps a
	// partition within about twice its live keys, as state.compact_ratio 2 does the file log.
	MinCleanableDirtyRatio float64
}

// DefaultCompaction is what a table topic is created with.
//
// One minute: a restore reads at most about a minute of writes uncompacted (the 20-feed
// load test wrote about 0.75 s of restore a minute, so under a second instead of the whole
// history), while the broker rolls a segment per written partition a minute (four small
// files), which the cleaner merges into segments of up to SegmentBytes as it compacts them.
// Rolling more often would not make the cleaner work more: it runs when the dirty ratio is
// reached, and each pass rewrites the partition's clean part whatever the segment size, so
// the ratio, not the roll, sets the cleaner's load.
//
// 64 MiB: a burst leaves at most 64 MiB uncompacted (a few seconds of restore), and a
// compacted partition of 1 GiB is 16 segments rather than one; a roll costs nothing more.
func DefaultCompaction() Compaction {
	return Compaction{SegmentTime: time.Minute, SegmentBytes: 64 << 20, MinCleanableDirtyRatio: 0.5}
}

func (c Compaction) withDefaults() Compaction {
	d := DefaultCompaction()
	if c.SegmentTime <= 0 {
		c.SegmentTime = d.SegmentTime
	}
	if c.SegmentBytes <= 0 {
		c.SegmentBytes = d.SegmentBytes
	}
	if c.MinCleanableDirtyRatio <= 0 {
		c.MinCleanableDirtyRatio = d.MinCleanableDirtyRatio
	}
	return c
}

// configs are the topic configs of c, with defaults filled in.
func (c Compaction) configs() []kafka.ConfigEntry {
	c = c.withDefaults()
	return []kafka.ConfigEntry{
		{ConfigName: "segment.ms", ConfigValue: strconv.FormatInt(c.SegmentTime.Milliseconds(), 10)},
		{ConfigName: "segment.bytes", ConfigValue: strconv.Itoa(c.SegmentBytes)},
		{ConfigName: "min.cleanable.dirty.ratio", ConfigValue: strconv.FormatFloat(c.MinCleanableDirtyRatio, 'g', -1, 64)},
	}
}

func (s Spec) validate() error {
	switch {
	case s.Topic == "":
		return errors.New("table topic: name must not be empty")
	case s.Partitions < 1:
		return fmt.Errorf("table topic %s: partitions must be >= 1, got %d", s.Topic, s.Partitions)
	case s.ReplicationFactor < 1:
		return fmt.Errorf("table topic %s: replication factor must be >= 1, got %d", s.Topic, s.ReplicationFactor)
	case s.MinInsyncReplicas < 0 || s.MinInsyncReplicas > s.ReplicationFactor:
		return fmt.Errorf("table topic %s: min.insync.replicas must be within [0, %d], got %d",
			s.Topic, s.ReplicationFactor, s.MinInsyncReplicas)
	}
	return nil
}

// Ensure creates the table topics that are missing (compacted, with each spec's partitions,
// replication factor, min.insync.replicas and Compaction) and checks the existing ones. An
// existing topic that is not compacted, or has another partition count, is refused with a
// *wkafka.IncompatibleTopicError: its keys would be deleted, or found on other partitions than
// PartitionOf says. A smaller replication factor or min ISR, and compaction settings other
// than the spec's (a topic created before them keeps Kafka's 7-day segments), are logged with
// the kafka-configs command that changes them.
func Ensure(ctx context.Context, cn wkafka.Conn, specs []Spec, log *slog.Logger) error {
	ts := make([]wkafka.TopicSpec, 0, len(specs))
	for _, s := range specs {
		if err := s.validate(); err != nil {
			return err
		}
		ts = append(ts, wkafka.TopicSpec{
			Name: s.Topic, Partitions: s.Partitions, ReplicationFactor: s.ReplicationFactor,
			CleanupPolicy: "compact", MinInsyncReplicas: s.MinInsyncReplicas, ExactPartitions: true, Table: true,
			Configs: s.Compaction.configs(),
		})
	}
	return wkafka.Provision(ctx, cn, ts, log)
}

// Options tune a Table. The zero value is usable.
type Options struct {
	// FetchBytes is the most one fetch returns (default 16 MiB): restores are bound by round
	// trips, so large fetches are what make them fast.
	FetchBytes int
	// FollowWait is how long the broker holds a Follow's fetch open waiting for a new record
	// (default 500 ms): the latency of a standby, paid in idle requests.
	FollowWait time.Duration
	// RetryMin and RetryMax bound the backoff between attempts after a broker error
	// (defaults 100 ms and 5 s).
	RetryMin, RetryMax time.Duration
	// RetryWarnAfter is how long a read keeps failing before its retries are logged as
	// warnings rather than at debug level (default 2 s): a topic just created, or a leader
	// moving, costs a few retries within a second — on a broker's new topics, four of
	// them in 0.4 s, which a first `feeds push` printed as warnings of a push that worked.
	RetryWarnAfter time.Duration
	// RequestTimeout bounds one request to a broker (default 30 s).
	RequestTimeout time.Duration
	// WriteTimeout bounds one produce request of the table's writers (default RequestTimeout;
	// kafka-go asks the broker to wait half of it for the in-sync replicas), and WriteAttempts is
	// how many times Write's kafka-go Writer sends a batch before the write fails (default 3;
	// Write then retries what failed with its own backoff). A batch kafka-go's Writer was handed
	// is sent to its end whatever Write's context says. WriteChecked sends each batch as one
	// produce request of its own, so its context's end ends the wait at once (the request goes
	// on to WriteTimeout, its answer kept for PartialWriteError.Settle) and WriteAttempts does
	// not apply to it.
	WriteTimeout  time.Duration
	WriteAttempts int
	// WrapWrites, when set (tests), wraps the transport of the table's writers: a test delays
	// the answers to their produce requests there, as a loaded broker's come.
	WrapWrites func(kafka.RoundTripper) kafka.RoundTripper
}

func (o Options) withDefaults() Options {
	if o.FetchBytes <= 0 {
		o.FetchBytes = 16 << 20
	}
	if o.FollowWait <= 0 {
		o.FollowWait = 500 * time.Millisecond
	}
	if o.RetryMin <= 0 {
		o.RetryMin = 100 * time.Millisecond
	}
	if o.RetryWarnAfter <= 0 {
		o.RetryWarnAfter = quietretry.WarnAfter
	}
	if o.RetryMax < o.RetryMin {
		o.RetryMax = max(5*time.Second, o.RetryMin)
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = o.RequestTimeout
	}
	if o.WriteAttempts <= 0 {
		o.WriteAttempts = 3
	}
	return o
}

// Table is one compacted topic read and written as a key→value table. Its methods are safe
// for concurrent use; each Restore or Follow reads one partition.
type Table struct {
	cn         wkafka.Conn
	topic      string
	partitions int
	opts       Options
	tr         *kafka.Transport
	cl         *kafka.Client
	log        *slog.Logger
	m          *Metrics
}

// Open returns the table kept in topic, which must exist (see Ensure). It learns the
// partition count once: a table's keys are placed by it, so it does not change under a reader.
// log and m may be nil.
func Open(ctx context.Context, cn wkafka.Conn, topic string, opts Options, log *slog.Logger, m *Metrics) (*Table, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	opts = opts.withDefaults()
	// A short metadata TTL: after a leader moves, fetches find the new one within a second.
	// Each refresh asks for the table's topic alone: unset, kafka-go asks for every topic of the
	// cluster, twice a second per table, for an answer that grows with each topic (5,581 bytes
	// against 169 with 17 topics on the broker, BENCHMARKS.md round 16). A table's requests all
	// go to its own topic's leaders, so its transport needs no other topic's layout.
	tr := cn.Transport(time.Second)
	tr.MetadataTopics = []string{topic}
	t := &Table{
		cn: cn, topic: topic, opts: opts, tr: tr, log: log.With("topic", topic), m: m,
		cl: &kafka.Client{Addr: kafka.TCP(cn.Brokers()...), Transport: tr, Timeout: opts.RequestTimeout},
	}
	// A topic created a moment ago (Ensure) may not have reached every broker's metadata yet:
	// an unknown topic is believed only after a short grace; other broker errors are retried
	// until ctx ends.
	grace := time.Now().Add(unknownTopicGrace)
	err := t.retry(ctx, -1, "metadata", func() error {
		n, err := partitionCount(ctx, t.cl, topic)
		if errors.Is(err, kafka.UnknownTopicOrPartition) && time.Now().After(grace) {
			return backoff.Permanent(err)
		}
		t.partitions = n
		return err
	})
	if err != nil {
		tr.CloseIdleConnections()
		return nil, fmt.Errorf("open table %s: %w", topic, err)
	}
	return t, nil
}

// unknownTopicGrace is how long a topic the brokers call unknown is looked for again.
const unknownTopicGrace = 5 * time.Second

// partitionCount asks the brokers (not a cache) how many partitions topic has.
func partitionCount(ctx context.Context, cl *kafka.Client, topic string) (int, error) {
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, fmt.Errorf("metadata: %w", err)
	}
	for _, tp := range md.Topics {
		if tp.Name != topic {
			continue
		}
		if tp.Error != nil {
			return 0, fmt.Errorf("metadata: %w", tp.Error)
		}
		if len(tp.Partitions) == 0 {
			return 0, fmt.Errorf("metadata: topic has no partitions")
		}
		return len(tp.Partitions), nil
	}
	return 0, fmt.Errorf("metadata: %w", kafka.UnknownTopicOrPartition)
}

// Topic returns the table's topic.
func (t *Table) Topic() string { return t.topic }

// Partitions returns the table's partition count.
func (t *Table) Partitions() int { return t.partitions }

// PartitionOf returns the partition that holds key.
func (t *Table) PartitionOf(key []byte) int { return PartitionOf(key, t.partitions) }

// Close releases the table's connections. Writers made by NewWriter are closed separately.
func (t *Table) Close() error {
	t.tr.CloseIdleConnections()
	return nil
}

func (t *Table) checkPartition(p int) error {
	if p < 0 || p >= t.partitions {
		return fmt.Errorf("table %s: partition %d out of range [0, %d)", t.topic, p, t.partitions)
	}
	return nil
}
