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
		{"an empty heap gets the budget", 0, 0, 100, 512 * mib},
		{"a small heap: the budget, far above GOGC 100's goal", 20 * mib, 10 * mib, 100, 512 * mib},
		{"a cold start's heap: the budget, not a quarter over it", 280 * mib, 30 * mib, 100, 512 * mib},
		{"a 1M-story window: its quarter (506 MiB) is under the budget", 385 * mib, 25 * mib, 100, 512 * mib},
		{"past the budget a quarter of the live heap", 480 * mib, 20 * mib, 100, (20 + 480 + 120) * mib},
		{"a 4 GiB state: a quarter", 4096 * mib, 64 * mib, 100, (64 + 4096 + 1024) * mib},
		{"GOGC 400 (process) scales the floor: a 60 MiB heap is left to GOGC", 60 * mib, 10 * mib, 400, 512 * mib},
		{"GOGC 400, its floor past the budget", 400 * mib, 0, 400, (400 + 256) * mib},
		{"GOGC 400 past its floor: a quarter", 2048 * mib, 0, 400, 2560 * mib},
		{"GOGC 25: the budget", 10 * mib, 0, 25, 512 * mib},
		{"GOGC off counts as 100", 0, 0, -1, 512 * mib},
		{"no overflow", math.MaxUint64 / 2, math.MaxUint64 / 2, 100, math.MaxInt64},
	}
	for _, c := range cases {
		if got := Limit(c.live, c.overhead, c.gcPercent); got != c.want {
			t.Errorf("%s: Limit(%d MiB live, %d MiB overhead, GOGC %d) = %.2f MiB, want %.2f MiB",
				c.name, c.live/mib, c.overhead/mib, c.gcPercent, float64(got)/mib, float64(c.want)/mib)
		}
	}
	for _, p := range []int{25, 50, 100, 200, 400} {
		prev := int64(0)
		for live := uint64(0); live <= 2048*mib; live += 8 * mib {
			const overhead = 24 * mib
			l := Limit(live, overhead, p)
			goal := int64(overhead) + int64(live)*int64(100+p)/100
			// The limit cannot bind while the live heap is at most Floor
			// or GOGC's goal is within the budget: GOGC alone decides.
			if (live <= Floor || goal <= Budget) && l < goal {
				t.Errorf("GOGC %d, %d MiB live: limit %d MiB under GOGC's goal %d MiB", p, live/mib, l/mib, goal/mib)
			}
			// Never under the budget, never under a quarter over the
			// live heap, and never lower for a larger live heap.
			if l < Budget || l < int64(overhead)+int64(float64(live)*(1+Share)) || l < prev {
				t.Errorf("GOGC %d, %d MiB live: limit %d MiB (%d MiB at the heap before)", p, live/mib, l/mib, prev/mib)
			}
			prev = l
		}
	}
}

// Follow re-sets the limit after collections as the live heap grows and
// shrinks, and stop puts back the limit it found for good.
func TestFollowTracksTheLiveHeapUntilStopped(t *testing.T) {
	// A budget of 0: the limit follows the test's 96 MiB as it would a
	// live heap past the budget (the arithmetic above covers the budget).
	setBudget := func(b int64) { // under the lock the follower reads it with
		follow.mu.Lock()
		defer follow.mu.Unlock()
		budget = b
	}
	setBudget(0)
	t.Cleanup(func() { setBudget(Budget) })
	was := debug.SetMemoryLimit(-1)
	stop := Follow(1, 0) // a floor of 0.64 MiB and no budget: the limit is the live heap's
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
	a := Follow(100, 0)
	b := Follow(400, 0)
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

// runtime.heap_headroom_percent: the followed limit keeps that share of
// the live heap over it instead of a quarter (0 is the quarter), in the
// arithmetic and after a collection, so a smaller headroom lowers the
// peak a large live heap reaches.
func TestAHeadroomPercentSetsTheShareOverTheLiveHeap(t *testing.T) {
	const live, overhead = 2000 * mib, 32 * mib
	for _, c := range []struct {
		percent int
		want    int64
	}{
		{0, (32 + 2000 + 500) * mib},
		{25, (32 + 2000 + 500) * mib},
		{10, (32 + 2000 + 200) * mib},
		{50, (32 + 2000 + 1000) * mib},
	} {
		if got := LimitWithHeadroom(live, overhead, 100, c.percent); got < c.want-1 || got > c.want+1 {
			t.Errorf("headroom %d %%: limit %.1f MiB, want %.1f MiB", c.percent, float64(got)/mib, float64(c.want)/mib)
		}
	}
	if a, b := LimitWithHeadroom(live, overhead, 100, 0), Limit(live, overhead, 100); a != b {
		t.Errorf("headroom 0 gives %d, Limit %d: 0 must be the default share", a, b)
	}
	// The budget and GOGC's floor still hold under a small headroom.
	if got := LimitWithHeadroom(100*mib, 0, 100, 10); got != Budget {
		t.Errorf("a 100 MiB heap at 10 %%: limit %.1f MiB, want the budget", float64(got)/mib)
	}

	follow.mu.Lock()
	budget = 0
	follow.mu.Unlock()
	t.Cleanup(func() {
		follow.mu.Lock()
		budget = Budget
		follow.mu.Unlock()
	})
	was := debug.SetMemoryLimit(-1)
	stop := Follow(1, 5)
	big := make([]byte, 96*mib)
	for i := range big {
		big[i] = 1
	}
	var l int64
	for range 100 {
		runtime.GC()
		runtime.Gosched()
		if l = debug.SetMemoryLimit(-1); l >= 96*mib {
			break
		}
	}
	runtime.KeepAlive(big)
	stop()
	if l < 96*mib+96*mib/20 || l >= 120*mib {
		t.Errorf("with 96 MiB live at a 5 %% headroom the limit is %.1f MiB, want from 100.8 (a twentieth over it) and under a quarter's 120", float64(l)/mib)
	}
	for range 3 {
		runtime.GC()
	}
	if got := debug.SetMemoryLimit(-1); got != was {
		t.Errorf("after stop the limit is %d, want %d", got, was)
	}
}
