package kafkatable

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// metadataProxy forwards a client's connections to a broker and counts the Metadata requests
// sent through it and the bytes of their responses. Kafka's framing is a 4-byte length; a
// request's header starts with its API key (Metadata is 3) and version, then the correlation
// id its response starts with.
type metadataProxy struct {
	ln     net.Listener
	target string

	mu        sync.Mutex
	requests  int
	respBytes int64
}

func newMetadataProxy(t *testing.T, target string) *metadataProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &metadataProxy{ln: ln, target: target}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { p.serve(c) })
		}
	})
	return p
}

func (p *metadataProxy) serve(c net.Conn) {
	defer c.Close()
	b, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer b.Close()
	var mu sync.Mutex
	metadata := map[int32]bool{} // correlation ids of the Metadata requests in flight
	done := make(chan struct{})
	go func() {
		defer close(done)
		forwardFrames(c, b, func(frame []byte) {
			if len(frame) >= 8 && binary.BigEndian.Uint16(frame[0:2]) == 3 {
				mu.Lock()
				metadata[int32(binary.BigEndian.Uint32(frame[4:8]))] = true
				mu.Unlock()
				p.mu.Lock()
				p.requests++
				p.mu.Unlock()
			}
		})
		b.Close()
	}()
	forwardFrames(b, c, func(frame []byte) {
		if len(frame) < 4 {
			return
		}
		id := int32(binary.BigEndian.Uint32(frame[0:4]))
		mu.Lock()
		ok := metadata[id]
		delete(metadata, id)
		mu.Unlock()
		if ok {
			p.mu.Lock()
			p.respBytes += int64(4 + len(frame))
			p.mu.Unlock()
		}
	})
	c.Close()
	<-done
}

// forwardFrames copies length-prefixed frames from src to dst, handing each frame's body to fn.
func forwardFrames(src io.Reader, dst io.Writer, fn func([]byte)) {
	var size [4]byte
	for {
		if _, err := io.ReadFull(src, size[:]); err != nil {
			return
		}
		body := make([]byte, binary.BigEndian.Uint32(size[:]))
		if _, err := io.ReadFull(src, body); err != nil {
			return
		}
		fn(body)
		if _, err := dst.Write(append(size[:], body...)); err != nil {
			return
		}
	}
}

// counts returns the Metadata requests and their responses' bytes so far, and resets both.
func (p *metadataProxy) counts() (int, int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, b := p.requests, p.respBytes
	p.requests, p.respBytes = 0, 0
	return n, b
}

// A table's transport refreshes its metadata every second or so for as long as it lives; each
// refresh asks for the table's own topic, not for every topic of the cluster, whose answer
// grows with each topic (round 16 measured 5,581 bytes a refresh with 17 topics on the broker,
// against 169 for one topic). The refreshes of a table opened through a counting proxy are
// compared with a metadata request for the whole cluster, with a dozen other topics on it.
func TestATableRefreshesTheMetadataOfItsOwnTopicOnly(t *testing.T) {
	bs := brokers(t)
	for range 12 {
		kafkatest.Topic(t, bs, 1)
	}
	p := newMetadataProxy(t, bs[0])
	tb := newTable(t, connect(t, []string{p.ln.Addr().String()}), 1)

	// The whole cluster's metadata, as a transport with MetadataTopics unset asks for it (its
	// discovery request), through a proxy of its own.
	whole := newMetadataProxy(t, bs[0])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, done := connect(t, []string{whole.ln.Addr().String()}).Client(10 * time.Second)
	defer done()
	if _, err := cl.Metadata(ctx, &kafka.MetadataRequest{}); err != nil {
		t.Fatal(err)
	}
	n, all := whole.counts()
	if n == 0 {
		t.Fatal("the cluster's metadata request did not go through the proxy")
	}
	all /= int64(n)

	p.counts()
	time.Sleep(5 * time.Second) // a sampling window: the table is idle, only its refreshes pass
	refreshes, bytes := p.counts()
	if refreshes == 0 {
		t.Fatalf("table %s: no metadata refresh in 5 s through the proxy", tb.Topic())
	}
	per := bytes / int64(refreshes)
	t.Logf("table %s: %d metadata refreshes in 5 s, %d bytes each; the whole cluster's metadata: %d bytes", tb.Topic(), refreshes, per, all)
	if per >= all {
		t.Errorf("a table's metadata refresh is %d bytes, the whole cluster's %d: the refresh asks for more than its topic", per, all)
	}
}
