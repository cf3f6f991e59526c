package feed

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// An idle feed's contexts (round 40: ≈ 470 B of its heap): a
// context.WithCancel of Run's context for every feed, its cancel
// function, its entry among Run's context's children, a children map of
// its own that the poll deadline's context was registered in and that
// outlives the registration, and a value context carrying the host
// slots. This runs 500 feeds to idle (polled once, next poll a minute
// away, so each let go of its poll's deadline: releaseIdle) and counts
// the heap held by allocations the context package made.
func TestAnIdleFeedHoldsNoContextPackageMemory(t *testing.T) {
	if raceOn {
		t.Skip("the race detector's allocations change the profile")
	}
	const feeds = 500
	fetch := func(_ context.Context, req fetchRequest) (*fetchResult, error) {
		var items []string
		for i := range 10 {
			items = append(items, fmt.Sprintf("%s-%d", strings.TrimPrefix(req.URL, "https://idle.example/"), i))
		}
		return ok200(rssDoc("Feed", items...), `"v1"`), nil
	}
	rate := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = rate }()
	var held int64
	var sites map[string]int64
	idleHook = func() {
		runtime.GC()
		runtime.GC() // the profile is as of the last completed cycle
		held, sites = contextPackageHeap()
	}
	defer func() { idleHook = nil }()
	idleFeedMemory(t, "https://idle.example", feeds, fetch)
	perFeed := float64(held) / feeds
	t.Logf("context package heap: %.1f B a feed; by site: %v", perFeed, sites)
	if perFeed > 16 {
		t.Errorf("an idle feed holds %.1f B made by the context package (%v), want at most 16", perFeed, sites)
	}
}

// contextPackageHeap is the in-use heap of allocations whose site (the
// first frame outside the runtime) is in package context, in all and by
// function.
func contextPackageHeap() (int64, map[string]int64) {
	var recs []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, false)
	for {
		recs = make([]runtime.MemProfileRecord, n+64)
		var ok bool
		if n, ok = runtime.MemProfile(recs, false); ok {
			recs = recs[:n]
			break
		}
	}
	var total int64
	sites := map[string]int64{}
	for _, r := range recs {
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			if !strings.HasPrefix(f.Function, "runtime.") && !strings.HasPrefix(f.Function, "internal/") {
				if strings.HasPrefix(f.Function, "context.") {
					total += r.InUseBytes()
					sites[f.Function] += r.InUseBytes()
				}
				break
			}
			if !more {
				break
			}
		}
	}
	return total, sites
}
