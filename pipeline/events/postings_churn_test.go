package events

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// checkIndexShape holds each list to what unindex's bisection needs: in
// strictly ascending entry order, each entry numbered below the next
// number index hands out, and an event at most once. An entry numbered
// twice, or a counter restored behind the entries, would let unindex
// miss an entry and leave it stale — which bestEvent, since round 34,
// scores without looking the term up in the centroid.
func checkIndexShape(t *testing.T, c *Clusterer) {
	t.Helper()
	for id := range c.postings {
		list := c.postingsOf(termID(id))
		seen := map[*event]bool{}
		for i, p := range list {
			if i > 0 && list[i-1].seq >= p.seq {
				t.Fatalf("term %q: entries %d then %d, not ascending", c.terms.term(termID(id)), list[i-1].seq, p.seq)
			}
			if p.seq >= c.postSeq {
				t.Fatalf("term %q: entry %d at or past the next number %d", c.terms.term(termID(id)), p.seq, c.postSeq)
			}
			if seen[p.ev] {
				t.Fatalf("term %q lists event %s twice", c.terms.term(termID(id)), p.ev.id)
			}
			seen[p.ev] = true
		}
	}
}

// TestPostingsStayCurrentAcrossRestoresAndLimits drives random streams
// through every path that changes a centroid's terms — stories that cut
// a centroid to an article's bound after headlines widened it, merges,
// evictions past MaxEvents, expiry, term ids freed and reused past
// MaxVocabulary — and, every so often, carries on with a clusterer
// restored from the whole change log or from a snapshot; after every
// step every inverted-index entry is current and in bisectable order.
func TestPostingsStayCurrentAcrossRestoresAndLimits(t *testing.T) {
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 34))
		cfg := tightConfig()
		newClusterer := func() *Clusterer {
			c := New(cfg, nil)
			c.TrackChanges(true)
			return c
		}
		c := newClusterer()
		var logged []state.Entry
		at := t0
		for i := range 1200 {
			at = at.Add(time.Duration(rng.IntN(240)) * time.Second)
			s := wordyStory(rng, i, rng.IntN(40), at)
			if rng.IntN(3) == 0 {
				s.Body = "" // a headline: the centroid may keep half as many terms again
			}
			c.Assign(s)
			if rng.IntN(6) == 0 {
				c.Expire(at)
			}
			if i%7 == 6 {
				logged = append(logged, c.Changes()...)
			}
			if i%150 == 149 {
				r := newClusterer()
				if rng.IntN(2) == 0 {
					logged = append(logged, c.Changes()...)
					for _, e := range logged {
						if err := r.Load(e); err != nil {
							t.Fatal(err)
						}
					}
				} else {
					// the snapshot starts the log the next restore replays
					logged = nil
					if err := c.Snapshot(func(e state.Entry) error {
						logged = append(logged, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
						return r.Load(e)
					}); err != nil {
						t.Fatal(err)
					}
				}
				if err := r.Restored(); err != nil {
					t.Fatal(err)
				}
				c = r
			}
			checkPostings(t, c)
			checkIndexShape(t, c)
		}
		checkTerms(t, c)
	}
}
