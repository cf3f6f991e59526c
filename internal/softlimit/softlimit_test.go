package softlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

const mib = 1 << 20

func TestTheLimitKeepsAQuarterOfTheLiveHeapAboveItAndLeavesSmallHeapsToGOGC(t *testing.T) {
	cases := []struct {
		name           string
		live, overhead uint64
		gcPercent      int
		want           int64
	}{
		{"an empty heap gets the floor", 0, 0, 100, 64 * mib},
		{"a small heap: the floor, above GOGC 100's goal", 20 * mib, 10 * mib, 100, (10 + 20 + 64) * mib},
		{"at the floor the limit is GOGC 100's goal", 64 * mib, 0, 100, 128 * mib},
		{"past four floors a quarter of the live heap", 384 * mib, 16 * mib, 100, (16 + 384 + 96) * mib},
		{"a 1M-story window: under 600 MB with its overhead", 385 * mib, 25 * mib, 100, int64((25 + 385 + 96.25) * mib)},
		{"GOGC 400 (process) scales the floor: a 60 MiB heap is left to GOGC", 60 * mib, 10 * mib, 400, (10 + 60 + 256) * mib},
		{"GOGC 400 past its floor: a quarter", 2048 * mib, 0, 400, 2560 * mib},
		{"GOGC 25: a smaller floor", 10 * mib, 0, 25, 26 * mib},
		{"GOGC off counts as 100", 0, 0, -1, 64 * mib},
		{"no overflow", math.MaxUint64 / 2, math.MaxUint64 / 2, 100, math.MaxInt64},
	}
	for _, c := range cases {
		if got := Limit(c.live, c.overhead, c.gcPercent); got != c.want {
			t.Errorf("%s: Limit(%d MiB live, %d MiB overhead, GOGC %d) = %.2f MiB, want %.2f MiB",
				c.name, c.live/mib, c.overhead/mib, c.gcPercent, float64(got)/mib, float64(c.want)/mib)
		}
	}
	// The property the floor is for: while the live heap is at most Floor
	// the limit is never under GOGC's own goal, so it cannot bind.
	for _, p := range []int{25, 50, 100, 200, 400} {
		for live := uint64(0); live <= Floor; live += Floor / 16 {
			if l, goal := Limit(live, 0, p), int64(live)*int64(100+p)/100; l < goal {
				t.Errorf("GOGC %d, %d MiB live: limit %d under GOGC's goal %d", p, live/mib, l, goal)
			}
		}
	}
}

// Follow re-sets the limit after collections as the live heap grows and
// shrinks, and stop puts back the limit it found for good.
func TestFollowTracksTheLiveHeapUntilStopped(t *testing.T) {
	was := debug.SetMemoryLimit(-1)
	stop := Follow(1) // a floor of 0.64 MiB: the limit is the live heap's
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	// gcUntil collects until the limit meets ok (the finalizer that re-sets
	// it runs after a collection, on its own goroutine), at most 100 times.
	gcUntil := func(ok func(int64) bool) int64 {
		for range 100 {
			runtime.GC()
			runtime.Gosched()
			if l := limit(); ok(l) {
				return l
			}
		}
		return limit()
	}
	big := make([]byte, 96*mib)
	for i := range big {
		big[i] = 1 // resident, as a state is
	}
	if l := gcUntil(func(l int64) bool { return l >= 120*mib }); l < 120*mib || l > 200*mib {
		t.Errorf("with 96 MiB live the limit is %.1f MiB, want ≥ 120 (its quarter over it), well under GOGC 100's 192", float64(l)/mib)
	}
	runtime.KeepAlive(big)
	big = nil
	if l := gcUntil(func(l int64) bool { return l < 60*mib }); l >= 60*mib {
		t.Errorf("with the 96 MiB dropped the limit is still %.1f MiB", float64(l)/mib)
	}
	stop()
	for range 3 {
		runtime.GC()
	}
	if l := limit(); l != was {
		t.Errorf("after stop the limit is %d, want what Follow found, %d", l, was)
	}
}

// Commands run in-process (tests) may start and stop following in any
// order: the limit found first is put back when the last one stops, and a
// stop called twice counts once.
func TestOverlappingFollowsPutBackTheLimitFoundFirst(t *testing.T) {
	was := debug.SetMemoryLimit(-1)
	a := Follow(100)
	b := Follow(400)
	a()
	a()
	if l := debug.SetMemoryLimit(-1); l == was {
		t.Fatalf("one of two follows stopped (twice), and the limit is back at %d: the other stopped following", l)
	}
	b()
	for range 3 {
		runtime.GC()
	}
	if l := debug.SetMemoryLimit(-1); l != was {
		t.Errorf("after both stopped the limit is %d, want what the first found, %d", l, was)
	}
}
