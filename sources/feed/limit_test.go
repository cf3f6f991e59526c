package feed

import (
	"context"
	"fmt"
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
