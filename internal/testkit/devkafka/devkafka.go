// Package devkafka gives tests of Kafka readers (tail, the development
// broker itself) records to read: an in-process development broker and
// the Kafka sink writing to it, so what they read is what the sink writes.
package devkafka

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/devbroker"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// Start starts a development broker on a free loopback port, stopped when
// the test ends, and returns its addresses.
func Start(tb testing.TB) []string {
	tb.Helper()
	b, err := devbroker.Start(tb.Context(), "127.0.0.1:0", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b.Addrs()
}

// Publish writes recs to brokers with the Kafka sink in its default
// configuration (which provisions the topics), checks the sink is ready,
// closes it, and returns that configuration, to read the topics with.
func Publish(tb testing.TB, brokers []string, recs ...record.Record) kafkasink.Config {
	tb.Helper()
	cfg := kafkasink.DefaultConfig()
	cfg.Brokers = brokers
	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	s, err := kafkasink.New(ctx, cfg, nil, nil)
	if err != nil {
		tb.Fatalf("new Kafka sink on %v: %v", brokers, err)
	}
	if err := s.Write(ctx, recs); err != nil {
		tb.Fatalf("write %d records: %v", len(recs), err)
	}
	if err := s.Ready(ctx); err != nil {
		tb.Errorf("sink not ready after a write: %v", err)
	}
	if err := s.Close(ctx); err != nil {
		tb.Fatalf("close Kafka sink: %v", err)
	}
	return cfg
}
