package events

import (
	"log/slog"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// boundRestoredTimes cuts the restored clock, and the times of each
// restored event and floor, that lie far past the story times the
// restored state itself holds (state.RestoredTimes over the events'
// last activity and the floors' times, one each: the latest below the
// far-future ones, so a few records of 2100 cannot move it). The clock only moves forward: restored
// in 2100 it closed every event, and every story founded an event closed
// at once, until real time caught up. The host's clock plays no part
// (a test's synctest bubble starts in 2000 with stories of 2026; a host
// may lag its feeds). What is cut is logged once a restore; the rest of
// every entry (counters, revisions, members) is kept. Called by Restored
// with c.mu held, before the events are linked.
func (c *Clusterer) boundRestoredTimes(r *restore) {
	var times state.RestoredTimes
	for _, ev := range r.events {
		times.Add(int64(ev.last))
	}
	for _, f := range c.floors.byID {
		times.Add(f.at.UnixNano())
	}
	cuts, latest := 0, time.Time{}
	bound := func(t *time.Time) {
		if b, cut := times.BoundTime(*t); cut {
			latest = maxTime(latest, *t)
			*t = b
			cuts++
		}
	}
	boundInstant := func(i *instant) {
		t := i.time()
		bound(&t)
		*i = instantOf(t)
	}
	bound(&c.clock)
	for _, ev := range r.events {
		boundInstant(&ev.founded)
		boundInstant(&ev.pubFirst)
		boundInstant(&ev.lastNew)
		boundInstant(&ev.last)
	}
	for _, f := range c.floors.byID {
		if b, cut := times.BoundTime(f.at); cut {
			latest = maxTime(latest, f.at)
			c.floors.set(f.id, floor{rev: f.rev, at: b})
			cuts++
		}
	}
	if cuts > 0 {
		ref, _ := times.Reference()
		log := c.restoreLog
		if log == nil {
			log = slog.Default()
		}
		log.Error("state restore: times far past the state's own story times, cut to them",
			"owner", "events", "times", cuts, "latest_cut", latest, "reference", time.Unix(0, ref).UTC(), "slack", state.RestoredTimeSlack)
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// SetLog sets the logger a restore says on what it cut (the daemon's,
// with its component, as dedupe's SetLog); nil, or without a call, the
// default logger. Call it before the restore.
func (c *Clusterer) SetLog(l *slog.Logger) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restoreLog = l
}
