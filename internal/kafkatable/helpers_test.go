package kafkatable

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

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

var unsafe = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// tableName is a unique topic name for t, deleted when the test ends.
func tableName(t testing.TB, cn wkafka.Conn) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := unsafe.ReplaceAllString(t.Name(), ".")
	if len(name) > 180 {
		name = name[:180]
	}
	name = "wirestream-test-" + name + "-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cl, done := cn.Client(10 * time.Second)
		defer done()
		if res, err := cl.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{name}}); err != nil {
			t.Errorf("delete topic %s: %v", name, err)
		} else if err := res.Errors[name]; err != nil && err != kafka.UnknownTopicOrPartition {
			t.Errorf("delete topic %s: %v", name, err)
		}
	})
	return name
}

// newTable creates a compacted topic of n partitions and opens it.
func newTable(t testing.TB, cn wkafka.Conn, n int) *Table {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := tableName(t, cn)
	if err := Ensure(ctx, cn, []Spec{{Topic: name, Partitions: n, ReplicationFactor: 1, MinInsyncReplicas: 1}}, testLog(t)); err != nil {
		t.Fatal(err)
	}
	tb, err := Open(ctx, cn, name, Options{}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tb.Close() })
	return tb
}

func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func brokers(t testing.TB) []string { return kafkatest.Brokers(t) }
