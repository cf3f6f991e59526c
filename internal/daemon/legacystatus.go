package daemon

import (
	"context"
	"log/slog"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// legacyStatusTimeout bounds the start's tombstones: a broker that does not take them in that
// long lets the run go on without them (the next start writes them again).
const legacyStatusTimeout = 30 * time.Second

// tombstoneLegacyStatusKeys tombstones in feed_status the keys earlier releases gave specs'
// records that say a feed URL's secret or are no feed's key now (record.LegacyFeedKeys), so
// that compaction drops those records. Every start writes them again, a handful per feed with
// a secret and none for the others: which of them the topic still holds would take reading it
// whole. A failure is logged, not fatal: nothing this run writes depends on it.
func tombstoneLegacyStatusKeys(ctx context.Context, sink *kafka.Sink, specs []feed.Spec, log *slog.Logger) {
	urls := make([]string, len(specs))
	for i, s := range specs {
		urls[i] = s.URL
	}
	keys := record.LegacyFeedKeys(urls...)
	if len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, legacyStatusTimeout)
	defer cancel()
	if err := sink.Tombstone(ctx, record.TypeFeedStatus, keys...); err != nil {
		log.Warn("feed_status: earlier releases' records under keys that say a feed URL's secret are left; the next start tombstones them again",
			"keys", len(keys), "err", err)
		return
	}
	log.Info("feed_status: tombstoned the keys earlier releases gave feeds with a secret in their URL", "keys", len(keys))
}
