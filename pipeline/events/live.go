package events

import (
	"cmp"
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Live returns up to n of the active events, most stories first (then the
// most recently active), as records under their last published revision:
// a read-only view for the status page, which changes nothing (no
// revision is spent on it). n <= 0 returns them all.
func (c *Clusterer) Live(n int) []*record.Event {
	c.mu.Lock()
	evs := make([]*event, 0, len(c.events))
	for _, ev := range c.events {
		evs = append(evs, ev)
	}
	slices.SortFunc(evs, func(a, b *event) int {
		return cmp.Or(cmp.Compare(b.stories, a.stories), cmp.Compare(b.last, a.last), cmp.Compare(a.id, b.id))
	})
	if n > 0 && len(evs) > n {
		evs = evs[:n]
	}
	out := make([]*record.Event, len(evs))
	for i, ev := range evs {
		out[i] = ev.asRecord(c.terms)
	}
	c.mu.Unlock()
	return out
}
