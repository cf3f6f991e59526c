package events

import (
	"container/heap"
	"time"
)

// A floor is the revision an event id has reached on the sink while the
// clusterer holds no event of that id: a story that founds the id again
// continues above it, so the id's revisions rise on the compacted events
// topic and no record-id (e_…@rN) is published twice with other content.
// Two things leave one: an event that closes (expired, closed early for
// capacity, or merged into another) leaves its final revision, and
// Withdraw leaves the revision of a retraction.
//
// An id comes back when its founding story founds it again, and that can
// happen long after: a revision of the story, a feed that lists an item
// again after the deduper forgot it (state.seen_ttl of story time unseen;
// the story returns under the same id as version 1), a feed in backoff,
// or a replay's event clock moving on by days. No window of story time
// bounds it, so the floors are bounded by count instead: past MaxEvents,
// the floor set earliest in event time (then by id) goes — the id least
// likely to come back, and one whose own event expired long ago. A
// floor is dropped when its id is founded again.
type floor struct {
	rev int
	at  time.Time // the event clock when it was set
}

// floors is the floors by id, with a min-heap by (at, id) over them, so
// that setting, dropping and evicting the earliest are O(log n).
type floors struct {
	byID map[string]*floorEntry
	heap floorHeap
}

type floorEntry struct {
	id string
	floor
	i int // position in the heap
}

func newFloors() floors { return floors{byID: make(map[string]*floorEntry)} }

func (fs *floors) len() int { return len(fs.byID) }

func (fs *floors) get(id string) (floor, bool) {
	if e := fs.byID[id]; e != nil {
		return e.floor, true
	}
	return floor{}, false
}

// set sets id's floor, moving it in the heap if it had one.
func (fs *floors) set(id string, f floor) {
	if e := fs.byID[id]; e != nil {
		e.floor = f
		heap.Fix(&fs.heap, e.i)
		return
	}
	e := &floorEntry{id: id, floor: f}
	fs.byID[id] = e
	heap.Push(&fs.heap, e)
}

// drop removes id's floor, if it has one.
func (fs *floors) drop(id string) {
	if e := fs.byID[id]; e != nil {
		heap.Remove(&fs.heap, e.i)
		delete(fs.byID, id)
	}
}

// popEarliest removes the floor set earliest and returns its id.
func (fs *floors) popEarliest() string {
	e := heap.Pop(&fs.heap).(*floorEntry)
	delete(fs.byID, e.id)
	return e.id
}

type floorHeap []*floorEntry

func (h floorHeap) Len() int { return len(h) }
func (h floorHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	return a.at.Before(b.at) || a.at.Equal(b.at) && a.id < b.id
}
func (h floorHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].i, h[j].i = i, j
}
func (h *floorHeap) Push(x any) {
	e := x.(*floorEntry)
	e.i = len(*h)
	*h = append(*h, e)
}
func (h *floorHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}

// setFloor sets (f.rev > 0) or drops the floor of id and tells the log;
// past MaxEvents floors, the earliest go, and the log is told of them too.
func (c *Clusterer) setFloor(id string, f floor) {
	if f.rev > 0 {
		c.floors.set(id, f)
		for c.floors.len() > c.cfg.MaxEvents {
			c.log.floor(c.floors.popEarliest())
		}
	} else {
		c.floors.drop(id)
	}
	c.log.floor(id)
}

// raiseToFloor starts a newly founded event above the revision its id
// reached before, and drops the floor: the event carries it on.
func (c *Clusterer) raiseToFloor(ev *event) {
	if f, ok := c.floors.get(ev.id); ok {
		ev.rev = max(ev.rev, f.rev)
		c.setFloor(ev.id, floor{})
	}
}
