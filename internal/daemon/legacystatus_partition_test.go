package daemon

import (
	"context"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// A compacted topic drops a key's record only for a tombstone in the same partition. An
// earlier release's feed_status record need not be in the partition its key goes to today:
// the operator added partitions, or switched kafka.balancer. The start's tombstone of a legacy
// key lands in the partition its record was read from: read back from a real broker, that
// partition's last record under the key is a tombstone.
func TestTheLegacyStatusTombstoneLandsInThePartitionOfTheRecord(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	cfg.Kafka.Topics.FeedStatus.Partitions = 4
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, err := kafka.New(ctx, cfg.Kafka, log, nil) // creates feed_status with 4 partitions
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close(ctx)

	const url = legacyHost + "/paid?token=S3CRET-Q"
	legacy := url // its key before round 33
	today := (&kafkago.Hash{}).Balance(kafkago.Message{Key: []byte(legacy)}, 0, 1, 2, 3)
	lives := (today + 1) % 4 // where an earlier layout put it
	topic := cfg.Kafka.TopicName(record.TypeFeedStatus)
	w := &kafkago.Writer{Addr: kafkago.TCP(cfg.Kafka.Brokers...), Topic: topic, RequiredAcks: kafkago.RequireAll,
		Balancer: kafkago.BalancerFunc(func(kafkago.Message, ...int) int { return lives })}
	defer w.Close()
	kafkatest.Write(t, ctx, w, kafkago.Message{Key: []byte(legacy), Value: []byte(`{"type":"feed_status"}`)})

	tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, []feed.Spec{{URL: url}}, log)

	last := lastInPartition(t, ctx, cfg.Kafka, topic, lives)
	if v, ok := last[legacy]; !ok || v != nil {
		t.Errorf("partition %d, which holds the legacy record, ends under its key with %q (present %v), want a tombstone",
			lives, v, ok)
	}
}

// lastInPartition reads partition p of topic whole: each key's last value (nil: a tombstone).
func lastInPartition(t *testing.T, ctx context.Context, kc kafka.Config, topic string, p int) map[string][]byte {
	t.Helper()
	tb := openToReadBack(t, ctx, kc, topic)
	defer tb.Close()
	last := map[string][]byte{}
	if _, err := tb.Restore(ctx, p, kafkatable.FirstOffset, func(r kafkatable.Record) error {
		last[string(r.Key)] = r.Value
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return last
}
