package kafkatest

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"
)

// RequestCounter is a kafka.RoundTripper that counts the metadata and produce requests a writer
// sends on to Next, for tests of how many requests a write costs.
type RequestCounter struct {
	Next kafka.RoundTripper

	mu       sync.Mutex
	metadata int
	produce  int
}

func (c *RequestCounter) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	c.mu.Lock()
	switch req.(type) {
	case *metadataAPI.Request:
		c.metadata++
	case *produceAPI.Request:
		c.produce++
	}
	c.mu.Unlock()
	return c.Next.RoundTrip(ctx, addr, req)
}

// Counts returns the metadata and produce requests counted so far, and sets both counts to 0.
func (c *RequestCounter) Counts() (metadata, produce int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	metadata, produce = c.metadata, c.produce
	c.metadata, c.produce = 0, 0
	return metadata, produce
}

// SlowAcks is a kafka.RoundTripper that sends each produce request on to Next at once and
// hands its answer back Delay later, as a loaded broker acknowledges: the records have landed
// while the writer still waits. Sent, when set, is called once each produce request has been
// answered by Next, before the delay.
type SlowAcks struct {
	Next  kafka.RoundTripper
	Delay time.Duration
	Sent  func()
}

func (s SlowAcks) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	res, err := s.Next.RoundTrip(ctx, addr, req)
	if _, ok := req.(*produceAPI.Request); ok {
		if s.Sent != nil {
			s.Sent()
		}
		time.Sleep(s.Delay)
	}
	return res, err
}
