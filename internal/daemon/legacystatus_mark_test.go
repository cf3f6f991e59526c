package daemon

import (
	"context"
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
// were gone. Now a start that read it whole and found none of its feeds' legacy keys left
// marks that, and a start with the same feeds reads nothing. The move stays right for a user
// upgrading: read back from a real broker, the first start tombstones an earlier release's
// records; and a start given a feed with a secret the mark does not cover reads again (an
// earlier release may have written that feed's keys).
func TestAStartReadsFeedStatusOnlyWhileLegacyKeysCanBeThere(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, err := kafka.New(ctx, cfg.Kafka, log, nil) // creates feed_status
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close(ctx)
	topic := cfg.Kafka.TopicName(record.TypeFeedStatus)
	w := &kafkago.Writer{Addr: kafkago.TCP(cfg.Kafka.Brokers...), Topic: topic, Balancer: &kafkago.Hash{}, RequiredAcks: kafkago.RequireAll}
	defer w.Close()
	var old []kafkago.Message
	for _, k := range legacyStatusKeys {
		old = append(old, kafkago.Message{Key: []byte(k), Value: []byte(`{"type":"feed_status","feed_url":"` + k + `"}`)})
	}
	kafkatest.Write(t, ctx, w, old...)

	start := func(specs []feed.Spec) legacyScan {
		t.Helper()
		return tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, specs, log)
	}
	if first := start(legacyStatusFeeds); first.Records < int64(len(old)) {
		t.Fatalf("the upgrade's first start read %d records of feed_status, want its %d", first.Records, len(old))
	}
	last, _ := readKeys(t, ctx, cfg.Kafka, topic)
	for _, k := range legacyStatusKeys {
		if v, ok := last[k]; !ok || v != nil {
			t.Errorf("after the first start %q ends with %q (present %v), want a tombstone", k, v, ok)
		}
	}
	start(legacyStatusFeeds) // none left: it says so
	if again := start(legacyStatusFeeds); again.Records != 0 || again.Bytes != 0 {
		t.Errorf("a start after the legacy keys were gone read %d records (%d bytes) of feed_status, want none", again.Records, again.Bytes)
	}
	added := append(slices.Clone(legacyStatusFeeds), feed.Spec{URL: legacyHost + "/other?token=S3CRET-N"})
	if more := start(added); more.Records == 0 {
		t.Errorf("a start given a feed with a secret the mark does not cover read nothing; an earlier release may have keyed its records")
	}
}
