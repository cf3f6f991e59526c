package epochsink_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// slowLoading is a transaction coordinator that answers every InitProducerID "loading", each
// answer taking delay (a loaded broker), or less when the request's context ends first.
type slowLoading struct {
	delay    time.Duration
	answered atomic.Int32
}

func (c *slowLoading) RoundTrip(ctx context.Context, _ net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); !ok {
		return nil, kafka.GroupCoordinatorNotAvailable
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(c.delay):
		c.answered.Add(1)
		return &initproducerid.Response{ErrorCode: int16(kafka.GroupLoadInProgress)}, nil
	}
}

// A wait that ends during a request, not between two, still says what the coordinator last
// answered: the daemon's sink fence waits for a coordinator that is loading
// (kafkastate.CoordinatorLoading) and falls back to unfenced writes, for the process's life, for
// one that never answered. The request's own error — the context's end — was reported as the
// last answer, so a loading coordinator whose answers took a while (0.6 s here, the wait ending
// 0.35 s into the second request) read as silent.
func TestAWaitEndingMidRequestReportsTheCoordinatorsLastAnswer(t *testing.T) {
	c := &slowLoading{delay: 600 * time.Millisecond}
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: c}
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	w, err := epochsink.Open(ctx, rw, "wirestream-sink/test/items/0")
	if w != nil || err == nil {
		t.Fatalf("took an epoch from a coordinator that only said it was loading: %v", err)
	}
	if c.answered.Load() == 0 {
		t.Fatal("the coordinator never answered before the wait ended: the test tests nothing")
	}
	if !kafkastate.CoordinatorLoading(err) {
		t.Errorf("the wait ended while the coordinator had answered 'loading' %d time(s), but the error does not say so (CoordinatorLoading false): %v",
			c.answered.Load(), err)
	}
}
