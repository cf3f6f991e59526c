package daemon

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// A feed URL with a secret always has legacy keys to spell (record.LegacyFeedKeys), so every
// start of a deployment with one read feed_status to its end, for ever, long after the keys
// were gone. Now a start that read it whole and found no record under its feeds' legacy keys
// marks that, and a start with the same feeds reads nothing (TestTheLegacyKeysMarkGivesALag…).
// The move stays right for a user upgrading: read back from a real broker, the first start
// tombstones an earlier release's records, and while those tombstones are in the topic each
// start reads it again (an older release may still be running: TestAStartDuringARollingUpgrade…).
func TestAStartReadsFeedStatusOnlyWhileLegacyKeysCanBeThere(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, topic, w := feedStatusToWrite(t, ctx, cfg.Kafka, log)
	old := olderReleasesRecords()
	kafkatest.Write(t, ctx, w, old...)

	start := func(specs []feed.Spec) legacyScan {
		t.Helper()
		return tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, specs, log)
	}
	if first := start(legacyStatusFeeds); first.Records < int64(len(old)) {
		t.Fatalf("the upgrade's first start read %d records of feed_status, want its %d", first.Records, len(old))
	}
	wantLegacyKeysTombstoned(t, ctx, cfg.Kafka, topic, "after the first start")
	// Neither a start that tombstoned nor one that finds the tombstones marks.
	for i := range 2 {
		if next := start(legacyStatusFeeds); next.Records < int64(len(old)) {
			t.Errorf("start %d after the upgrade's first read %d records of feed_status, want its %d and more: the keys were marked gone while tombstones said an upgrade", i+1, next.Records, len(old))
		}
	}
}

// The mark is a commit of a group that never consumes. Committed at offset 0 on feed_status
// partition 0, a consumer-lag monitor (kafka-consumer-groups, kafka-lag-exporter: Kafka's
// AdminClient) counted every record of that partition as the group's lag, growing with each
// poll, for ever. It is committed at -1, Kafka's "no committed offset", which those monitors
// count no lag from (the AdminClient lists no offset); the next start still reads nothing.
func TestTheLegacyKeysMarkGivesALagMonitorNothingToCount(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, topic, w := feedStatusToWrite(t, ctx, cfg.Kafka, log)
	var today []kafkago.Message
	for _, s := range legacyStatusFeeds {
		k := record.FeedKey(s.URL)
		today = append(today, kafkago.Message{Key: []byte(k), Value: []byte(`{"type":"feed_status","feed_url":"` + record.RedactURL(s.URL) + `"}`)})
	}
	kafkatest.Write(t, ctx, w, today...)

	if first := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log); first.Records < int64(len(today)) {
		t.Fatalf("the first start read %d records, want its %d", first.Records, len(today))
	}
	cn, err := legacyMarkConn(cfg.Kafka)
	if err != nil {
		t.Fatal(err)
	}
	cl, done := cn.Client(legacyMarkTimeout)
	defer done()
	group := cfg.Kafka.TopicPrefix + LegacyKeysGroup
	of, err := cl.OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: {0}}})
	if err != nil || of.Error != nil {
		t.Fatalf("offsets of %s: %v %v", group, err, of.Error)
	}
	for _, p := range of.Topics[topic] {
		if p.Metadata == "" {
			t.Errorf("%s/%d: no mark (metadata empty)", topic, p.Partition)
		}
		if p.CommittedOffset >= 0 {
			t.Errorf("the mark commits offset %d on %s/%d: a lag monitor counts the partition's records from there, for ever; want none (-1)",
				p.CommittedOffset, topic, p.Partition)
		}
	}
	if again := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log); again.Records != 0 || again.Bytes != 0 {
		t.Errorf("a start after the mark read %d records (%d bytes) of feed_status, want none", again.Records, again.Bytes)
	}
	// A feed with a secret the mark does not cover: an earlier release may have keyed its records.
	added := append(slices.Clone(legacyStatusFeeds), feed.Spec{URL: legacyHost + "/other?token=S3CRET-N"})
	if more := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, added, log); more.Records == 0 {
		t.Errorf("a start given a feed with a secret the mark does not cover read nothing")
	}
}

// feedStatusToWrite is a sink of kc (which creates feed_status, closed at the test's end),
// the topic's name, and a writer of it keyed as the sink keys (closed too).
func feedStatusToWrite(t *testing.T, ctx context.Context, kc kafka.Config, log *slog.Logger) (*kafka.Sink, string, *kafkago.Writer) {
	t.Helper()
	sink, err := kafka.New(ctx, kc, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sink.Close(ctx)
	})
	topic := kc.TopicName(record.TypeFeedStatus)
	w := &kafkago.Writer{Addr: kafkago.TCP(kc.Brokers...), Topic: topic, Balancer: &kafkago.Hash{}, RequiredAcks: kafkago.RequireAll}
	t.Cleanup(func() { w.Close() })
	return sink, topic, w
}

// A rolling upgrade: the first new start tombstones the keys an older fetcher wrote, and the
// older fetcher, still running, polls again after the next new start read the topic. That
// start found the keys tombstoned and marked them gone, so every start after it read nothing
// and the key, which may say a feed's secret, stayed live until the mark expired. A start that
// sees a record under a legacy key, a tombstone too (an upgrade recent enough that the cleaner
// has not dropped it), marks nothing: the next start reads again and tombstones the key anew.
func TestAStartDuringARollingUpgradeLeavesNoLegacyKeyLive(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, topic, w := feedStatusToWrite(t, ctx, cfg.Kafka, log)
	olderFetcherPolls := func() {
		t.Helper()
		kafkatest.Write(t, ctx, w, olderReleasesRecords()...)
	}
	olderFetcherPolls()
	tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log) // the first new fetcher
	tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log) // the second, the older still running
	olderFetcherPolls()
	if third := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log); third.Records == 0 {
		t.Errorf("the third new fetcher's start read nothing, the older fetcher having written its keys again")
	}
	wantLegacyKeysTombstoned(t, ctx, cfg.Kafka, topic, "after the upgrade")
}

// wantLegacyKeysTombstoned fails the test unless each of legacyStatusKeys ends in topic with a
// tombstone; when ("after the upgrade", or "") says at which point of the test.
func wantLegacyKeysTombstoned(t *testing.T, ctx context.Context, kc kafka.Config, topic, when string) {
	t.Helper()
	if when != "" {
		when += " "
	}
	last, _ := readKeys(t, ctx, kc, topic)
	for _, k := range legacyStatusKeys {
		if v, ok := last[k]; !ok || v != nil {
			t.Errorf("%s%q ends with %q (present %v), want a tombstone", when, k, v, ok)
		}
	}
}

// olderReleasesRecords are a record under each of legacyStatusKeys, as an earlier release
// wrote them.
func olderReleasesRecords() []kafkago.Message {
	var old []kafkago.Message
	for _, k := range legacyStatusKeys {
		old = append(old, kafkago.Message{Key: []byte(k), Value: []byte(`{"type":"feed_status","feed_url":"` + k + `"}`)})
	}
	return old
}
