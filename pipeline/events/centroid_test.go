package events

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refCentroid is the map-keyed centroid the slices replaced, kept as the
// reference: the same sums in the same order, so weights and norm must
// match bit for bit.
type refCentroid struct {
	w    map[termID]float64
	norm float64
}

func (c *refCentroid) add(v vector, limit int, d *dict) (added []termID, dropped []termID) {
	ss := c.norm * c.norm
	for _, t := range v {
		if t.w == 0 {
			continue
		}
		old, ok := c.w[t.id]
		if !ok {
			added = append(added, t.id)
		}
		c.w[t.id] = old + t.w
		ss += (old+t.w)*(old+t.w) - old*old
	}
	if len(c.w) > limit {
		var all vector
		for k, w := range c.w {
			all = append(all, term{k, w})
		}
		sortTerms(all, d)
		for _, t := range all[limit:] {
			dropped = append(dropped, t.id)
			delete(c.w, t.id)
		}
		ss = 0
		for _, t := range all[:limit] {
			ss += t.w * t.w
		}
		added = slices.DeleteFunc(added, func(t termID) bool { _, ok := c.w[t]; return !ok })
	}
	c.norm = math.Sqrt(max(ss, 0))
	return added, dropped
}

func TestCentroidAddIsTheMapVersionsSums(t *testing.T) {
	for _, tc := range []struct {
		name         string
		limit, terms int
	}{
		{"a bound above every vector", 100, 64},
		{"vectors longer than the bound", 12, 40},
		{"a bound of one", 1, 8},
		// a full centroid taking short vectors: most of its terms keep
		// their rank from one cut to the next
		{"short vectors into a full centroid", 40, 6},
		{"short vectors into a bound of 100", 100, 12},
		{"a bound past the ranks' byte", 270, 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(tc.limit)))
			d := newDict()
			var ids []termID
			for i := range 300 {
				id := d.intern(fmt.Sprintf("w%03d", i))
				d.acquire(id) // held by the test, so ids stay put
				ids = append(ids, id)
			}
			var c centroid
			ref := refCentroid{w: map[termID]float64{}}
			var fb featureBuf
			var qi queryIndex
			for story := range 200 {
				v := make(vector, 0, tc.terms)
				for _, k := range rng.Perm(len(ids))[:1+rng.IntN(tc.terms)] {
					// few distinct weights, so ties fall to the texts
					v = append(v, term{ids[k], float64(1+rng.IntN(4)) / 8})
				}
				sortTerms(v, d)
				if story%50 == 49 { // restored from a log: the ranks are lost
					var es []centry
					for j, id := range c.ids {
						es = append(es, centry{id, c.w[j], c.seq[j]})
					}
					norm := c.norm
					c = centroid{norm: norm}
					c.restoreTerms(es, d)
				}
				indexed := map[termID]bool{}
				for j, id := range c.ids {
					if story%3 == 0 { // some terms listed, some not
						c.seq[j] = uint64(j)
					}
					indexed[id] = c.seq[j] != unindexed
				}
				wantAdded, wantDropped := ref.add(v, tc.limit, d)
				c.add(v, byID(nil, v), tc.limit, d, &fb)
				if !slices.Equal(fb.added, wantAdded) {
					t.Fatalf("story %d: added %v, want %v (in the vector's order)", story, fb.added, wantAdded)
				}
				var gotDropped []termID
				for _, x := range fb.dropped {
					gotDropped = append(gotDropped, x.t)
				}
				var wantIndexed []termID
				for _, id := range wantDropped {
					if indexed[id] {
						wantIndexed = append(wantIndexed, id)
					}
				}
				slices.Sort(gotDropped)
				if slices.Sort(wantIndexed); !slices.Equal(gotDropped, wantIndexed) {
					t.Fatalf("story %d: reported dropped %v, want the indexed ones of those dropped: %v", story, gotDropped, wantIndexed)
				}
				if c.norm != ref.norm {
					t.Fatalf("story %d: norm %v, want %v", story, c.norm, ref.norm)
				}
				if c.len() != len(ref.w) || !slices.IsSorted(c.ids) {
					t.Fatalf("story %d: %d terms %v, want %d in id order", story, c.len(), c.ids, len(ref.w))
				}
				for j, id := range c.ids {
					if c.w[j] != ref.w[id] {
						t.Fatalf("story %d: term %d weighs %v, want %v", story, id, c.w[j], ref.w[id])
					}
				}
				if cap(c.ids) > tc.limit {
					t.Fatalf("story %d: arrays of capacity %d over the bound %d", story, cap(c.ids), tc.limit)
				}
				// the merge-scored cosine is cosine's sum, and so is the
				// one through the query index
				want := c.cosine(v)
				if got := c.cosineByID(byID(nil, v), make([]float64, len(v))); got != want {
					t.Fatalf("story %d: cosineByID %v, cosine %v", story, got, want)
				}
				qi.set(v, d.span())
				if got := c.cosineQ(v, &qi); got != want {
					t.Fatalf("story %d: cosineQ %v, cosine %v", story, got, want)
				}
				qi.reset(v)
				if slices.ContainsFunc(qi.bits, func(b uint64) bool { return b != 0 }) {
					t.Fatalf("story %d: reset left bits set", story)
				}
			}
		})
	}
}

// BenchmarkCentroidAddFull is an event's centroid at its bound of 100
// terms taking headline-sized stories (12 terms, some shared), each
// story a cut: the path a live event takes for every story it gets.
func BenchmarkCentroidAddFull(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := newDict()
	var ids []termID
	for i := range 400 {
		id := d.intern(fmt.Sprintf("term%03d", i))
		d.acquire(id)
		ids = append(ids, id)
	}
	stories := make([]vector, 1000)
	qs := make([][]posTerm, len(stories))
	for i := range stories {
		v := make(vector, 0, 12)
		for _, k := range rng.Perm(len(ids))[:12] {
			v = append(v, term{ids[k], float64(1+rng.IntN(20)) / 40})
		}
		sortTerms(v, d)
		stories[i], qs[i] = v, byID(nil, v)
	}
	var c centroid
	var fb featureBuf
	for i := range stories {
		c.add(stories[i], qs[i], 100, d, &fb)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.add(stories[i%len(stories)], qs[i%len(stories)], 100, d, &fb)
	}
}
