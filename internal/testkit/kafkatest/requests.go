package kafkatest

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
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

// HungLeader is a kafka.RoundTripper that passes requests on to Next, except that while it is
// hung (Hang, until Release) it holds every produce request unsent, as a partition leader
// that stopped answering: only the request's own context ends it, with the context's error,
// and then the records never reached the broker. A held request whose context is still
// alive at Release is sent on then. Held counts the produce requests it held.
type HungLeader struct {
	Next kafka.RoundTripper

	mu   sync.Mutex
	hung chan struct{} // non-nil while hung; Release closes it
	held atomic.Int64
}

// Hang holds every produce request from now until Release.
func (h *HungLeader) Hang() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hung == nil {
		h.hung = make(chan struct{})
	}
}

// Release sends the held produce requests on and holds no more.
func (h *HungLeader) Release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hung != nil {
		close(h.hung)
		h.hung = nil
	}
}

// Held returns how many produce requests were held so far.
func (h *HungLeader) Held() int64 { return h.held.Load() }

func (h *HungLeader) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*produceAPI.Request); ok {
		h.mu.Lock()
		hung := h.hung
		h.mu.Unlock()
		if hung != nil {
			h.held.Add(1)
			select {
			case <-hung:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return h.Next.RoundTrip(ctx, addr, req)
}
