package opshttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// These cases play a hostile client against the ops listener, which is
// meant for operators but is often reachable from more of the network.

func serveOps(t *testing.T, profiling bool) (*Server, string) {
	t.Helper()
	s, err := New("127.0.0.1:0", prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if profiling {
		s.EnableProfiling()
	}
	done := make(chan error)
	go func() { done <- s.Serve() }()
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return s, "http://" + s.Addr()
}

// Every request the listener reads is bounded in time: the header (a
// slowloris), the whole request, the response to a reader that stops
// reading, and an idle keep-alive connection, which otherwise holds its
// goroutine and buffers for ever.
func TestTheOpsServerBoundsEveryConnection(t *testing.T) {
	s, _ := serveOps(t, false)
	for name, d := range map[string]any{
		"ReadHeaderTimeout": s.srv.ReadHeaderTimeout, "ReadTimeout": s.srv.ReadTimeout,
		"WriteTimeout": s.srv.WriteTimeout, "IdleTimeout": s.srv.IdleTimeout,
	} {
		if fmt.Sprint(d) == "0s" {
			t.Errorf("the ops server's %s is unset: a client can hold a connection for ever", name)
		}
	}
	// A CPU profile of the documented 30 s must still fit the write timeout.
	if s.srv.WriteTimeout <= 30e9 {
		t.Errorf("WriteTimeout %s refuses the 30 s CPU profile the README shows", s.srv.WriteTimeout)
	}
}

// A request line or header of 100 KB (a long query string) is refused
// with 431 before any handler runs, not read into memory up to Go's 1 MB
// default.
func TestLongRequestsAreRefused(t *testing.T) {
	_, base := serveOps(t, false)
	for _, path := range []string{"/status", "/metrics", "/readyz"} {
		code, _ := get(t, base+path+"?q="+strings.Repeat("a", 100<<10))
		if code != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("GET %s with a 100 KB query answered %d; want 431", path, code)
		}
	}
}

// The one handler that reads a body, pprof's POST /debug/pprof/symbol,
// answers a line per address it is sent: a large body must not turn into
// a larger answer held in memory.
func TestRequestBodiesAreCapped(t *testing.T) {
	_, base := serveOps(t, true)
	// A real function's address, so every word becomes an answer line.
	word := fmt.Sprintf("%#x+", funcPC())
	body := strings.Repeat(word, (4<<20)/len(word))
	resp, err := http.Post(base+"/debug/pprof/symbol", "text/plain", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if len(got) > 1<<20 {
		t.Errorf("a 4 MB body to /debug/pprof/symbol was answered with %d bytes; want the body capped", len(got))
	}
}

func funcPC() uintptr {
	pcs := make([]uintptr, 1)
	runtime.Callers(1, pcs)
	return pcs[0]
}

// Each /readyz asks the broker and the state store. A flood of them at
// once shares one run of the checks, so it does not become a flood of
// requests to the broker the pipeline depends on.
func TestConcurrentReadinessRequestsShareOneRunOfTheChecks(t *testing.T) {
	s, base := serveOps(t, false)
	var calls atomic.Int32
	release := make(chan struct{})
	s.AddCheck("kafka", func(ctx context.Context) error {
		calls.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return errors.New("broker unreachable")
	})
	const n = 20
	codes := make(chan int, n)
	for range n {
		go func() {
			code, _ := get(t, base+"/readyz")
			codes <- code
		}()
	}
	deadline := time.Now().Add(15 * time.Second)
	for calls.Load() < n && s.readyWaiting() < n-1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	for range n {
		if code := <-codes; code != http.StatusServiceUnavailable {
			t.Errorf("/readyz answered %d; want 503 (the check failed)", code)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("%d concurrent /readyz ran the broker check %d times; want once", n, got)
	}
	// A later request runs the checks afresh: readiness is never stale.
	get(t, base+"/readyz")
	if got := calls.Load(); got != 2 {
		t.Errorf("a /readyz after the flood ran the check %d times in all; want 2", got)
	}
}
