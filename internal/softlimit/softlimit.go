// Package softlimit keeps the Go runtime's soft memory limit a little
// above the live heap, re-set after every collection, for a process that
// has no limit of its own (no GOMEMLIMIT, no GOGC, no runtime section,
// no container limit: `run` and `process` on a VM or bare metal).
//
// Why: GOGC's headroom is a share of the whole live heap, but a
// processor's live heap is mostly remembered state that does not churn
// (dedupe's flat arrays: pointer-free, cheap to mark). At GOGC 100 a 1M-
// story window of ≈ 385 MB live read 818–1030 MB of RSS while stories
// flowed (BENCHMARKS.md, rounds 26–27); what churns between collections
// is far less than the state. Limit gives the heap headroom of a quarter
// of the live heap instead, never less than what GOGC gives a 64 MiB
// heap, so a small process is collected exactly as GOGC says and the
// collector never lives near the limit (where Go caps its CPU at ≈ 50 %).
//
// And never a limit under Budget (512 MiB): below it GOGC paces the heap
// as it would with no limit. A cold start's heap is mostly the garbage of
// parsing and enrichment over a small state (≈ 250–350 MB in use), and a
// quarter of that as headroom collected 3–4× as often as GOGC 100, for
// ≈ 1.4× the CPU per story (BENCHMARKS.md, rounds 29–30: coldstart29,
// coldgc30). Under the budget such a heap keeps GOGC's pace; at 1M
// remembered stories the quarter's limit (≈ 506 MiB) is about the
// budget, so the steady state is where it was.
package softlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// Share is the headroom over the live heap, as a share of it: a
	// collection every quarter of the state's size allocated.
	Share = 0.25
	// Floor is the live heap below which GOGC alone decides: the headroom
	// is never less than GOGC's for a heap of this size, so the limit
	// binds only above it.
	Floor = 64 << 20
	// Budget is the least limit: memory the process may use as GOGC
	// paces it. The limit binds only where GOGC's goal would pass it
	// (a live heap over ≈ 240 MiB at GOGC 100), and past ≈ 385 MiB live
	// the quarter's headroom sets it.
	Budget = 512 << 20
)

// Limit is the soft limit for a live heap of live bytes (as marked by the
// last collection) in a process whose memory outside live heap objects
// (stacks, the runtime's metadata, fragmentation in spans) is overhead
// bytes, collected at GOGC gcPercent: overhead + live + the larger of
// Share of live and gcPercent % of Floor, or Budget if that is more. It
// is above GOGC's own goal while live ≤ Floor, or while GOGC's goal is
// under Budget; a gcPercent below 0 (off) counts as 100.
func Limit(live, overhead uint64, gcPercent int) int64 {
	return limit(live, overhead, gcPercent, Share, Budget)
}

// LimitWithHeadroom is Limit with headroomPercent % of the live heap as
// the headroom instead of Share (0 takes Share): a smaller headroom
// collects more often for a lower peak (runtime.heap_headroom_percent).
func LimitWithHeadroom(live, overhead uint64, gcPercent, headroomPercent int) int64 {
	return limit(live, overhead, gcPercent, shareOf(headroomPercent), Budget)
}

// shareOf is headroomPercent as a share of the live heap; 0 is Share.
func shareOf(headroomPercent int) float64 {
	if headroomPercent <= 0 {
		return Share
	}
	return float64(headroomPercent) / 100
}

// budget is the least limit Follow sets: Budget, except in this package's
// tests, which follow heaps far smaller. Read and written under follow.mu.
var budget int64 = Budget

func limit(live, overhead uint64, gcPercent int, share float64, least int64) int64 {
	if gcPercent < 0 {
		gcPercent = 100
	}
	headroom := max(float64(live)*share, float64(Floor)*float64(gcPercent)/100)
	l := max(float64(overhead)+float64(live)+headroom, float64(least))
	if l >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(l)
}

var samples = []metrics.Sample{
	{Name: "/gc/heap/live:bytes"},
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/released:bytes"},
	{Name: "/memory/classes/heap/free:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
}

// now is Limit from the runtime's own figures: the live heap the last
// collection marked, and the memory the soft limit counts (all mapped and
// not returned to the OS) less the heap's free pages and its objects.
func now(gcPercent int, share float64) int64 {
	s := make([]metrics.Sample, len(samples))
	copy(s, samples)
	metrics.Read(s)
	v := func(i int) uint64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s[i].Value.Uint64()
	}
	live, total, released, free, objects := v(0), v(1), v(2), v(3), v(4)
	var overhead uint64
	if used := released + free + objects; total > used {
		overhead = total - used
	}
	return limit(live, overhead, gcPercent, share, budget)
}

// Follow sets the soft limit to LimitWithHeadroom now and again after
// every collection, until stop, which puts back the limit it found.
// gcPercent is the GOGC the process runs at (the floor's scale),
// headroomPercent the headroom over the live heap in percent (0: Share).
// Calls may nest or overlap (commands run in-process, as tests do): one
// follower serves them all, at the latest call's settings, and the limit
// found by the first is put back when the last stops.
func Follow(gcPercent, headroomPercent int) (stop func()) {
	follow.mu.Lock()
	defer follow.mu.Unlock()
	follow.gcPercent = gcPercent
	follow.share = shareOf(headroomPercent)
	if follow.users == 0 {
		follow.gen++
		follow.was = debug.SetMemoryLimit(now(gcPercent, follow.share))
		arm(follow.gen)
	}
	follow.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			follow.mu.Lock()
			defer follow.mu.Unlock()
			if follow.users--; follow.users == 0 {
				follow.gen++ // the armed finalizer finds itself stale
				debug.SetMemoryLimit(follow.was)
			}
		})
	}
}

// follow is the process's one follower.
var follow struct {
	mu        sync.Mutex
	users     int
	gen       int // which arming is current: a stop and a new Follow make a new one
	gcPercent int
	share     float64 // the headroom over the live heap
	was       int64
}

// arm leaves an object for the next collection to find unreachable: its
// finalizer runs after that collection (on the runtime's finalizer
// goroutine), re-sets the limit and arms the next, while gen is current.
func arm(gen int) {
	sentinel := new([16]byte) // not tiny-allocated: a finalizer needs an object of its own
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		follow.mu.Lock()
		defer follow.mu.Unlock()
		if gen != follow.gen {
			return
		}
		debug.SetMemoryLimit(now(follow.gcPercent, follow.share))
		arm(gen)
	})
}
