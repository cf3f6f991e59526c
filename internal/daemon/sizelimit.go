package daemon

import (
	"context"
	"fmt"
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
	out := make([]record.Record, 0, len(recs))
	for _, r := range recs {
		dl, err := s.kafka.OversizeDeadLetter(r, s.now())
		if err != nil {
			return fmt.Errorf("process: %w", err)
		}
		if dl != nil {
			out = append(out, dl)
			continue
		}
		out = append(out, r)
	}
	return s.next.Write(ctx, out)
}
