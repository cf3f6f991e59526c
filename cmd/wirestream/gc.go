package main

import (
	"runtime/debug"

	"github.com/wirestream/wirestream/internal/config"
)

// The collector's default for each command when runtime.gc_percent is
// 0. `run` keeps Go's 100: a daemon's heap is its remembered state, and
// a higher setting lets it grow to (1 + GOGC/100) times that state
// (issue 12's ≤ 600 MB peak at 1M remembered stories has no room for
// 3×). `process` is a batch whose heap is mostly garbage it made: 400
// measured 0.91–0.95× the CPU per 5 KB article and 0.95–0.97× per
// headline of Go's 100, at +12 and +20 MB of peak RSS (BENCHMARKS.md,
// round 26, perf26).
const (
	runGCPercent     = 100
	processGCPercent = 400
)

// applyRuntime sets the garbage collector from rc before a command's
// work: GOGC to rc.GCPercent (def when it is 0) unless the environment
// sets GOGC, and the soft memory limit to rc.MemoryLimitMiB when it is
// above 0 unless the environment sets GOMEMLIMIT — the runtime's own
// variables win, as a user who sets them means them. It returns a func
// that puts back what it found (a command run in-process, as tests do,
// leaves the runtime as it was).
func applyRuntime(rc config.RuntimeConfig, def int, lookupEnv func(string) (string, bool)) (undo func()) {
	var undos []func()
	if _, set := lookupEnv("GOGC"); !set {
		p := rc.GCPercent
		if p == 0 {
			p = def
		}
		was := debug.SetGCPercent(p)
		undos = append(undos, func() { debug.SetGCPercent(was) })
	}
	if _, set := lookupEnv("GOMEMLIMIT"); !set && rc.MemoryLimitMiB > 0 {
		was := debug.SetMemoryLimit(rc.MemoryLimitMiB << 20)
		undos = append(undos, func() { debug.SetMemoryLimit(was) })
	}
	return func() {
		for _, u := range undos {
			u()
		}
	}
}
