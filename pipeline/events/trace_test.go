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

// Evidence.Covered is the share of the story's vector on terms the
// event's centroid holds: all of it for a headline whose every word the
// event has, part of it for one that brings a word of its own, none
// against an event it shares nothing with.
func TestEvidenceCoveredIsTheShareOfTheStoryTheEventHolds(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 0
	c := New(cfg, nil)
	quake := c.AddStory(story("s1", "Wire", 0, "Earthquake strikes western Greece", ""))
	club := c.AddStory(story("s2", "Wire", time.Minute, "Football club signs striker", ""))

	var whole, part, none Evidence
	c.Trace(func(d *Decision) { whole, none = d.Evidence(quake.ID), d.Evidence(club.ID) })
	c.AddStory(story("s3", "Daily", 2*time.Minute, "Western Greece earthquake strikes", ""))
	c.Trace(func(d *Decision) { part = d.Evidence(quake.ID) })
	c.AddStory(story("s4", "Daily", 3*time.Minute, "Earthquake strikes western Turkey", ""))
	c.Trace(nil)

	if whole.Covered < 0.999 || whole.Covered > 1.001 {
		t.Errorf("every word held: covered %.3f, want 1", whole.Covered)
	}
	if part.Covered <= 0.3 || part.Covered >= 0.9 || part.Words != 3 {
		t.Errorf("three words of four held: %+v, want three words and a share between 0.3 and 0.9 (Turkey is new and rare)", part)
	}
	if none.Covered != 0 || none.Words != 0 {
		t.Errorf("against the football event: %+v, want nothing", none)
	}
}

// An evaluation reads a decision's vector and an event's centroid as
// text, each term with its kind, and the events the story could have
// joined: open ones founded within the window.
func TestDecisionTermsAndOpenEventsAsText(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 0
	c := New(cfg, nil)
	quake := c.AddStory(story("s1", "Wire", 0, "Earthquake strikes western Greece", "", "place:gr"))
	old := c.AddStory(story("s0", "Wire", -cfg.Window-time.Hour, "Football club signs striker", ""))

	var terms, held []TermText
	var open []string
	c.Trace(func(d *Decision) { terms, held, open = d.Terms(), d.EventTerms(quake.ID), d.Open() })
	c.AddStory(story("s2", "Daily", time.Minute, "Parliament passes budget", "", "organization:parliament"))
	c.Trace(nil)

	kinds := map[string]byte{}
	for _, x := range terms {
		kinds[x.Text] = x.Kind
	}
	if kinds["parliament"] != 'w' || kinds["budget"] != 'w' || kinds["organization:parliament"] != 'e' {
		t.Errorf("story terms %+v, want its words as 'w' and its entity key, unprefixed, as 'e'", terms)
	}
	found := map[string]byte{}
	for _, x := range held {
		found[x.Text] = x.Kind
	}
	if found["earthquake"] != 'w' || found["place:gr"] != 'e' {
		t.Errorf("the quake event's terms %+v, want its words and its place key", held)
	}
	if len(open) != 1 || open[0] != quake.ID {
		t.Errorf("open events %v, want only %s (the football event was founded before the window: %s)", open, quake.ID, old.ID)
	}
}
