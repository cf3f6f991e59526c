// Package opshttp serves wirestream's one operations listener: /metrics
// for Prometheus, /healthz (the process is alive), /readyz (every
// dependency it needs to make progress answers: the broker is reachable,
// the state store is open) and /status, a read-only page for people:
// feeds by health with their last error, live events, recent alerts and
// the pipeline's throughput. The page refreshes itself, needs no
// JavaScript and loads nothing from elsewhere; html/template escapes
// everything it shows, feed names and error messages included.
package opshttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check reports whether one dependency is ready; nil means ready.
type Check func(ctx context.Context) error

// Server is the operations HTTP server.
type Server struct {
	srv *http.Server
	mux *http.ServeMux
	ln  net.Listener
	log *slog.Logger

	mu     sync.Mutex
	checks map[string]Check
	status Status

	readyRun     *readyRun // the run of the checks in flight, if any
	readyWaiters int       // calls waiting for it
}

// New listens on addr (":0" picks a free port) and serves gatherer's
// metrics. Checks are added with AddCheck.
func New(addr string, g prometheus.Gatherer, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics and health on %s: %w", addr, err)
	}
	s := &Server{ln: ln, log: log, checks: map[string]Check{}}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorLog: slogPrinter{log}}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /status", s.statusPage)
	s.srv, s.mux = &http.Server{
		Handler:           http.MaxBytesHandler(mux, maxBodyBytes),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      maxWrite,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}, mux
	return s, nil
}

// Limits of one request to the listener. Scrapers and people send short
// GETs; nothing here needs more, and a client must not hold a goroutine
// or memory for ever (an idle keep-alive connection, a slow header, a
// response it does not read). maxWrite leaves room for a CPU profile or
// trace of up to a minute and a half (pprof refuses longer ones with an
// error naming the limit).
const (
	maxHeaderBytes = 32 << 10
	maxBodyBytes   = 64 << 10
	maxWrite       = 2 * time.Minute
)

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// AddCheck registers a readiness check under a name shown by /readyz.
func (s *Server) AddCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks[name] = c
}

// Serve serves until Shutdown; it returns nil after a clean shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve metrics and health: %w", err)
	}
	return nil
}

// Shutdown stops the server, waiting for in-flight requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// Ready runs every check (each bounded to 2 s) and returns the failures.
// Calls while a run is in flight wait for it and share its result, so a
// flood of /readyz asks the broker once, not once per request; a call
// after it runs the checks afresh.
func (s *Server) Ready(ctx context.Context) map[string]error {
	s.mu.Lock()
	if run := s.readyRun; run != nil {
		s.readyWaiters++
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.readyWaiters--; s.mu.Unlock() }()
		select {
		case <-run.done:
			return maps.Clone(run.failed)
		case <-ctx.Done():
			return map[string]error{"ready": ctx.Err()}
		}
	}
	run := &readyRun{done: make(chan struct{})}
	s.readyRun = run
	checks := maps.Clone(s.checks)
	s.mu.Unlock()
	// Whatever happens to this run (a check may panic), it ends, and its
	// waiters are not told "ready" unless every check said so.
	run.failed = map[string]error{"ready": errors.New("a readiness check did not finish")}
	defer func() {
		s.mu.Lock()
		s.readyRun = nil
		s.mu.Unlock()
		close(run.done)
	}()
	// The run is shared: it must not end because its first caller left.
	run.failed = runChecks(context.WithoutCancel(ctx), checks)
	return maps.Clone(run.failed)
}

// readyRun is one run of the readiness checks; failed is set before done
// is closed.
type readyRun struct {
	done   chan struct{}
	failed map[string]error
}

func (s *Server) readyWaiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readyWaiters
}

func runChecks(ctx context.Context, checks map[string]Check) map[string]error {
	names := slices.Sorted(maps.Keys(checks))
	failed := map[string]error{}
	for _, n := range names {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if err := checks[n](cctx); err != nil {
			failed[n] = err
		}
		cancel()
	}
	return failed
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	failed := s.Ready(r.Context())
	if len(failed) == 0 {
		fmt.Fprintln(w, "ready")
		return
	}
	var b strings.Builder
	names := make([]string, 0, len(failed))
	for n := range failed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "%s: not ready: %v\n", n, failed[n])
	}
	http.Error(w, b.String(), http.StatusServiceUnavailable)
}

type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Error("serve metrics", "err", fmt.Sprint(v...)) }
