package daemon

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// legacyStatusTimeout bounds the start's tombstones: a broker that does not take them in that
// long lets the run go on without them (the next start writes them again).
const legacyStatusTimeout = 30 * time.Second

// tombstoneLegacyStatusKeys tombstones in feed_status the keys earlier releases gave specs'
// records that say a feed URL's secret or are no feed's key now (record.LegacyFeedKeys), so
// that compaction drops those records. Only keys the topic holds a record under are
// tombstoned: a tombstone's key is in the topic until delete.retention.ms, and a legacy key
// may say the secret, which a key with no record never put there. So a start reads feed_status
// to its end (one record a feed once compacted) and writes a handful of tombstones per feed
// with a secret that an earlier release polled, none once they are gone. A failure is logged,
// not fatal: nothing this run writes depends on it, and the next start tries again.
func tombstoneLegacyStatusKeys(ctx context.Context, cfg kafka.Config, sink *kafka.Sink, specs []feed.Spec, log *slog.Logger) {
	urls := make([]string, len(specs))
	for i, s := range specs {
		urls[i] = s.URL
	}
	legacy := record.LegacyFeedKeys(urls...)
	if len(legacy) == 0 {
		return
	}
	scanCtx, cancel := context.WithTimeout(ctx, legacyStatusTimeout)
	defer cancel()
	held, err := heldKeys(scanCtx, cfg, legacy)
	if err == nil && len(held) > 0 {
		err = sink.Tombstone(scanCtx, record.TypeFeedStatus, held...)
	}
	if err != nil {
		legacyStatusLeft(ctx, log, err)
		return
	}
	if len(held) > 0 {
		log.Info("feed_status: tombstoned the keys earlier releases gave feeds with a secret in their URL", "keys", len(held))
	}
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

// heldKeys are those of keys (sorted) under which feed_status's last record is not a
// tombstone, sorted.
func heldKeys(ctx context.Context, cfg kafka.Config, keys []string) ([]string, error) {
	live := map[string]bool{}
	err := tail.Scan(ctx, cfg, string(record.TypeFeedStatus), func(m kafkago.Message) error {
		if _, legacy := slices.BinarySearch(keys, string(m.Key)); legacy {
			live[string(m.Key)] = m.Value != nil
		}
		return nil
	})
	if missing := (*tail.MissingTopicError)(nil); errors.As(err, &missing) {
		return nil, nil // nothing published yet
	}
	if err != nil {
		return nil, err
	}
	var held []string
	for _, k := range keys {
		if live[k] {
			held = append(held, k)
		}
	}
	return held, nil
}
