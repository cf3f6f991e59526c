package feedtopics

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

func connect(t testing.TB, brokers []string) wkafka.Conn {
	t.Helper()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	return cn
}

func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// testTopics creates both topics under a prefix of their own, deleted when the test ends.
func testTopics(t testing.TB, cn wkafka.Conn, partitions, rf, minISR int) Topics {
	t.Helper()
	tp := Topics{Prefix: uniquePrefix(t, cn), Partitions: partitions, ReplicationFactor: rf, MinInsyncReplicas: minISR}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := Ensure(ctx, cn, tp, testLog(t)); err != nil {
		t.Fatal(err)
	}
	return tp
}

// uniquePrefix is a topic prefix of t's own; its feeds and feed_state topics are deleted when
// the test ends.
func uniquePrefix(t testing.TB, cn wkafka.Conn) string {
	return kafkatest.TopicPrefix(t, cn.Brokers(), func(p string) []string {
		return []string{Topics{Prefix: p}.Feeds(), Topics{Prefix: p}.State()}
	})
}

func openFeeds(t testing.TB, cn wkafka.Conn, tp Topics) *FeedList {
	t.Helper()
	f, err := OpenFeeds(context.Background(), cn, tp, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openState(t testing.TB, cn wkafka.Conn, tp Topics) *FeedState {
	t.Helper()
	s, err := OpenState(context.Background(), cn, tp, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// partitionsOf reads a topic raw and returns, for each key, the partition it was found on.
func partitionsOf(t testing.TB, cn wkafka.Conn, topic string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tb, err := kafkatable.Open(ctx, cn, topic, kafkatable.Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	out := map[string]int{}
	if _, err := tb.RestoreAll(ctx, func(r kafkatable.Record) error {
		if p, seen := out[string(r.Key)]; seen && p != r.Partition {
			t.Errorf("%s: key %s on partitions %d and %d", topic, r.Key, p, r.Partition)
		}
		out[string(r.Key)] = r.Partition
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func brokers(t testing.TB) []string { return kafkatest.Brokers(t) }
