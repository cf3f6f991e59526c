package daemon

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kafkago "github.com/segmentio/kafka-go"

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
	brokers := kafkatest.Brokers(t)
	cfg := roleConfig(t, brokers)
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Poller.StartSpread = 0
	const host = "http://127.0.0.1:1" // nothing listens: every poll fails, and says so in feed_status
	query, empty, password := host+"/paid?token=S3CRET-Q", "http://S3CRET-P:@127.0.0.1:1/api", "http://reader:S3CRET-W@127.0.0.1:1/members?api_key=S3CRET-K"
	open := host + "/paid?token=xxxxx" // query's round-34 key: a feed of its own
	legacy := []string{
		query,                                   // before round 33
		empty,                                   // before round 31
		"http://S3CRET-P:xxxxx@127.0.0.1:1/api", // round 33
		"http://xxxxx@127.0.0.1:1/api",          // round 34
		password,                                // before round 31
		"http://reader:xxxxx@127.0.0.1:1/members?api_key=S3CRET-K", // rounds 31 and 32
		"http://reader:xxxxx@127.0.0.1:1/members?api_key=xxxxx",    // rounds 33 and 34
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	specs := []feed.Spec{{URL: query}, {URL: empty}, {URL: password}, {URL: open}}
	d, err := New(ctx, cfg, Options{Feeds: specs, Metrics: NewMetrics(prometheus.NewRegistry(), "test"), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	// An earlier release's records (New provisioned the topic).
	topic := cfg.Kafka.TopicName(record.TypeFeedStatus)
	w := &kafkago.Writer{Addr: kafkago.TCP(brokers...), Topic: topic, Balancer: &kafkago.Hash{}, RequiredAcks: kafkago.RequireAll}
	var old []kafkago.Message
	for _, k := range append(legacy, open) {
		old = append(old, kafkago.Message{Key: []byte(k), Value: []byte(`{"type":"feed_status","feed_url":"` + k + `"}`)})
	}
	if err := w.WriteMessages(ctx, old...); err != nil {
		t.Fatal(err)
	}
	w.Close()

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	var last map[string][]byte // key → its last record's value (nil: a tombstone)
	tombstoned := map[string]bool{}
	waitFor(t, 30*time.Second, "every legacy key tombstoned", func() bool {
		last, tombstoned = readKeys(t, ctx, cfg.Kafka, topic)
		for _, k := range legacy {
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
}

// readKeys reads topic whole: each key's last value (nil: a tombstone), and the keys that had
// a tombstone.
func readKeys(t *testing.T, ctx context.Context, kc kafka.Config, topic string) (map[string][]byte, map[string]bool) {
	t.Helper()
	cn, err := kafka.NewConn(kc)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := kafkatable.Open(ctx, cn, topic, kafkatable.Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
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
