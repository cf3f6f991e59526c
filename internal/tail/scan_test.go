package tail

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// Scan promises every record up to the end; a read its context ended midway returned nil all
// the same, and its caller took the records it had for the whole topic: the start's legacy
// feed_status read would mark keys it never reached gone (internal/daemon), `feeds status`
// showed part of a table as the table. A Scan cut short now says so.
func TestAScanCutShortSaysSo(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	var msgs []kafka.Message
	for i := range 12 {
		msgs = append(msgs, kafka.Message{Value: fmt.Appendf(nil, "record-%02d", i)})
	}
	kafkatest.Write(t, ctx, w, msgs...)

	cfg := kafkasink.DefaultConfig()
	cfg.Brokers = brokers
	scanCtx, stop := context.WithCancel(ctx)
	defer stop()
	seen := 0
	err := Scan(scanCtx, cfg, topic, func(kafka.Message) error {
		seen++
		stop() // the caller's run ends after the first record
		return nil
	})
	if seen >= len(msgs) {
		t.Fatalf("the scan read all %d records before the stop; the test wants it cut short", seen)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a scan cut short after %d of %d records returned %v, want context.Canceled", seen, len(msgs), err)
	}
	if err := Scan(ctx, cfg, topic, func(kafka.Message) error { return nil }); err != nil {
		t.Errorf("a whole scan: %v", err)
	}
}
