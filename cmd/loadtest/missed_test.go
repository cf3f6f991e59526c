package main

import (
	"testing"
	"time"
)

// A feed publishing 5 items a round into a 10-item document, fetched
// after round 1 and then after round 4, shows only the last 10 of the 15
// it published in rounds 2–4: the first 5 rolled off unseen and count as
// missed; a fetch of the same document again counts nothing.
func TestItemsThatRollOffBetweenTwoFetchesCountAsMissed(t *testing.T) {
	start := time.Now()
	x := newFixtures(fixtureOptions{Seed: 1, Feeds: 1, Items: 10, PerChange: 5, Share: 1, Round: time.Second, BodyWords: 0, Text: textTemplate},
		[]string{"http://127.0.0.10:1"}, start)
	show := func(r int) {
		d := x.doc(0, r)
		x.shown(0, d)
		d.mu.Unlock()
	}
	show(0)
	if x.firstServed.Load() != 0 || x.missed.Load() != 0 {
		t.Fatalf("the first page: served %d, missed %d; want 0, 0", x.firstServed.Load(), x.missed.Load())
	}
	show(1) // 5 new: all shown
	show(4) // 15 new, 10 shown
	show(4)
	if got, want := x.firstServed.Load(), int64(15); got != want {
		t.Errorf("served %d, want %d", got, want)
	}
	if got, want := x.missed.Load(), int64(5); got != want {
		t.Errorf("missed %d, want %d", got, want)
	}
	if got := x.counts(start.Add(4500 * time.Millisecond)); got.Published != 20 {
		t.Errorf("published %d after 4 rounds, want 20", got.Published)
	}
}

// -fast-share makes that share of the feeds publish every round, the
// others at -change-share.
func TestFastFeedsPublishEveryRound(t *testing.T) {
	x := newFixtures(fixtureOptions{Seed: 1, Feeds: 1000, Items: 10, PerChange: 5, Share: 0, FastShare: 0.3, Round: time.Second, Text: textTemplate},
		[]string{"http://127.0.0.10:1"}, time.Now())
	fast := 0
	for f := range 1000 {
		if x.fastFeed(f) {
			fast++
			if !x.changes(f, 7) {
				t.Fatalf("fast feed %d does not change in round 7", f)
			}
		} else if x.changes(f, 7) {
			t.Fatalf("slow feed %d changes with -change-share 0", f)
		}
	}
	if fast < 250 || fast > 350 {
		t.Errorf("%d fast feeds of 1000 at -fast-share 0.3", fast)
	}
}
