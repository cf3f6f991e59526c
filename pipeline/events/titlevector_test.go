package events

import (
	"testing"
)

// A one-story event's title vector is its centroid's terms in strongest
// first order: the event keeps no copy of it (≈ 1 KB an event of an
// article, BENCHMARKS.md round 42: evmem42), and the vector it decides
// with is the one its founding story had, term for term, weight for
// weight, in the same order (the cosine sums in that order).
func TestAOneStoryEventKeepsNoCopyOfItsTitleVector(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		t.Run(tc.name, func(t *testing.T) {
			c := New(tc.cfg, nil)
			founded, copies := 0, 0
			for _, st := range newsStream(400) {
				if st.s == nil {
					continue
				}
				before := c.Active()
				id := c.Assign(st.s)
				ev := c.events[id]
				if ev == nil || ev.stories != 1 || c.Active() <= before {
					continue
				}
				founded++
				if ev.titleVec != nil {
					copies++
					continue
				}
				// c.fb.vec is the story's vector until the next story
				if got, want := titleVectorOf(ev, c), c.fb.vec; !sameVector(got, want) {
					t.Fatalf("story %s: the event decides with %v, its story's vector was %v", st.s.ID, got, want)
				}
			}
			if founded < 50 {
				t.Fatalf("only %d events founded: the stream no longer exercises founding", founded)
			}
			if copies > 0 {
				t.Errorf("%d of %d one-story events keep a copy of their title vector", copies, founded)
			}
		})
	}
}

func sameVector(a, b vector) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// titleVectorOf is the vector ev decides with.
func titleVectorOf(ev *event, c *Clusterer) vector { return ev.titleVec }
