package events

import (
	"testing"
	"time"
)

// The tracer sees each new story before it joins, and Against tells how
// the story stood against any live event: a candidate it scored, an
// event it shares no term with, and an id no live event has.
func TestTraceTellsHowAStoryStoodAgainstAnEvent(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 0
	c := New(cfg, nil)
	quake := c.AddStory(story("s1", "Wire", 0, "Earthquake strikes western Greece", ""))
	club := c.AddStory(story("s2", "Wire", time.Minute, "Football club signs striker", ""))

	var got []Decision
	var toQuake, toClub, toNone Reach
	c.Trace(func(d *Decision) {
		got = append(got, *d)
		toQuake, toClub, toNone = d.Against(quake.ID), d.Against(club.ID), d.Against("e_gone")
	})
	joined := c.AddStory(story("s3", "Daily", 2*time.Minute, "Earthquake in western Greece", ""))
	c.Trace(nil)
	c.AddStory(story("s4", "Daily", 3*time.Minute, "Another earthquake in Greece", ""))

	if len(got) != 1 {
		t.Fatalf("traced %d decisions, want the one story added while tracing", len(got))
	}
	d := got[0]
	if d.Best != quake.ID || d.Founded || joined.ID != quake.ID || d.Threshold != cfg.Threshold {
		t.Errorf("decision %+v (joined %s), want best and joined %s above the threshold", d, joined.ID, quake.ID)
	}
	if !toQuake.Live || !toQuake.InWindow || !toQuake.Candidate || toQuake.Shared == 0 || toQuake.Queried == 0 ||
		toQuake.Cosine <= 0 || toQuake.Score != d.BestScore {
		t.Errorf("against the quake event: %+v, want a live candidate scoring the best score %.3f", toQuake, d.BestScore)
	}
	if !toClub.Live || toClub.Candidate || toClub.Shared != 0 || toClub.Cosine != 0 {
		t.Errorf("against the football event: %+v, want live, no shared term, not a candidate", toClub)
	}
	if toNone != (Reach{}) {
		t.Errorf("against an unknown id: %+v, want nothing", toNone)
	}

	c.Trace(func(d *Decision) { got = append(got, *d) })
	founder := story("s5", "Daily", 4*time.Minute, "Parliament passes budget", "")
	c.AddStory(founder)
	if last := got[len(got)-1]; !last.Founded || last.ID != founder.EventID {
		t.Errorf("a founding decision %+v, want Founded with the id %s", last, founder.EventID)
	}
}
