package daemon

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// feed_status is compacted: a record an earlier release wrote under a key that says a feed
// URL's secret — the URL as written (a password before round 31, a token before round 33),
// the userinfo redacted but the query as written (rounds 31–32), round 33's TOKEN:xxxxx@ —
// stayed there for good, since the feed's records moved to a new key and nothing wrote that
// key again; round 34's key, which says no secret, stayed beside the feed's own too. A run
// now tombstones, when it starts, every such key it can spell from its feeds' URLs, so that
// compaction drops those records: read back from a real broker, each legacy key's last record
// is a tombstone, no live key says a secret, and a listed feed whose URL is another's legacy
// key (?token=xxxxx, said as written) keeps its records.
func TestARunTombstonesTheFeedStatusKeysEarlierReleasesGaveItsFeeds(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	d, err := New(ctx, cfg, Options{Feeds: legacyStatusFeeds, Metrics: NewMetrics(prometheus.NewRegistry(), "test"), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	wantLegacyStatusTombstoned(t, ctx, cfg, d.Run)
}

// The same for a fetcher, whose feeds are the feed list topic's.
func TestAFetcherTombstonesTheFeedStatusKeysEarlierReleasesGaveTheListsFeeds(t *testing.T) {
	cfg, log := legacyStatusConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	f, err := NewFetcher(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.feeds.Push(ctx, legacyStatusFeeds, false); err != nil {
		t.Fatal(err)
	}
	wantLegacyStatusTombstoned(t, ctx, cfg, f.Run)
}

// legacyStatusConfig is the tests' configuration, polling legacyHost, and their logger.
func legacyStatusConfig(t *testing.T) (config.Config, *slog.Logger) {
	cfg := roleConfig(t, kafkatest.Brokers(t))
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Poller.StartSpread = 0
	return cfg, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

const legacyHost = "http://127.0.0.1:1" // nothing listens: every poll fails, and says so in feed_status

// legacyStatusFeeds are feeds with secrets of each kind, and one whose URL is another's
// round-34 key (?token=xxxxx, said as written): a feed of its own.
var legacyStatusFeeds = []feed.Spec{
	{URL: legacyHost + "/paid?token=S3CRET-Q"},
	{URL: "http://S3CRET-P:@127.0.0.1:1/api"},
	{URL: "http://reader:S3CRET-W@127.0.0.1:1/members?api_key=S3CRET-K"},
	{URL: legacyHost + "/paid?token=xxxxx"},
}

// neverWritten is a key an earlier release could have given a feed's records but the topic
// holds none under: it gets no tombstone, whose key would put the secret there.
const neverWritten = "http://S3CRET-P:@127.0.0.1:1/api" // before round 31

// legacyStatusKeys are the keys earlier releases gave legacyStatusFeeds' records.
var legacyStatusKeys = []string{
	legacyHost + "/paid?token=S3CRET-Q",                           // before round 33
	"http://S3CRET-P:xxxxx@127.0.0.1:1/api",                       // round 33
	"http://xxxxx@127.0.0.1:1/api",                                // round 34
	"http://reader:S3CRET-W@127.0.0.1:1/members?api_key=S3CRET-K", // before round 31
	"http://reader:xxxxx@127.0.0.1:1/members?api_key=S3CRET-K",    // rounds 31 and 32
	"http://reader:xxxxx@127.0.0.1:1/members?api_key=xxxxx",       // rounds 33 and 34
}

// wantLegacyStatusTombstoned writes an earlier release's records of legacyStatusFeeds under
// legacyStatusKeys (and one under the last feed's key, a listed feed's), runs run until each
// legacy key's last record read back is a tombstone, and checks that no live key says a
// secret, the listed feed's key got no tombstone, nor did neverWritten.
func wantLegacyStatusTombstoned(t *testing.T, ctx context.Context, cfg config.Config, run func(context.Context) error) {
	t.Helper()
	open := legacyStatusFeeds[len(legacyStatusFeeds)-1].URL
	topic := cfg.Kafka.TopicName(record.TypeFeedStatus)
	w := &kafkago.Writer{Addr: kafkago.TCP(cfg.Kafka.Brokers...), Topic: topic, Balancer: &kafkago.Hash{}, RequiredAcks: kafkago.RequireAll}
	old := append(olderReleasesRecords(), kafkago.Message{Key: []byte(open), Value: []byte(`{"type":"feed_status","feed_url":"` + open + `"}`)})
	defer w.Close()
	// A fetcher's sink creates feed_status at its first write, when no processor did: until
	// then the topic may be unknown.
	var err error
	waitFor(t, 30*time.Second, "the earlier release's records written", func() bool {
		err = w.WriteMessages(ctx, old...)
		return err == nil || !errors.Is(err, kafkago.UnknownTopicOrPartition)
	})
	if err != nil {
		t.Fatal(err)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(runCtx) }()
	var last map[string][]byte // key → its last record's value (nil: a tombstone)
	tombstoned := map[string]bool{}
	waitFor(t, 30*time.Second, "every legacy key tombstoned", func() bool {
		last, tombstoned = readKeys(t, ctx, cfg.Kafka, topic)
		for _, k := range legacyStatusKeys {
			if last[k] != nil {
				return false
			}
		}
		return true
	})
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for k, v := range last {
		if v != nil && strings.Contains(k, "S3CRET") {
			t.Errorf("feed_status still holds a record under %q", k)
		}
	}
	if tombstoned[open] {
		t.Errorf("the listed feed %s was tombstoned: its URL is another feed's legacy key", open)
	}
	if _, ok := last[neverWritten]; ok {
		t.Errorf("a tombstone for %q, under which feed_status held no record: its key says the secret", neverWritten)
	}
}

// readKeys reads topic whole: each key's last value (nil: a tombstone), and the keys that had
// a tombstone.
func readKeys(t *testing.T, ctx context.Context, kc kafka.Config, topic string) (map[string][]byte, map[string]bool) {
	t.Helper()
	tb := openToReadBack(t, ctx, kc, topic)
	defer tb.Close()
	last, tombstoned := map[string][]byte{}, map[string]bool{}
	if _, err := tb.RestoreAll(ctx, func(r kafkatable.Record) error {
		last[string(r.Key)] = r.Value
		if r.Value == nil {
			tombstoned[string(r.Key)] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return last, tombstoned
}

// openToReadBack opens topic to read what the broker holds, tombstones included (the caller
// closes it).
func openToReadBack(t *testing.T, ctx context.Context, kc kafka.Config, topic string) *kafkatable.Table {
	t.Helper()
	cn, err := kafka.NewConn(kc)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := kafkatable.Open(ctx, cn, topic, kafkatable.Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}
