package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// A start whose feed_status topic is gone by its read (a start provisions the topic or refuses
// to run without it, so deleted meanwhile) has nothing to tombstone, and the read says so
// without a word above DEBUG. Before, it went on to commit the mark on a topic the cluster does
// not have, which the broker refused, and logged "could not mark" at INFO at every start until
// the topic came back. Once the topic holds an
// earlier release's records, a start tombstones them as always. On a real broker.
func TestAStartWithNoFeedStatusTopicYetSaysNothingAboveDebug(t *testing.T) {
	cfg, _ := legacyStatusConfig(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	for i := range 2 {
		if read := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, nil, legacyStatusFeeds, log); read.Records != 0 {
			t.Fatalf("start %d read %d records of a topic the cluster does not have", i+1, read.Records)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line != "" && !strings.Contains(line, "level=DEBUG") {
			t.Errorf("a start with no feed_status topic logged above DEBUG: %s", line)
		}
	}

	sink, topic, w := feedStatusToWrite(t, ctx, cfg.Kafka, log)
	kafkatest.Write(t, ctx, w, olderReleasesRecords()...)
	if read := tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, legacyStatusFeeds, log); read.Legacy == 0 {
		t.Fatalf("the start after the topic came read no legacy record (%d records)", read.Records)
	}
	wantLegacyKeysTombstoned(t, ctx, cfg.Kafka, topic, "")
}
