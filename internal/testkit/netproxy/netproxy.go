// Package netproxy is a TCP proxy for tests that puts a slow broker in front of a real one
// (or an in-memory kfake cluster): answers that come late, on the first connection or on
// every one. It knows nothing of the Kafka protocol: it delays whole reads from the
// upstream side, so each answer of a request-response protocol comes after the delay.
package netproxy

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Options say how the proxy misbehaves; the zero value forwards at once.
type Options struct {
	// FirstDelay delays every answer on the first connection only, as a broker's under
	// load when a client's first request arrives (the case kafka-go's discovery deadline
	// meets first).
	FirstDelay time.Duration
	// Delay delays every answer on every connection: a broker slow for as long as the
	// test runs.
	Delay time.Duration
}

// Start listens on a free local port and forwards each connection to upstream as opts
// say. It returns the proxy's address; everything stops when the test ends.
func Start(t testing.TB, upstream string, opts Options) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{upstream: upstream, opts: opts, done: make(chan struct{}), ln: ln}
	p.wg.Go(func() { p.serve(ln) })
	t.Cleanup(p.stop)
	return ln.Addr().String()
}

type proxy struct {
	upstream string
	opts     Options
	done     chan struct{}
	wg       sync.WaitGroup

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
	n     int // connections accepted
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		b, err := net.Dial("tcp", p.upstream)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		select {
		case <-p.done: // stop closed the listener after Accept returned
			p.mu.Unlock()
			c.Close()
			b.Close()
			return
		default:
		}
		p.n++
		delay := p.opts.Delay
		if p.n == 1 {
			delay = max(delay, p.opts.FirstDelay)
		}
		p.conns = append(p.conns, c, b)
		p.mu.Unlock()
		p.wg.Go(func() { _, _ = io.Copy(b, c); b.Close() })
		p.wg.Go(func() { forward(c, b, delay); c.Close() })
	}
}

// forward copies upstream's answers to c, each read after delay.
func forward(c, upstream net.Conn, delay time.Duration) {
	buf := make([]byte, 64<<10)
	for {
		n, err := upstream.Read(buf)
		if n > 0 {
			time.Sleep(delay)
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *proxy) stop() {
	p.mu.Lock()
	close(p.done)
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
