package opshttp

import (
	"net/http/pprof"
)

// EnableProfiling serves Go's runtime profiles under /debug/pprof/ (CPU,
// heap, allocations, goroutines, mutex and block contention, execution
// traces), as net/http/pprof defines them, so a running instance can be
// profiled where it shows a problem:
//
//	go tool pprof -seconds 30 http://HOST:9464/debug/pprof/profile
//
// Off unless the configuration asks (`pprof: true`): the profiles
// describe the process's internals, and a CPU profile or trace costs CPU
// while it runs, so the listener should then be reachable only by
// operators.
func (s *Server) EnableProfiling() {
	s.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	s.mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	s.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	s.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	s.mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	s.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}
