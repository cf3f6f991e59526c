package enricheval

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// TestEveryStoryIsHeldOutInSomeStratifiedHalf: the halves row is a
// held-out check for a class only when the class's stories are held out.
// Round 15's random halves never held out uci-news' two video-game
// stories (a third of science); the stratified half holds out half of
// every class in every seed, and each story in at least one of the
// eval's seeds.
func TestEveryStoryIsHeldOutInSomeStratifiedHalf(t *testing.T) {
	rows := shareddata.UCI(t)
	classOf := map[string]string{}
	for _, r := range rows {
		classOf[r.Label] = r.Item.Categories[0]
	}
	perClass := map[string]int{}
	for _, c := range classOf {
		perClass[c]++
	}
	everHeld := map[string]bool{}
	for _, seed := range HalfSeeds {
		half := StratifiedStoryHalf(rows, seed)
		held := map[string]int{}
		for id := range half {
			held[classOf[id]]++
			everHeld[id] = true
		}
		for c, n := range perClass {
			if lo, hi := n/2, (n+1)/2; held[c] < lo || held[c] > hi {
				t.Errorf("seed %d, class %s: %d of its %d stories held out, want %d–%d", seed, c, held[c], n, lo, hi)
			}
		}
		if again := StratifiedStoryHalf(rows, seed); len(again) != len(half) {
			t.Errorf("seed %d draws %d stories, then %d", seed, len(half), len(again))
		}
	}
	for id, c := range classOf {
		if !everHeld[id] {
			t.Errorf("story %s (%s) is held out in none of the seeds %v", id, c, HalfSeeds)
		}
	}
}
