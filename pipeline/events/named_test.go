package events

import (
	"testing"
	"time"
)

// A story that would found an event although an open event scored at
// least half the threshold joins that event when the event holds one of
// the story's people or organizations (round 27's diagnostic: a shared
// person's or organization's key put a near founder in its story's
// event four times in five). A shared place alone is no such evidence,
// nor is a name shared with an event scoring under half the threshold.
func TestANearMissSharingAPersonJoinsTheEventNamingThem(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 0
	fed := func() *Clusterer {
		c := New(cfg, nil)
		c.AddStory(story("f1", "Wire", 0, "Powell signals patience on interest rate cuts", "", "person:jerome_powell", "place:us"))
		c.AddStory(story("f2", "Daily", time.Minute, "Fed chair Powell says no hurry to cut interest rates", "", "person:jerome_powell", "place:us"))
		return c
	}
	// each case's story: its best candidate is the Fed event, scored in
	// [0.5T, T) or under 0.5T, checked through the tracer
	for _, c := range []struct {
		name     string
		title    string
		ents     []string
		lo, hi   float64 // the Fed event's score, in units of the threshold
		wantJoin bool
	}{
		{"a shared person", "Powell testifies to Senate banking panel on inflation outlook", []string{"person:jerome_powell", "place:us"}, 0.5, 1, true},
		{"a shared place only", "Senate banking panel hears testimony on rates outlook", []string{"place:us"}, 0.5, 1, false},
		{"a shared person, far", "Lawmakers question central banker over supervision lapses at regional lenders after failures", []string{"person:jerome_powell"}, 0, 0.5, false},
	} {
		cl := fed()
		fedID := cl.byStory[storyKey("f1")].id
		var best string
		var score float64
		cl.Trace(func(d *Decision) { best, score = d.Best, d.Against(fedID).Score/d.Threshold })
		s := story("s", "Post", 2*time.Minute, c.title, "", c.ents...)
		cl.AddStory(s)
		if score < c.lo || score >= c.hi || c.lo > 0 && best != fedID {
			t.Fatalf("%s: the Fed event scored %.2fT (best %q), want in [%.1fT, %.1fT): the case does not test what it says", c.name, score, best, c.lo, c.hi)
		}
		if joined := s.EventID == fedID; joined != c.wantJoin {
			t.Errorf("%s: joined the Fed event %v (at %.2fT), want %v", c.name, joined, score, c.wantJoin)
		}
	}
}
