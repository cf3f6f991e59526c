package feed

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// Idle host slots stay between polls (no map entry and channel per poll)
// but are swept once the map has grown: it stays within twice the hosts
// in use, and a swept host still gets its per-host cap.
func TestLimiterKeepsIdleHostsOnlyUntilItSweeps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(4, 1)
		ctx := context.Background()
		held, err := l.take(ctx, "busy.example", nil, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 1000 {
			hs, err := l.take(ctx, fmt.Sprintf("h%d.example", i), nil, false)
			if err != nil {
				t.Fatal(err)
			}
			l.give(hs)
			if n := len(l.hosts); n > 2*2+minSweep {
				t.Fatalf("after %d idle hosts the limiter keeps %d slots", i+1, n)
			}
		}
		if l.hosts["busy.example"] != held {
			t.Fatal("a sweep dropped the slot of a host in use")
		}

		// The held host's cap of one still holds: a second taker waits
		// (a minute of the bubble's clock) until the first gives it back.
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if _, err := l.take(wctx, "busy.example", nil, false); err == nil {
			t.Fatal("a second request to a host at its cap of one got a slot")
		}
		l.give(held)
		again, err := l.take(ctx, "busy.example", nil, false)
		if err != nil {
			t.Fatalf("after the release: %v", err)
		}
		l.give(again)
	})
}

// The scheduler parks a due feed whose host has no room, and the limiter
// tells it when a place frees: each way a user leaves a full host (a
// claim given back, a poll's slots given back) wakes it once, and a
// host marked for feeds still parked (vacancies) stays known — a sweep
// keeps it — so none of them waits for a wake that never comes.
func TestAFullHostTellsTheSchedulerWhenAPlaceFrees(t *testing.T) {
	l := newLimiter(4, 1)
	var freed []string
	l.freed = func(host string) { freed = append(freed, host) }
	if !l.claim("h.example") {
		t.Fatal("an idle host has no room")
	}
	if l.room("h.example") || l.claim("h.example") {
		t.Fatal("a host whose one place is claimed has room")
	}
	l.unclaim("h.example")
	if !slices.Equal(freed, []string{"h.example"}) {
		t.Fatalf("a claim given back woke %v, want h.example once", freed)
	}
	if n := l.vacancies("h.example", 3); n != 1 {
		t.Fatalf("vacancies for 3 parked feeds = %d, want 1 (per_host_concurrency)", n)
	}
	if !l.claim("h.example") {
		t.Fatal("the vacancy cannot be claimed")
	}
	hs, _, err := l.takeTimed(context.Background(), "h.example", nil, false, true)
	if err != nil {
		t.Fatal(err)
	}
	l.give(hs)
	if !slices.Equal(freed, []string{"h.example", "h.example"}) {
		t.Fatalf("a claimed poll's end woke %v, want h.example a second time", freed)
	}
	// With no user left the host's slot would be swept, and with it the
	// mark that the parked feeds wait for.
	if n := l.vacancies("h.example", 2); n != 1 {
		t.Fatalf("vacancies = %d, want 1", n)
	}
	l.sweep()
	if !l.claim("h.example") {
		t.Fatal("the vacancy cannot be claimed after a sweep")
	}
	l.unclaim("h.example")
	if len(freed) != 3 {
		t.Fatalf("after a sweep a claim given back woke %v, want a third wake", freed)
	}
}
