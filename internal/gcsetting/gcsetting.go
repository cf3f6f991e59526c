// Package gcsetting is the garbage collector's setting of wirestream's
// commands: GOGC and the soft memory limit from the config's runtime
// section, the environment, the container's memory limit, or else the
// live-heap following of internal/softlimit. cmd/wirestream's run and
// process apply it, and so does the load harness's measured child, from
// this one place.
package gcsetting

import (
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/softlimit"
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
	RunGCPercent     = 100
	ProcessGCPercent = 400
)

// CgroupShare is the share of the cgroup's memory limit taken as the soft
// limit when runtime.memory_limit_mib is 0: the rest is for what is
// resident outside the Go heap (the binary, stacks, the runtime's own) and
// for the heap's overshoot while the collector catches up. At 1M
// remembered stories, GOGC 100 alone let RSS reach 1030 MB while stories
// flowed; a 500 MiB soft limit held it at 515 (BENCHMARKS.md, round 26,
// memory27).
const CgroupShare = 0.9

// Where a setting came from, as the start-up log names it.
const (
	FromDefault     = "default"                 // the command's GOGC default
	FromConfig      = "config"                  // the runtime section
	FromEnvironment = "environment"             // GOGC or GOMEMLIMIT
	FromContainer   = "container"               // CgroupShare of the cgroup's memory limit
	FromLiveHeap    = "following the live heap" // softlimit.Follow
	FromNowhere     = "none"                    // no soft limit
)

// Setting is what Apply sets and where each half came from: the
// start-up log's line, so an operator reads which limit binds and why
// without working out the precedence by hand.
type Setting struct {
	GCPercent     int    // GOGC applied; unused when GCPercentFrom is FromEnvironment
	GCPercentFrom string // FromDefault, FromConfig or FromEnvironment
	// LimitBytes is the fixed soft limit set (FromConfig, FromContainer);
	// 0 when the environment's stands, it follows the live heap, or none.
	LimitBytes int64
	LimitFrom  string // FromConfig, FromEnvironment, FromContainer, FromLiveHeap or FromNowhere
	// IgnoredLimitMiB is runtime.memory_limit_mib when GOMEMLIMIT in the
	// environment overrides it: worth a warning, as the file says
	// otherwise.
	IgnoredLimitMiB int64
}

// Decide is what Apply would set from rc, def and the environment, and
// from where, without setting anything: GOGC to rc.GCPercent (def when
// it is 0) unless the environment sets GOGC, and the soft memory limit to
// rc.MemoryLimitMiB when it is above 0 unless the environment sets
// GOMEMLIMIT — the runtime's own variables win, as a user who sets them
// means them. With neither, cgroupMax (the container's memory limit in
// bytes, 0 when there is none) sets the soft limit to CgroupShare of it,
// so the heap is collected before the kernel kills the process for it.
// When nothing at all is set (neither variable, neither key, no cgroup
// limit) the soft limit follows the live heap (softlimit.Follow: a
// quarter of it over it, or rc.HeapHeadroomPercent, re-set after every
// collection, never under 512 MiB, within which GOGC paces the heap as
// with no limit), so a large remembered state does not double the
// process's RSS with garbage.
func Decide(rc config.RuntimeConfig, def int, lookupEnv func(string) (string, bool), cgroupMax int64) Setting {
	var s Setting
	_, envGOGC := lookupEnv("GOGC")
	switch {
	case envGOGC:
		s.GCPercentFrom = FromEnvironment
	case rc.GCPercent != 0:
		s.GCPercent, s.GCPercentFrom = rc.GCPercent, FromConfig
	default:
		s.GCPercent, s.GCPercentFrom = def, FromDefault
	}
	_, envLimit := lookupEnv("GOMEMLIMIT")
	switch {
	case envLimit:
		s.LimitFrom = FromEnvironment
		s.IgnoredLimitMiB = rc.MemoryLimitMiB
	case rc.MemoryLimitMiB > 0:
		s.LimitBytes, s.LimitFrom = rc.MemoryLimitMiB<<20, FromConfig
	case cgroupMax > 0:
		s.LimitBytes, s.LimitFrom = int64(float64(cgroupMax)*CgroupShare), FromContainer
	case !envGOGC && rc.GCPercent == 0:
		s.LimitFrom = FromLiveHeap
	default:
		s.LimitFrom = FromNowhere
	}
	return s
}

// LogAttrs are s as key-value pairs for the start-up log: gogc and
// memory_limit_mib with where each came from (the environment's own
// values read from it), and the headroom when the limit follows the
// live heap.
func (s Setting) LogAttrs(rc config.RuntimeConfig, lookupEnv func(string) (string, bool)) []any {
	var gogc any = s.GCPercent
	if s.GCPercentFrom == FromEnvironment {
		gogc, _ = lookupEnv("GOGC")
	}
	attrs := []any{"gogc", gogc, "gogc_from", s.GCPercentFrom}
	switch s.LimitFrom {
	case FromEnvironment:
		v, _ := lookupEnv("GOMEMLIMIT")
		attrs = append(attrs, "gomemlimit", v)
	case FromConfig, FromContainer:
		attrs = append(attrs, "memory_limit_mib", s.LimitBytes>>20)
	case FromLiveHeap:
		headroom := rc.HeapHeadroomPercent
		if headroom == 0 {
			headroom = int(softlimit.Share * 100)
		}
		attrs = append(attrs, "heap_headroom_percent", headroom, "memory_limit_floor_mib", softlimit.Budget>>20)
	}
	return append(attrs, "memory_limit_from", s.LimitFrom)
}

// Apply sets the garbage collector as Decide says, before a command's
// work. It returns a func that puts back what it found (a command run
// in-process, as tests do, leaves the runtime as it was).
func Apply(rc config.RuntimeConfig, def int, lookupEnv func(string) (string, bool), cgroupMax int64) (undo func()) {
	s := Decide(rc, def, lookupEnv, cgroupMax)
	var undos []func()
	if s.GCPercentFrom != FromEnvironment {
		was := debug.SetGCPercent(s.GCPercent)
		undos = append(undos, func() { debug.SetGCPercent(was) })
	}
	switch s.LimitFrom {
	case FromConfig, FromContainer:
		was := debug.SetMemoryLimit(s.LimitBytes)
		undos = append(undos, func() { debug.SetMemoryLimit(was) })
	case FromLiveHeap:
		undos = append(undos, softlimit.Follow(s.GCPercent, rc.HeapHeadroomPercent))
	}
	return func() {
		for _, u := range slices.Backward(undos) {
			u()
		}
	}
}

// CgroupMemoryMax is the memory limit of the cgroup the process sees at
// /sys/fs/cgroup (a container's own, under a cgroup namespace, as Docker
// and Kubernetes give it): cgroup v2's memory.max, else v1's
// memory.limit_in_bytes. 0 when there is none, it reads "max", or it is
// v1's "unlimited" (a page-rounded 2^63-1).
func CgroupMemoryMax(readFile func(string) ([]byte, error)) int64 {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := readFile(path)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		if v == "max" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}

// ContainerMemoryMax is CgroupMemoryMax of this process.
func ContainerMemoryMax() int64 { return CgroupMemoryMax(os.ReadFile) }

// Run is what `run` applies: Apply at RunGCPercent. The load harness's
// measured child (cmd/loadtest measure) applies it too, so its figures are
// those of a real `wirestream run` with the same config and environment.
func Run(rc config.RuntimeConfig, lookupEnv func(string) (string, bool), cgroupMax int64) (undo func()) {
	return Apply(rc, RunGCPercent, lookupEnv, cgroupMax)
}
