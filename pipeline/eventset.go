// eventSet: which records of the events a run of the second stage changed are published.

package pipeline

import (
	"cmp"
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// eventSet keeps the records of each event changed in a batch, in the
// order the batch first changed them: its last state, and before it the
// final states of events of the same id that closed in the batch — an id
// that its founding story founded again (see events.Clusterer.Expire) —
// each in the order of its revision, so that the last record of the id,
// the one a compacted topic keeps, is the state the clusterer holds. A
// state that a later one of the same event supersedes is dropped. The
// clusterer hands out fresh values, so they are kept as they are.
type eventSet struct {
	order []string
	byID  map[string][]*record.Event // by revision; nil until snapshot or add gives a state
	heads []*record.Event            // states snapshot took without their lists, for fill
}

func newEventSet() *eventSet { return &eventSet{byID: map[string][]*record.Event{}} }

// touch notes that the batch changed event id.
func (s *eventSet) touch(id string) {
	if _, ok := s.byID[id]; !ok {
		s.order = append(s.order, id)
		s.byID[id] = nil
	}
}

// snapshot takes the state of every touched event that is still active:
// without its lists (Clusterer.Head) where mayWait says its update may
// wait, since then it is most often dropped.
func (s *eventSet) snapshot(c Clusterer, mayWait func(id string) bool) {
	for _, id := range s.order {
		if s.byID[id] != nil {
			continue
		}
		ev := (*record.Event)(nil)
		if mayWait(id) {
			if ev = c.Head(id); ev != nil {
				s.heads = append(s.heads, ev)
			}
		} else {
			ev = c.Current(id)
		}
		if ev != nil {
			s.byID[id] = []*record.Event{ev}
		}
	}
}

// fill completes the states snapshot took without their lists that are
// still to be published: not waiting, not superseded. Called once the
// set holds the run's records and nothing has changed the events since
// snapshot (Expire only closes events, whose final states replace these).
func (s *eventSet) fill(c Clusterer) {
	for _, h := range s.heads {
		recs := s.byID[h.ID]
		i := slices.Index(recs, h)
		if i < 0 || c.Fill(h) {
			continue
		}
		// Not reached while the contract above holds (an event Expire
		// closed was superseded by its final state, so h is gone from
		// recs). Kept so that a future caller that breaks it publishes
		// the event's state now rather than a record without its lists.
		if ev := c.Current(h.ID); ev != nil {
			recs[i] = ev
		} else {
			s.byID[h.ID] = slices.Delete(recs, i, i+1)
		}
	}
	s.heads = nil
}

// add puts ev among the records of its id by revision. Of those, an
// expired one is the end of an event and is published; one that is not
// is a state of the event, superseded by any record after it.
func (s *eventSet) add(ev *record.Event) {
	s.touch(ev.ID)
	recs := s.byID[ev.ID]
	i, _ := slices.BinarySearchFunc(recs, ev.Revision, func(e *record.Event, rev int) int { return cmp.Compare(e.Revision, rev) })
	recs = slices.Insert(recs, i, ev)
	last := recs[len(recs)-1]
	s.byID[ev.ID] = slices.DeleteFunc(recs, func(e *record.Event) bool { return !e.Expired && e != last })
}

func (s *eventSet) records() []record.Record {
	out := make([]record.Record, 0, len(s.order))
	for _, id := range s.order {
		for _, ev := range s.byID[id] {
			out = append(out, ev)
		}
	}
	return out
}
