package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// checkFiringSet fails t unless d.firing holds exactly the keys of the
// baselines whose row says firing: the set is the rows' flag kept where a
// close finds it without a walk of every baseline, so the two must never
// disagree (a key in the set whose row does not fire never clears; a row
// firing outside the set is never judged without a story).
func checkFiringSet(t *testing.T, d *Detector, when string) {
	t.Helper()
	rows := map[string]bool{}
	for n := range d.terms.rows {
		if d.terms.rows[n].flags&rowFiring != 0 {
			rows[d.terms.key(n)] = true
		}
	}
	for k := range d.firing {
		if !rows[k] {
			t.Fatalf("%s: %q in the firing set, its baseline not firing (has one: %v)", when, k, d.terms.has(k))
		}
	}
	if len(rows) != len(d.firing) {
		t.Fatalf("%s: %d baselines firing, %d in the firing set", when, len(rows), len(d.firing))
	}
}

// The firing set agrees with the baselines' rows through closes,
// evictions, a restore, and another instance's entries loaded while the
// detector runs (its writes read back from the log, in any order a
// commit may cut them).
func TestTheFiringSetIsTheBaselinesFiringFlag(t *testing.T) {
	for seed := range uint64(4) {
		cfg := DefaultConfig()
		cfg.MaxTerms = 60
		cfg.MaxBucketTerms = 80
		cfg.MinStories, cfg.MinPublishers, cfg.WatchMinStories = 3, 2, 2
		rng := rand.New(rand.NewPCG(seed, 39))
		a, b := New(cfg, nil), New(cfg, nil)
		for _, d := range []*Detector{a, b} {
			d.TrackChanges(true)
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
		}
		now, firingSeen := t0, 0
		for n := range 6000 {
			now = now.Add(time.Duration(rng.IntN(6)) * time.Second)
			s := &record.Story{ID: fmt.Sprintf("f%d_%05d", seed, n), Publisher: fmt.Sprintf("pub%d", rng.IntN(12)), FirstSeen: now}
			for range 1 + rng.IntN(4) {
				s.Keywords = append(s.Keywords, fmt.Sprintf("w%d", int(rng.ExpFloat64()*40)))
			}
			if n%700 > 620 {
				s.Keywords = append(s.Keywords, fmt.Sprintf("burst%d", n/1400))
			}
			d := a
			if rng.IntN(3) == 0 {
				d = b
			}
			d.Observe(s)
			if n%53 == 0 {
				a.Advance(now)
				b.Advance(now)
				checkFiringSet(t, a, fmt.Sprintf("seed %d story %d a", seed, n))
				checkFiringSet(t, b, fmt.Sprintf("seed %d story %d b", seed, n))
				firingSeen += len(a.firing) + len(b.firing)
			}
			if n%211 == 0 { // b reads a's writes, some of them, in order
				for _, e := range a.Changes() {
					if e.Key[0] == 't' && rng.IntN(4) != 0 {
						if err := b.Load(e); err != nil {
							t.Fatal(err)
						}
					}
				}
				b.Changes()
				checkFiringSet(t, b, fmt.Sprintf("seed %d story %d b after a's entries", seed, n))
			}
			if n == 3000 { // a restarts from its snapshot
				var snap []state.Entry
				if err := a.Snapshot(func(e state.Entry) error { snap = append(snap, cloneEntry(e)); return nil }); err != nil {
					t.Fatal(err)
				}
				a = New(cfg, nil)
				for _, e := range snap {
					if err := a.Load(e); err != nil {
						t.Fatal(err)
					}
				}
				if err := a.Restored(); err != nil {
					t.Fatal(err)
				}
				a.TrackChanges(true)
				checkFiringSet(t, a, fmt.Sprintf("seed %d restored", seed))
			}
		}
		if firingSeen == 0 {
			t.Errorf("seed %d: no term ever firing", seed)
		}
		if len(a.evictedFired)+len(b.evictedFired) == 0 {
			t.Errorf("seed %d: no term evicted after it fired: the stream does not reach eviction of fired terms", seed)
		}
	}
}
