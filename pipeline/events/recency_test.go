package events

import (
	"slices"
	"testing"
)

// The recency list threaded through the events orders them as
// container/list did: pushBack and moveToBack make the newest, remove
// unlinks, and an event not in the list is neither removed again nor
// put back by a move.
func TestRecencyListsEventsLeastRecentlyActiveFirst(t *testing.T) {
	a, b, c, d := &event{id: "a"}, &event{id: "b"}, &event{id: "c"}, &event{id: "d"}
	var r recency
	order := func() (ids []string) {
		for ev := r.front(); ev != nil; ev = ev.newer {
			ids = append(ids, ev.id)
		}
		var back []string
		for ev := r.newest; ev != nil; ev = ev.older {
			back = append(back, ev.id)
		}
		slices.Reverse(back)
		if !slices.Equal(back, ids) {
			t.Fatalf("the list read backwards is %v, forwards %v", back, ids)
		}
		return ids
	}
	for _, step := range []struct {
		what string
		do   func()
		want []string
	}{
		{"three pushed", func() { r.pushBack(a); r.pushBack(b); r.pushBack(c) }, []string{"a", "b", "c"}},
		{"the oldest moved back", func() { r.moveToBack(a) }, []string{"b", "c", "a"}},
		{"the newest moved back", func() { r.moveToBack(a) }, []string{"b", "c", "a"}},
		{"the middle one removed", func() { r.remove(c) }, []string{"b", "a"}},
		{"removed again", func() { r.remove(c) }, []string{"b", "a"}},
		{"an event not in the list moved back", func() { r.moveToBack(d); r.moveToBack(c) }, []string{"b", "a"}},
		{"the oldest removed", func() { r.remove(b) }, []string{"a"}},
		{"the last removed", func() { r.remove(a) }, nil},
		{"pushed into the empty list", func() { r.pushBack(d) }, []string{"d"}},
	} {
		step.do()
		if got := order(); !slices.Equal(got, step.want) {
			t.Errorf("%s: %v, want %v", step.what, got, step.want)
		}
	}
	if c.older != nil || c.newer != nil {
		t.Errorf("a removed event still points at its neighbours: it would keep them alive")
	}
}
