package events

// recency is the clusterer's live events, least recently active first: a
// list threaded through the events themselves (event.older, .newer),
// where a container/list spent a 48-byte element and an 8-byte pointer
// to it on every event (BENCHMARKS.md, round 43: evmem43).
type recency struct {
	oldest, newest *event
}

// front is the least recently active event, nil when there is none.
func (r *recency) front() *event { return r.oldest }

// pushBack makes ev, in no list, the most recently active.
func (r *recency) pushBack(ev *event) {
	ev.older, ev.newer = r.newest, nil
	if r.newest != nil {
		r.newest.newer = ev
	} else {
		r.oldest = ev
	}
	r.newest = ev
}

// remove takes ev out of the list, if it is in it; it keeps no other
// event alive.
func (r *recency) remove(ev *event) {
	if !r.holds(ev) {
		return // as container/list's Remove of an element removed
	}
	if ev.older != nil {
		ev.older.newer = ev.newer
	} else {
		r.oldest = ev.newer
	}
	if ev.newer != nil {
		ev.newer.older = ev.older
	} else {
		r.newest = ev.older
	}
	ev.older, ev.newer = nil, nil
}

// moveToBack makes ev the most recently active, if it is in the list: a
// closed event is not put back (as container/list's MoveToBack).
func (r *recency) moveToBack(ev *event) {
	if r.newest == ev || !r.holds(ev) {
		return
	}
	r.remove(ev)
	r.pushBack(ev)
}

// holds reports whether ev is in the list: every event in it but the
// oldest has an older one.
func (r *recency) holds(ev *event) bool { return ev.older != nil || r.oldest == ev }
