package kafka

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
)

// stoppedWriter is a fenced writer (internal/epochsink) that sends nothing more: a batch's
// outcome is unknown, its answer lost with the connection.
type stoppedWriter struct{}

func (stoppedWriter) WriteMessages(context.Context, ...kafka.Message) error {
	return fmt.Errorf("transactional id t: %w: a batch's outcome is unknown: read tcp: i/o timeout", ErrWriterStopped)
}

// A writer that stopped ends the Write at once, and says nothing of the brokers: its outcome
// may be unknown because no broker answered. It was classed with a broker's refusal, which
// set wirestream_kafka_broker_up to 1 ("the broker answered; it refused us").
func TestAStoppedWriterDoesNotSayTheBrokerIsUp(t *testing.T) {
	_, cfg := fakeConfig(t)
	s := newSink(t, cfg, prometheus.NewRegistry())
	s.m.brokerUp.Set(0)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	err := s.WriteVia(ctx, stoppedWriter{}, fixtures.Stories(3))
	if !errors.Is(err, ErrWriterStopped) {
		t.Fatalf("WriteVia through a stopped writer: %v, want ErrWriterStopped", err)
	}
	if up := testutil.ToFloat64(s.m.brokerUp); up != 0 {
		t.Errorf("wirestream_kafka_broker_up %v after a writer stopped with its outcome unknown, want it left at 0", up)
	}
}
