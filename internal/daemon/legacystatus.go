package daemon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// legacyStatusTimeout bounds the start's work on legacy keys — the mark's look-up, the read of
// feed_status, the tombstones and the mark: a broker that does not take them in that long lets
// the run go on without them (the next start tries again).
const legacyStatusTimeout = 30 * time.Second

// tombstoneLegacyStatusKeys tombstones in feed_status the keys earlier releases gave specs'
// records that say a feed URL's secret or are no feed's key now (record.LegacyFeedKeys), so
// that compaction drops those records. Only keys the topic holds a record under are
// tombstoned: a tombstone's key is in the topic until delete.retention.ms, and a legacy key
// may say the secret, which a key with no record never put there. So a start reads feed_status
// to its end (one record a feed once compacted) and writes a handful of tombstones per feed
// with a secret that an earlier release polled. A read that finds no record under any of them,
// not even a tombstone, marks them gone (LegacyKeysGroup), and a start with the same feeds then
// reads nothing. A failure is logged, not fatal: nothing this run writes depends on it, and
// the next start tries again. It returns what it read.
func tombstoneLegacyStatusKeys(ctx context.Context, cfg kafka.Config, sink *kafka.Sink, specs []feed.Spec, log *slog.Logger) legacyScan {
	urls := make([]string, len(specs))
	for i, s := range specs {
		urls[i] = s.URL
	}
	legacy := record.LegacyFeedKeys(urls...)
	if len(legacy) == 0 {
		return legacyScan{}
	}
	scanCtx, cancel := context.WithTimeout(ctx, legacyStatusTimeout)
	defer cancel()
	mark := record.LegacyKeysMark(legacy)
	cn, cnErr := legacyMarkConn(cfg) // once for both of the mark's requests: it reads secret files
	if cnErr == nil && legacyKeysGone(scanCtx, cn, cfg, mark) {
		log.Debug("feed_status: a start found the keys earlier releases gave these feeds gone; not read again", "group", cfg.TopicPrefix+LegacyKeysGroup)
		return legacyScan{}
	}
	held, read, err := heldKeys(scanCtx, cfg, legacy)
	if err == nil && len(held) > 0 {
		err = sink.Tombstone(scanCtx, record.TypeFeedStatus, held...)
	}
	if err != nil {
		legacyStatusLeft(ctx, log, err)
		return read
	}
	if len(held) > 0 {
		log.Info("feed_status: tombstoned the keys earlier releases gave feeds with a secret in their URL", "keys", len(held))
	}
	if read.NoTopic {
		// Nothing to tombstone, and nothing to mark: Kafka refuses a commit on a topic it does
		// not have. A start provisions the topic or refuses to run without it, so it went
		// missing since (deleted meanwhile); a poll of this release writes it again, under
		// today's key, and the next start reads it (a few records) and marks.
		log.Debug("feed_status: no topic yet, so no key of an earlier release to tombstone", "topic", cfg.TopicName(record.TypeFeedStatus))
		return read
	}
	if read.Legacy > 0 {
		// A tombstone under a legacy key says an upgrade recent enough that the cleaner has not
		// dropped it (delete.retention.ms): an older release may still be running and write the
		// key again after this read, so the next start reads too. Marked once they are gone.
		return read
	}
	markErr := cnErr
	if markErr == nil { // not cmp.Or: its arguments are all evaluated, and a zero Conn has no broker to ask
		markErr = markLegacyKeysGone(scanCtx, cn, cfg, mark)
	}
	if markErr != nil {
		log.Info("feed_status: could not mark the keys earlier releases gave these feeds gone; the next start reads feed_status again", "err", markErr)
	}
	return read
}

// LegacyKeysGroup is the consumer group (under the topic prefix) whose commit marks that a
// start read feed_status whole and found no record under its feeds' legacy keys, not even a
// tombstone (tombstoneLegacyStatusKeys): a commit on feed_status partition 0 whose metadata
// is the keys' mark (record.LegacyKeysMark), at offset -1 (legacyMarkOffset). A start whose
// feeds give the same mark reads nothing; another feed with a secret (one an earlier
// release may have polled), or another list, gives another. Deployments that share the
// topics but not the feed list share the group, and each mark replaces the other's: a start
// after the other's mark reads feed_status whole again (as before round 37), never skips its
// own keys — a mark is only ever of the keys a read found gone. A group per list would spare
// those reads but leave a group behind for every list a deployment ever had, and ACLs
// granted on this one name would no longer cover it. The group commits and never
// joins, so Kafka drops the mark offsets.retention.minutes (7 days by default) after its
// commit: the next start reads feed_status whole once more and marks again, which tombstones
// too a legacy key an older release, still running in a rolling upgrade, wrote since.
const LegacyKeysGroup = "feed-status-legacy-keys"

// legacyMarkPrefix starts the mark's commit metadata: a later release that marks something
// else does not take it for its own.
const legacyMarkPrefix = "legacy feed_status keys gone v1: "

// legacyMarkOffset is the offset the mark commits: -1, Kafka's "no committed offset", so that
// a consumer-lag monitor (kafka-consumer-groups, kafka-lag-exporter: Kafka's AdminClient lists
// no offset for it) counts no lag for a group that never consumes; at 0 it counted every
// record of the partition, growing with each poll. The broker keeps the metadata beside it.
const legacyMarkOffset = -1

// legacyKeysGone reports whether LegacyKeysGroup marks the legacy keys mark names gone. A
// failure (no such group, no broker, an ACL) is no: the start reads feed_status, as before.
func legacyKeysGone(ctx context.Context, cn kafka.Conn, cfg kafka.Config, mark string) bool {
	ctx, cancel := context.WithTimeout(ctx, legacyMarkTimeout)
	defer cancel()
	cl, done := cn.Client(legacyMarkTimeout)
	defer done()
	topic := cfg.TopicName(record.TypeFeedStatus)
	of, err := cl.OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: cfg.TopicPrefix + LegacyKeysGroup, Topics: map[string][]int{topic: {0}}})
	if err != nil || of.Error != nil {
		return false
	}
	for _, p := range of.Topics[topic] {
		if p.Partition == 0 && p.Error == nil && p.Metadata == legacyMarkPrefix+mark { // no offset, no metadata: ""
			return true
		}
	}
	return false
}

// markLegacyKeysGone commits mark for LegacyKeysGroup (legacyKeysGone reads it).
func markLegacyKeysGone(ctx context.Context, cn kafka.Conn, cfg kafka.Config, mark string) error {
	ctx, cancel := context.WithTimeout(ctx, legacyMarkTimeout)
	defer cancel()
	cl, done := cn.Client(legacyMarkTimeout)
	defer done()
	topic, group := cfg.TopicName(record.TypeFeedStatus), cfg.TopicPrefix+LegacyKeysGroup
	oc, err := cl.OffsetCommit(ctx, &kafkago.OffsetCommitRequest{GroupID: group, GenerationID: -1,
		Topics: map[string][]kafkago.OffsetCommit{topic: {{Partition: 0, Offset: legacyMarkOffset, Metadata: legacyMarkPrefix + mark}}}})
	if err == nil {
		for _, p := range oc.Topics[topic] {
			err = cmp.Or(err, p.Error)
		}
	}
	if err != nil {
		return fmt.Errorf("commit of group %s on %s: %w", group, topic, err)
	}
	return nil
}

// legacyMarkConn is the connection to cfg's brokers for the mark's two requests, its secrets
// resolved.
func legacyMarkConn(cfg kafka.Config) (kafka.Conn, error) {
	cfg, err := cfg.ResolveSecrets()
	if err != nil {
		return kafka.Conn{}, err
	}
	return kafka.NewConn(cfg)
}

// legacyMarkTimeout bounds each of the mark's requests: a broker that does not answer leaves
// the read most of legacyStatusTimeout.
const legacyMarkTimeout = 5 * time.Second

// legacyScan is what a start's read of feed_status read: records, and their keys' and values'
// bytes (BenchmarkLegacyStatusTombstonesAtStart); Legacy the records under a legacy key, live
// or tombstones; NoTopic that the cluster had no feed_status topic by the read.
type legacyScan struct {
	Records, Bytes, Legacy int64
	NoTopic                bool
}

// legacyStatusLeft says that the start's scan ended before the legacy keys were tombstoned:
// at WARN when it failed, at DEBUG when ctx (its run's) ended meanwhile — a stop is no failure.
// Either way the next start tombstones them again.
func legacyStatusLeft(ctx context.Context, log *slog.Logger, err error) {
	if ctx.Err() != nil {
		log.Debug("feed_status: the scan for earlier releases' keys that say a feed URL's secret was cut short by the stop; the next start scans again",
			"err", err)
		return
	}
	log.Warn("feed_status: earlier releases' records under keys that say a feed URL's secret are left; the next start tombstones them again",
		"err", err)
}

// besideTheRun runs scan on a goroutine of its own, beside the polls (which write no legacy
// key: a slow broker delays no poll). The stop it returns cancels scan and waits for it; a
// Run defers it, so that a run ending on an error of its own, its context still live, does
// not wait out the scan's bound (legacyStatusTimeout).
func besideTheRun(ctx context.Context, scan func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		scan(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// heldKeys are those of keys (sorted) under which a partition of feed_status ends with a
// record that is not a tombstone, each with that partition (a key's partition is the one its
// record was written to, which need not be where its key goes today), sorted; and what the
// read read (legacyScan), whole or up to a failure.
func heldKeys(ctx context.Context, cfg kafka.Config, keys []string) ([]kafka.KeyOn, legacyScan, error) {
	live := map[kafka.KeyOn]bool{}
	var read legacyScan
	err := tail.Scan(ctx, cfg, string(record.TypeFeedStatus), func(m kafkago.Message) error {
		read.Records++
		read.Bytes += int64(len(m.Key) + len(m.Value))
		if _, legacy := slices.BinarySearch(keys, string(m.Key)); legacy {
			read.Legacy++
			live[kafka.KeyOn{Key: string(m.Key), Partition: m.Partition}] = m.Value != nil
		}
		return nil
	})
	if missing := (*tail.MissingTopicError)(nil); errors.As(err, &missing) {
		read.NoTopic = true // deleted since the start found it: nothing to read
		return nil, read, nil
	}
	if err != nil {
		return nil, read, err
	}
	var held []kafka.KeyOn
	for k, isLive := range live {
		if isLive {
			held = append(held, k)
		}
	}
	slices.SortFunc(held, func(a, b kafka.KeyOn) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), cmp.Compare(a.Partition, b.Partition))
	})
	return held, read, nil
}
