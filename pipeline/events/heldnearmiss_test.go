package events

import (
	"math"
	"testing"
	"time"
)

// heldNearMiss: a story just under the threshold joins its best event
// when the event already holds heldShare of its vector on two or more
// terms — not when most of what it says is new to the event, not on one
// shared term however heavy, and not under heldScore of the threshold.
func TestANearMissTheEventAlreadyHoldsJoinsIt(t *testing.T) {
	cfg := DefaultConfig()
	c := New(cfg, nil)
	c.AddStory(story("s1", "Wire", 0, "Earthquake strikes western Greece", ""))
	e2 := c.AddStory(story("s2", "Daily", time.Minute, "Earthquake in western Greece kills two", ""))
	ev := c.events[e2.ID]
	if ev == nil || ev.cent.len() < 2 {
		t.Fatalf("the quake event %s, want one live event of two stories", e2.ID)
	}
	a, b := ev.cent.ids[0], ev.cent.ids[1]
	fresh := c.terms.intern("\x02a word no story has")
	vec := func(wa, wb float64) vector {
		v := vector{{a, wa}, {fresh, math.Sqrt(1 - wa*wa - wb*wb)}}
		if wb > 0 {
			v = append(v, term{b, wb})
		}
		return v
	}
	near, under := 0.9*cfg.Threshold, (heldScore-0.05)*cfg.Threshold
	for _, tc := range []struct {
		name  string
		v     vector
		score float64
		want  bool
	}{
		{"half of it on two of the event's terms", vec(0.5, 0.5), near, true},
		{"the same under heldScore", vec(0.5, 0.5), under, false},
		{"mostly new words", vec(0.3, 0.3), near, false},
		{"one shared term", vec(0.8, 0), near, false},
	} {
		if got := c.heldNearMiss(ev, tc.v, tc.score); got != tc.want {
			t.Errorf("%s: held %v, want %v", tc.name, got, tc.want)
		}
	}
}
