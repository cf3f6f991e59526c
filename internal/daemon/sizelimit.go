package daemon

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// sizeLimit applies run's record size limit to what `process` writes: a
// record whose Kafka message would be over kafka.max_message_bytes, in
// its topic's format, is replaced by the very dead letter run's Kafka
// sink would publish in its place.
type sizeLimit struct {
	next  pipeline.Sink
	kafka kafkasink.Config
	now   func() time.Time
}

func (s *sizeLimit) Write(ctx context.Context, recs []record.Record) error {
	// The clock is read once a batch, as run's sink stamps a batch's dead
	// letters with one time; nearly every batch replaces nothing and is
	// passed on as it came, without a copy.
	now := s.now()
	out, copied := recs, false
	for i, r := range recs {
		dl, err := s.kafka.OversizeDeadLetter(r, now)
		if err != nil {
			return fmt.Errorf("process: %w", err)
		}
		if dl == nil {
			continue
		}
		if !copied {
			out, copied = slices.Clone(recs), true // the caller's slice stays as it was
		}
		out[i] = dl
	}
	return s.next.Write(ctx, out)
}
