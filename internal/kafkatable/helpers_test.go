package kafkatable

import (
	"context"
	"log/slog"
	"testing"
	"time"

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

// tableName is a unique topic name for t, deleted when the test ends.
func tableName(t testing.TB, cn wkafka.Conn) string {
	t.Helper()
	return kafkatest.TopicPrefix(t, cn.Brokers(), func(p string) []string { return []string{p + "table"} }) + "table"
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
