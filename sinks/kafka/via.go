package kafka

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
)

// MessageWriter sends messages as kafka-go's Writer.WriteMessages does: nil once every one
// is acknowledged, and otherwise an error, per message as kafka.WriteErrors when some went
// through. The sink's retries, size isolation and dead letters are built on it (WriteVia).
type MessageWriter interface {
	WriteMessages(ctx context.Context, msgs ...kafka.Message) error
}

// writers are what one Write sends through: batch for its records, single for a record
// retried alone after its batch was refused as too large.
type writers struct {
	batch, single MessageWriter
}

// ErrWriterStopped is what a MessageWriter's errors wrap (errors.Is) once it sends nothing
// more — a newer producer epoch fenced it, or a batch's outcome is unknown so its sequence
// is: the Write fails at once instead of retrying, and its caller must not commit anything
// derived from it (internal/epochsink).
var ErrWriterStopped = errors.New("kafka sink: the writer stopped")

// WriteVia is Write with every message, dead letters included, sent through mw instead of the
// sink's kafka-go Writer (kafka.sink_fence: internal/epochsink's fenced writer). The sink's
// guarantees hold as for Write; an error wrapping ErrWriterStopped ends it at once.
func (s *Sink) WriteVia(ctx context.Context, mw MessageWriter, recs []record.Record) error {
	return s.writeItems(ctx, writers{batch: mw, single: mw}, "", nil, recs)
}

// RawWriting is what a writer that sends the sink's records itself needs to send them where,
// and as, the sink's kafka-go Writer would: its transport (WrapWrites' included, and the
// metadata cache), its balancer (a key's partition is the same whichever writer sends it),
// compression and timeouts.
type RawWriting struct {
	Addr         net.Addr
	Transport    kafka.RoundTripper
	Balancer     kafka.Balancer
	Compression  kafka.Compression
	WriteTimeout time.Duration
	MaxAttempts  int
	BatchSize    int   // records per batch
	BatchBytes   int64 // bytes of keys, values and headers per batch
	BackoffMin   time.Duration
	BackoffMax   time.Duration
}

// RawWriting returns the sink's writing settings (after WrapWrites, when that was called).
func (s *Sink) RawWriting() RawWriting {
	return RawWriting{
		Addr: s.w.Addr, Transport: s.w.Transport, Balancer: s.w.Balancer, Compression: s.w.Compression,
		WriteTimeout: s.cfg.WriteTimeout, MaxAttempts: max(s.cfg.MaxAttempts, 1),
		BatchSize: max(s.cfg.BatchSize, 1), BatchBytes: s.cfg.BatchBytes,
		BackoffMin: s.cfg.RetryBackoffMin, BackoffMax: min(s.cfg.RetryBackoffMax, time.Second),
	}
}
