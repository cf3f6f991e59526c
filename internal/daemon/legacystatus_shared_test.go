package daemon

import (
	"context"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// Two deployments that share the topics (one topic prefix) but poll different feeds share one
// mark group, and each mark overwrites the other's. The mark's metadata is a hash of the very
// keys a read found gone (record.LegacyKeysMark), so another list's mark never lets a start skip
// its own: it reads and tombstones them as though there were no mark. What sharing costs is a
// read at each start that follows the other deployment's mark (as before round 37), not a key
// left live. On a real broker.
func TestADeploymentSharingTheTopicsNeverSkipsItsOwnLegacyKeysOnTheOthersMark(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sink, topic, w := feedStatusToWrite(t, ctx, cfg.Kafka, log)
	other := []feed.Spec{{URL: legacyHost + "/elsewhere?token=S3CRET-O"}}
	var today []kafkago.Message
	for _, s := range other {
		today = append(today, kafkago.Message{Key: []byte(record.FeedKey(s.URL)), Value: []byte(`{"type":"feed_status"}`)})
	}
	kafkatest.Write(t, ctx, w, today...)

	// The other deployment's start finds none of its keys and marks them gone.
	tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, other, log)
	if again := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, other, log); again.Records != 0 {
		t.Fatalf("the other deployment's second start read %d records: its mark did not hold", again.Records)
	}
	// This deployment's earlier release wrote its keys; its start after the other's mark.
	kafkatest.Write(t, ctx, w, olderReleasesRecords()...)
	if read := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log); read.Legacy < int64(len(legacyStatusKeys)) {
		t.Errorf("a start after another feed list's mark read %d records under its legacy keys, want its %d", read.Legacy, len(legacyStatusKeys))
	}
	wantLegacyKeysTombstoned(t, ctx, cfg.Kafka, topic, "")
}
