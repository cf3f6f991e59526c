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

// Apply sets the garbage collector from rc before a command's
// work: GOGC to rc.GCPercent (def when it is 0) unless the environment
// sets GOGC, and the soft memory limit to rc.MemoryLimitMiB when it is
// above 0 unless the environment sets GOMEMLIMIT — the runtime's own
// variables win, as a user who sets them means them. With neither,
// cgroupMax (the container's memory limit in bytes, 0 when there is
// none) sets the soft limit to CgroupShare of it, so the heap is
// collected before the kernel kills the process for it. When nothing at
// all is set (neither variable, neither key, no cgroup limit) the soft
// limit follows the live heap (softlimit.Follow: a quarter of it over
// it, or rc.HeapHeadroomPercent, re-set after every collection, never under 512 MiB, within which
// GOGC paces the heap as with no limit), so a large remembered state
// does not double the process's RSS with garbage. It returns a func that puts back what it found (a
// command run in-process, as tests do, leaves the runtime as it was).
func Apply(rc config.RuntimeConfig, def int, lookupEnv func(string) (string, bool), cgroupMax int64) (undo func()) {
	var undos []func()
	_, envGOGC := lookupEnv("GOGC")
	p := rc.GCPercent
	if p == 0 {
		p = def
	}
	if !envGOGC {
		was := debug.SetGCPercent(p)
		undos = append(undos, func() { debug.SetGCPercent(was) })
	}
	if _, set := lookupEnv("GOMEMLIMIT"); !set {
		limit := rc.MemoryLimitMiB << 20
		if limit == 0 && cgroupMax > 0 {
			limit = int64(float64(cgroupMax) * CgroupShare)
		}
		switch {
		case limit > 0:
			was := debug.SetMemoryLimit(limit)
			undos = append(undos, func() { debug.SetMemoryLimit(was) })
		case !envGOGC && rc.GCPercent == 0:
			undos = append(undos, softlimit.Follow(p, rc.HeapHeadroomPercent))
		}
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
