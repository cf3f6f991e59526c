package events

import (
	"cmp"
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Republish is told the last record of each event that writes which
// failed handed to the sink while the clusterer kept what their batches
// decided — a state store that cannot rewind (the Kafka changelog), so
// nothing decides those batches' events again — and returns what to
// publish again: for an event the clusterer holds, its state now, at a
// revision above the one handed out; for an event it ended (closed,
// merged into another, retracted), that end again, as it was — the
// clusterer will not hand it out a second time, and a record of the id
// refused by the sink would be the only one to say it ended. An end is
// not published again when the id went on past it (its floor is higher:
// it was founded again and ended again since), nor is a live record of
// an id the clusterer no longer holds: a later record, its end, was
// handed to the sink, and among these records if its write failed too.
//
// Withdraw is for the other case, a memory taken back to what the log
// holds: there the records of the failed writes are what memory forgot.
func (c *Clusterer) Republish(published []*record.Event) []*record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	published = eventsByID(published)
	out := make([]*record.Event, 0, len(published))
	for _, pub := range published {
		if now := c.stateAbove(pub); now != nil {
			out = append(out, now)
			continue
		}
		if f, ok := c.floors.get(pub.ID); !pub.Expired || ok && f.rev > pub.Revision {
			continue
		}
		again := *pub
		out = append(out, &again)
	}
	return out
}

// eventsByID is a copy of published in event id order, so what is published
// again comes in an order that does not depend on the caller's.
func eventsByID(published []*record.Event) []*record.Event {
	published = slices.Clone(published)
	slices.SortFunc(published, func(a, b *record.Event) int { return cmp.Compare(a.ID, b.ID) })
	return published
}

// stateAbove is the state now of pub's event, at a revision above pub's,
// when the clusterer holds it (nil when not); the raised revision goes to
// the log with the caller's batch.
func (c *Clusterer) stateAbove(pub *record.Event) *record.Event {
	ev := c.events[pub.ID]
	if ev == nil {
		return nil
	}
	ev.rev = max(ev.rev, pub.Revision)
	c.log.touch(ev)
	return ev.snapshot(c.terms)
}
