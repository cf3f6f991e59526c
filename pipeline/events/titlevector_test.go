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
func titleVectorOf(ev *event, c *Clusterer) vector { return ev.titleVector(nil, c.terms) }

// A vector whose order is not the centroid's strongest-first order — two
// weights tied by the normalization, sorted before it by their raw
// weights, not by text — keeps its own copy: the cosine sums in its order.
func TestAVectorOutOfCentroidOrderKeepsItsCopy(t *testing.T) {
	d := newDict()
	a, b, z := d.intern("alpha"), d.intern("beta"), d.intern("zulu")
	var c centroid
	for _, tc := range []struct {
		name string
		v    vector
		want bool
	}{
		{"strongest first", vector{{z, 0.8}, {a, 0.5}, {b, 0.33}}, true},
		{"a tie in text order", vector{{z, 0.8}, {a, 0.5}, {b, 0.5}}, true},
		{"a tie out of text order", vector{{z, 0.8}, {b, 0.5}, {a, 0.5}}, false},
		{"weaker first", vector{{a, 0.5}, {z, 0.8}}, false},
	} {
		c = centroid{}
		q := byID(nil, tc.v)
		c.resize(len(q), len(q))
		for i, t := range q {
			c.ids[i], c.w[i], c.seq[i], c.rank[i] = t.id, t.w, unindexed, noRank
		}
		if got := inCentroidOrder(tc.v, q, &c, d); got != tc.want {
			t.Errorf("%s: in centroid order %v, want %v", tc.name, got, tc.want)
		}
		if !tc.want {
			continue
		}
		ev := &event{cent: c, titleIsCent: true}
		if got := ev.titleVector(nil, d); !sameVector(got, tc.v) {
			t.Errorf("%s: the title vector is %v, want %v", tc.name, got, tc.v)
		}
	}
	// the centroid lacks a term of the vector, or has one more
	v := vector{{z, 0.8}, {a, 0.5}}
	c.resize(1, 1)
	c.ids[0], c.w[0] = z, 0.8
	if inCentroidOrder(v, byID(nil, v), &c, d) {
		t.Error("a centroid without one of the vector's terms stands for it")
	}
	if inCentroidOrder(v[:1], byID(nil, v[:1]), &centroid{ids: []termID{a, z}, w: []float64{0.5, 0.8}}, d) {
		t.Error("a centroid with a term more stands for the vector")
	}
}

// A new event's centroid is sized for its story's terms, no more: most
// events keep one story, and a second story's terms seldom fit the room a
// quarter more would leave (an article brings dozens of new terms), so
// that room was 16 terms × 21 bytes an article's event, unused (round
// 42: evmem42).
func TestANewEventsCentroidHasNoSpareRoom(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		t.Run(tc.name, func(t *testing.T) {
			c := New(tc.cfg, nil)
			founded := 0
			for _, st := range newsStream(300) {
				if st.s == nil {
					continue
				}
				before := c.Active()
				ev := c.events[c.Assign(st.s)]
				if ev == nil || ev.stories != 1 || c.Active() <= before {
					continue
				}
				founded++
				cn := &ev.cent
				if n := cn.len(); cap(cn.ids) != n || cap(cn.w) != n || cap(cn.seq) != n || cap(cn.rank) != n {
					t.Fatalf("story %s: a centroid of %d terms has room for %d/%d/%d/%d", st.s.ID, n, cap(cn.ids), cap(cn.w), cap(cn.seq), cap(cn.rank))
				}
			}
			if founded < 50 {
				t.Fatalf("only %d events founded", founded)
			}
		})
	}
}
