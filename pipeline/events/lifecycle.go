package events

import (
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Expire moves the event clock to now (event time: a story's published
// time, see record.Story.EventTime), if that is later, and returns the final states,
// marked Expired, of the events closed since the last call: idle for
// Expiry on the event clock, folded into another, or closed early for
// capacity. Whether and when it is called changes no decision: stories
// close expired events themselves, so a replay that calls it once per
// batch assigns stories as a live run that calls it every minute. An id
// that its founding story founded again since the last call is both
// among them and active: its active state has the higher revision, and
// is published after.
func (c *Clusterer) Expire(now time.Time) []*record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(now)
	out := c.closed
	c.closed = nil
	if c.deadIDs > 1024 && c.deadIDs > len(c.byStory)/2 {
		for id, ev := range c.byStory {
			if ev = resolve(ev); !ev.alive {
				delete(c.byStory, id)
			}
		}
		c.deadIDs = 0
	}
	c.setActive()
	return out
}

// open reports whether ev can still take stories and republications: not
// closed, and not idle for Expiry on the event clock.
func (c *Clusterer) open(ev *event) bool {
	return ev != nil && ev.alive && c.clock.Sub(ev.last.time()) < c.cfg.Expiry
}

// advance moves the event clock to now if that is later, then closes the
// least recently active events while they are idle for Expiry. The
// recency list is in order of activity as it arrived, not of event time,
// so an expired event behind a live one waits for its turn; open() keeps
// it out of every decision meanwhile, and the closed prefix is the same
// however often advance ran before, so decisions never depend on it.
func (c *Clusterer) advance(now time.Time) {
	if now.After(c.clock) {
		c.clock = now
		// open() decides on the clock: a restart must not reopen what it closed
		c.log.clock()
	}
	for ev := c.recency.front(); ev != nil; ev = c.recency.front() {
		if c.open(ev) {
			break
		}
		c.close(ev)
	}
}

// close forgets ev and retires its final state.
func (c *Clusterer) close(ev *event) {
	c.unlink(ev)
	c.log.gone(ev, true)
	c.deadIDs += ev.stories
	c.m.expired.Inc()
	final := ev.snapshot(c.terms)
	final.Expired = true
	ev.release(c.terms)
	c.retire(final)
}

// retire keeps a closed event's final state for Expire to hand out, and
// its revision as the id's floor for an event that founds the id again.
func (c *Clusterer) retire(final *record.Event) {
	c.closed = append(c.closed, final)
	c.setFloor(final.ID, floor{rev: final.Revision, at: c.clock})
}

// unlink removes ev from the live structures.
func (c *Clusterer) unlink(ev *event) {
	ev.alive = false
	c.recency.remove(ev)
	delete(c.events, ev.id)
	for _, t := range ev.cent.ids {
		list := c.postingsOf(t)
		kept := list[:0]
		for _, x := range list {
			if x.ev != ev {
				kept = append(kept, x)
			}
		}
		clear(list[len(kept):])
		c.setPostings(t, kept)
	}
}

// toBack marks ev the most recently active event.
func (c *Clusterer) toBack(ev *event) {
	c.recency.moveToBack(ev)
	ev.recent = c.tick
	c.tick++
	c.log.touch(ev)
}
