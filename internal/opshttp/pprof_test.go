package opshttp

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestProfilingIsServedOnlyWhenEnabled(t *testing.T) {
	for _, enabled := range []bool{false, true} {
		s, err := New("127.0.0.1:0", prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if enabled {
			s.EnableProfiling()
		}
		done := make(chan error)
		go func() { done <- s.Serve() }()
		base := "http://" + s.Addr()
		index, _ := get(t, base+"/debug/pprof/")
		heapCode, heap := get(t, base+"/debug/pprof/heap?debug=1")
		goroutines, _ := get(t, base+"/debug/pprof/goroutine?debug=1")
		if err := s.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
		switch {
		case !enabled && (index != 404 || heapCode != 404 || goroutines != 404):
			t.Errorf("profiling off: /debug/pprof/ answered %d, heap %d, goroutine %d; want 404 for all", index, heapCode, goroutines)
		case enabled && (index != 200 || heapCode != 200 || goroutines != 200 || !strings.Contains(heap, "heap profile")):
			t.Errorf("profiling on: /debug/pprof/ answered %d, heap %d (%.40q), goroutine %d; want 200 and a heap profile", index, heapCode, heap, goroutines)
		}
	}
}
