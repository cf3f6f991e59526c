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
	"github.com/segmentio/kafka-go/protocol/rawproduce"
)

// IsProduce reports whether req is a produce request: kafka-go's Produce and Writer send a
// produce.Request, RawProduce (the state changelog's writes with a producer epoch,
// kafkatable/producer.go) a rawproduce.Request.
func IsProduce(req kafka.Request) bool {
	switch req.(type) {
	case *produceAPI.Request, *rawproduce.Request:
		return true
	}
	return false
}

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
	switch {
	case isMetadata(req):
		c.metadata++
	case IsProduce(req):
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
	if IsProduce(req) {
		if s.Sent != nil {
			s.Sent()
		}
		time.Sleep(s.Delay)
	}
	return res, err
}

// HungLeader is a kafka.RoundTripper that passes requests on to Next, except that while it is
// hung (Hang, until Release) it holds every produce request unsent, as a partition leader
// that stopped answering. A held request whose context is still alive at Release is sent on
// then. A held request whose context ends returns the context's error at once; what becomes
// of it then is Wire's choice. Held counts the produce requests it held.
type HungLeader struct {
	Next kafka.RoundTripper
	// Wire, when set, makes a held request one that left the client: the leader received it
	// and stopped answering. kafka-go's connection keeps a request it wrote until the
	// request's deadline whatever its context says, and a leader that wakes appends what it
	// received whether its sender still waits or not: so a held request whose context ended
	// is still sent on at Release (under a context of its own, its answer dropped; Late counts
	// them), after whatever passed meanwhile. Unset, such a request is dropped, as one that
	// never reached the broker.
	Wire bool

	mu      sync.Mutex
	hung    chan struct{} // non-nil while hung; Release closes it
	passing bool          // Pass: new requests go through, the held ones stay held
	held    atomic.Int64
	late    atomic.Int64
	pending sync.WaitGroup // held requests not yet answered by Next, nor dropped
}

// Hang holds every produce request from now until Release.
func (h *HungLeader) Hang() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hung == nil {
		h.hung = make(chan struct{})
	}
	h.passing = false
}

// Pass lets the produce requests that come from now on through, while those already held stay
// held until Release: a leader stuck on one connection (one request in TCP retransmission, a
// handler stalled on it) while a new connection gets through.
func (h *HungLeader) Pass() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.passing = true
}

// Release sends the held produce requests on and holds no more.
func (h *HungLeader) Release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hung != nil {
		close(h.hung)
		h.hung = nil
	}
	h.passing = false
}

// Held returns how many produce requests were held so far.
func (h *HungLeader) Held() int64 { return h.held.Load() }

// Late returns how many held requests were sent on after their context had ended (Wire).
func (h *HungLeader) Late() int64 { return h.late.Load() }

// Wait waits until every request it held has been answered by Next (sent on at Release, late
// or not) or dropped, or ctx ends. Call it after Release, and before the transport under it is
// closed: a request sent on after that opens connections of its own that nobody closes.
func (h *HungLeader) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		h.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *HungLeader) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if IsProduce(req) {
		h.mu.Lock()
		hung := h.hung
		if h.passing {
			hung = nil
		}
		if hung != nil {
			h.pending.Add(1) // before Unlock: a Wait after Release sees it
		}
		h.mu.Unlock()
		if hung != nil {
			h.held.Add(1)
			select {
			case <-hung:
			case <-ctx.Done():
				if h.Wire {
					go h.sendLate(hung, addr, req)
				} else {
					h.pending.Done()
				}
				return nil, ctx.Err()
			}
			defer h.pending.Done()
		}
	}
	return h.Next.RoundTrip(ctx, addr, req)
}

// sendLate sends a held request whose sender gave up on at Release.
func (h *HungLeader) sendLate(hung chan struct{}, addr net.Addr, req kafka.Request) {
	defer h.pending.Done()
	<-hung
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	h.late.Add(1)
	_, _ = h.Next.RoundTrip(ctx, addr, req)
}

func isMetadata(req kafka.Request) bool {
	_, ok := req.(*metadataAPI.Request)
	return ok
}
