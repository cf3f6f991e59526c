package daemon

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// On a real broker whose stories topic takes at most 16 KiB per message:
// a story over it is dead-lettered with the broker's error and its batch
// acked — the feed saves its progress and is not read again early — and,
// when the dead-letter topic refuses even the dead letter, the batch fails
// and the feed learns it at once, through the ack, and reads again after
// its backoff instead of waiting out commit_timeout. (Issue 13, point 11.)
func TestARecordOverTheBrokerLimit(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	noise := make([]byte, 30<<10)
	_, _ = rand.Read(noise)
	big := base64.StdEncoding.EncodeToString(noise) // 40 KB that compression cannot bring under 16 KiB
	body := fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><title>Council approves the budget for city parks</title><link>https://wire.example/parks</link><guid>parks</guid>
<description>The council approved the budget on Tuesday after a long debate about maintenance costs.</description></item>
<item><title>A document dump</title><link>https://wire.example/dump</link><guid>dump</guid><description>%s</description></item>
</channel></rss>`, big)

	for _, c := range []struct {
		name           string
		deadLetterMax  int // max.message.bytes of the dead-letter topic; 0: the broker's default
		wantBatchFails bool
	}{
		{"is dead-lettered and its batch acked", 0, false},
		{"fails its batch at once when even its dead letter is refused", 256, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newFeedServer(t, func(int) string { return body })
			cfg := hostileConfig(t)
			kcfg := kafkasink.DefaultConfig()
			kcfg.Brokers = brokers
			kcfg.RetryBackoffMin, kcfg.RetryBackoffMax = 10*time.Millisecond, 200*time.Millisecond
			kcfg.TopicPrefix = kafkatest.TopicPrefix(t, brokers, func(prefix string) []string {
				k := kcfg
				k.TopicPrefix = prefix
				return k.TopicNames()
			})
			limits := map[string]int{kcfg.TopicName(record.TypeStory): 16 << 10}
			if c.deadLetterMax > 0 {
				limits[kcfg.TopicName(record.TypeDeadLetter)] = c.deadLetterMax
			}
			createLimitedTopics(t, brokers, limits)
			cfg.Kafka = kcfg
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			sink, err := kafkasink.New(ctx, kcfg, slog.New(slog.DiscardHandler), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close(context.Background())

			m := runDaemon(t, cfg, []feed.Spec{{URL: srv.URL + "/rss"}}, nil, sink, func(m *Metrics) bool {
				if c.wantBatchFails {
					return testutil.ToFloat64(m.Poller.BatchesFailed) >= 1 && len(srv.requests()) >= 2
				}
				return len(srv.requests()) >= 2
			})
			reqs := srv.requests()
			failed := testutil.ToFloat64(m.Poller.BatchesFailed)
			if n := testutil.ToFloat64(m.Poller.CommitTimeouts); n != 0 {
				t.Errorf("commit timeouts = %v: the feed learned of the batch's fate from the safety net", n)
			}
			if !c.wantBatchFails {
				if failed != 0 || !reqs[1] {
					t.Errorf("failed batches %v, requests conditional %v: a batch whose refused record is dead-lettered is acked, and the feed's progress saved", failed, reqs)
				}
				stories := kafkatest.ReadAll(t, brokers, kcfg.TopicName(record.TypeStory), 1, 30*time.Second)
				dls := kafkatest.ReadAll(t, brokers, kcfg.TopicName(record.TypeDeadLetter), 1, 30*time.Second)
				if len(stories) != 1 || len(dls) != 1 || !tooLarge(string(dls[0].Value)) {
					t.Fatalf("%d stories, %d dead letters (%.300s): want the small story published and the big one dead-lettered with the broker's error",
						len(stories), len(dls), firstValue(dls))
				}
				return
			}
			if reqs[1] {
				t.Errorf("requests conditional %v: the re-read after the failed batch must be unconditional", reqs)
			}
		})
	}
}

func tooLarge(s string) bool {
	return strings.Contains(s, "Message Size Too Large") || strings.Contains(s, "Record List Too Large")
}

func firstValue(msgs []kafka.Message) string {
	if len(msgs) == 0 {
		return ""
	}
	return string(msgs[0].Value)
}

// createLimitedTopics creates topics with a max.message.bytes each (and
// the delete cleanup policy the sink expects of them), before the sink
// provisions the rest.
func createLimitedTopics(t *testing.T, brokers []string, limits map[string]int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cl := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 30 * time.Second}
	req := &kafka.CreateTopicsRequest{}
	for name, max := range limits {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: name, NumPartitions: 1, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "delete"}, {ConfigName: "max.message.bytes", ConfigValue: strconv.Itoa(max)}}})
	}
	res, err := cl.CreateTopics(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for name, err := range res.Errors {
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
}
