package events

import (
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Decision is one story's assignment as the clusterer saw it, before the
// story joined or founded an event: what an evaluation needs to say why a
// story missed the event its labelled story went to (eventeval's errors
// report). It is valid only during the Trace callback.
type Decision struct {
	StoryURL  string
	Best      string  // the best candidate's id, "" when no event was scored
	BestScore float64 // its time-decayed, size-weighted similarity (-1: none)
	Threshold float64
	Founded   bool   // the story founds an event (BestScore < Threshold)
	ID        string // the id of the event it founds, when Founded

	c    *Clusterer
	q    []posTerm
	v    vector
	now  time.Time
	look int // how many of v's strongest terms the lookup queried
}

// Reach is how a story stood against one event at its decision.
type Reach struct {
	Live      bool // the event was open: not closed (expired, merged, capacity) nor idle for Expiry
	InWindow  bool // founded within Window of the story
	Candidate bool // the lookup scored it: a queried term of the story is listed under it
	Shared    int  // the story's terms the event's centroid holds
	Queried   int  // of them, terms the lookup queried
	Cosine    float64
	Score     float64 // Cosine, time-decayed and size-weighted: what the lookup compares with Threshold
}

// Against tells how the story stood against the event id.
func (d *Decision) Against(id string) Reach {
	c := d.c
	ev := c.events[id]
	if ev == nil {
		return Reach{}
	}
	r := Reach{Live: c.open(ev), InWindow: d.now.Sub(ev.founded.time()) <= c.cfg.Window, Candidate: ev.stamp == c.stamp}
	for i, t := range d.v {
		if _, ok := ev.cent.find(t.id); ok {
			r.Shared++
			if i < d.look {
				r.Queried++
			}
		}
	}
	prod := make([]float64, len(d.v))
	r.Cosine = ev.cent.cosineByID(d.q, prod)
	r.Score = r.Cosine * c.decay(d.now.Sub(ev.lastNew.time())) * c.prior(ev)
	r.Candidate = r.Candidate && r.Live && r.InWindow
	return r
}

// Trace calls f with every new story's decision, before the story joins
// its event (revisions and duplicates are not decided). For evaluation:
// f runs under the clusterer's lock and must not call it. nil stops.
func (c *Clusterer) Trace(f func(*Decision)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trace = f
}

// traceDecision hands the decision just taken to the tracer, if any.
func (c *Clusterer) traceDecision(s *record.Story, v vector, q []posTerm, now time.Time, best *event, bestScore float64) {
	if c.trace == nil {
		return
	}
	d := &Decision{StoryURL: s.URL, BestScore: bestScore, Threshold: c.cfg.Threshold, Founded: best == nil || bestScore < c.cfg.Threshold,
		c: c, q: q, v: v, now: now, look: min(len(v), c.looked)}
	if best != nil {
		d.Best = best.id
	}
	if d.Founded {
		d.ID = eventID(s.ID)
	}
	c.trace(d)
}

// EventCosine is the cosine of the centroids of the active events a and
// b at the decision (0 when either is not active): how a merge test would
// see them. For evaluation, as Against.
func (d *Decision) EventCosine(a, b string) float64 {
	ea, eb := d.c.events[a], d.c.events[b]
	if ea == nil || eb == nil {
		return 0
	}
	return d.c.centroidCosine(&ea.cent, &eb.cent)
}

// Stories is how many stories the active event id holds at the decision
// (0 when it is not active). For evaluation, as Against.
func (d *Decision) Stories(id string) int {
	if ev := d.c.events[id]; ev != nil {
		return ev.stories
	}
	return 0
}

// Evidence is what a story shared with an event at its decision: the
// terms of its vector the event's centroid holds, by kind, and where the
// story's time fell against the event's member stories' span.
type Evidence struct {
	Entities, Keywords, Words int           // shared terms: entity keys, keywords, title/body/slug words
	Outside                   time.Duration // how far the story's time lay outside the span (0: inside it)
	// Covered is the share of the story's vector (its squared weights,
	// which sum to 1) on terms the centroid holds: 1 when every term the
	// story brings is one the event already has, whatever their weights
	// there — how little of the story is new to the event
	Covered float64
}

// Evidence tells what the story shared with the active event id (zero
// when it is not active). For evaluation, as Against.
func (d *Decision) Evidence(id string) Evidence {
	ev := d.c.events[id]
	if ev == nil {
		return Evidence{}
	}
	var e Evidence
	for _, t := range d.v {
		if _, ok := ev.cent.find(t.id); !ok {
			continue
		}
		e.Covered += t.w * t.w
		switch s := d.c.terms.term(t.id); {
		case strings.HasPrefix(s, entityPrefix):
			e.Entities++
		case strings.HasPrefix(s, keywordPrefix):
			e.Keywords++
		default:
			e.Words++
		}
	}
	switch {
	case d.now.Before(ev.pubFirst.time()):
		e.Outside = ev.pubFirst.time().Sub(d.now)
	case d.now.After(ev.lastNew.time()):
		e.Outside = d.now.Sub(ev.lastNew.time())
	}
	return e
}

// TermText is one term of a story's vector or an event's centroid as
// text, for evaluation: Kind is 'e' for an entity key, 'k' for a
// keyword, 'w' for a title, body or slug word; Text has no kind prefix.
type TermText struct {
	Text string
	Kind byte
	W    float64
}

func (c *Clusterer) termText(id termID, w float64) TermText {
	s := c.terms.term(id)
	switch {
	case strings.HasPrefix(s, entityPrefix):
		return TermText{s[len(entityPrefix):], 'e', w}
	case strings.HasPrefix(s, keywordPrefix):
		return TermText{s[len(keywordPrefix):], 'k', w}
	}
	return TermText{s, 'w', w}
}

// Terms is the story's vector as text, strongest first. For evaluation,
// as Against.
func (d *Decision) Terms() []TermText {
	out := make([]TermText, len(d.v))
	for i, t := range d.v {
		out[i] = d.c.termText(t.id, t.w)
	}
	return out
}

// EventTerms is the active event id's centroid as text, in no meaningful
// order (nil when it is not active). For evaluation, as Against.
func (d *Decision) EventTerms(id string) []TermText {
	ev := d.c.events[id]
	if ev == nil {
		return nil
	}
	out := make([]TermText, len(ev.cent.ids))
	for i, t := range ev.cent.ids {
		out[i] = d.c.termText(t, ev.cent.w[i])
	}
	return out
}

// Open lists the events the story could have joined at the decision:
// open and founded within Window, least recently active first. For
// evaluation, as Against.
func (d *Decision) Open() []string {
	var out []string
	for ev := d.c.recency.front(); ev != nil; ev = ev.newer {
		if d.c.open(ev) && d.now.Sub(ev.founded.time()) <= d.c.cfg.Window {
			out = append(out, ev.id)
		}
	}
	return out
}
