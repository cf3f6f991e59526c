package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"weak"
)

// The index's slots are the only hold the collector sees on what they
// list: an event held only through a slot (its *event in the slot, or in
// a list's array the slot points to plus its tag bit) stays alive, and so
// does the array, however the list moved between the slot and the array
// (spilled, cut to one entry, emptied, grown again). The test keeps no
// pointer of its own to an event or an array — its model holds event ids
// and seqs — collects between mutations, and reads every list back
// through the index. Run it under GODEBUG=clobberfree=1,invalidptr=1
// (and gccheckmark=1) to make a freed array or event show at once
// (round 41: rev41c).
func TestIndexSlotsKeepWhatTheyListAliveThroughCollections(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 3))
	cfg := DefaultConfig()
	cfg.MaxPostings = 6
	c := New(cfg, nil)
	const nTerms, nEvents = 64, 400
	var ids []termID
	for i := range nTerms {
		ids = append(ids, c.terms.intern(fmt.Sprintf("term%d", i)))
	}
	var mu sync.Mutex
	finalized := map[string]bool{}
	newEvent := func(n int) *event {
		ev := &event{id: fmt.Sprintf("ev%d", n), alive: true}
		ev.cent.ids = slices.Clone(ids)
		slices.Sort(ev.cent.ids)
		ev.cent.seq = make([]uint64, len(ids))
		runtime.SetFinalizer(ev, func(ev *event) {
			mu.Lock()
			finalized[ev.id] = true
			mu.Unlock()
		})
		return ev
	}
	type entry struct {
		id  string
		seq uint64
	}
	model := make([][]entry, nTerms)
	byID := func(k int, id string) *event { // the event as the index lists it
		for _, p := range c.postingsOf(ids[k]) {
			if p.ev.id == id {
				return p.ev
			}
		}
		return nil
	}
	next := 0
	for step := range 6000 {
		k := r.IntN(nTerms)
		switch op := r.IntN(4); {
		case op <= 1: // a new event, held only through the index
			ev := newEvent(next)
			next++
			for range 1 + r.IntN(3) {
				k := r.IntN(nTerms)
				if slices.ContainsFunc(model[k], func(e entry) bool { return e.id == ev.id }) {
					continue
				}
				c.index(ids[k], ev)
				if len(model[k]) >= cfg.MaxPostings {
					model[k] = slices.Delete(model[k], 0, len(model[k])-cfg.MaxPostings+1)
				}
				model[k] = append(model[k], entry{ev.id, c.postSeq - 1})
			}
		case op == 2 && len(model[k]) > 0: // unindex one, often down to one entry or none
			e := model[k][r.IntN(len(model[k]))]
			c.unindex(ids[k], byID(k, e.id), e.seq)
			model[k] = slices.DeleteFunc(model[k], func(x entry) bool { return x == e })
		case op == 3 && len(model[k]) > 0: // cut the list to its newest entry, as a compaction does
			list := c.postingsOf(ids[k])
			n := copy(list, list[len(list)-1:])
			clear(list[n:])
			c.setPostings(ids[k], list[:n])
			model[k] = model[k][len(model[k])-1:]
		}
		if step%50 == 0 {
			garbage := make([][]posting, 256) // reuses what a wrongly freed array held
			for i := range garbage {
				garbage[i] = make([]posting, 1+i%6)
			}
			runtime.KeepAlive(garbage)
			runtime.GC()
			runtime.GC() // the second runs the finalizers the first queued
		}
		if step%10 != 0 {
			continue
		}
		mu.Lock()
		for j, id := range ids {
			list := c.postingsOf(id)
			if len(list) != len(model[j]) {
				mu.Unlock()
				t.Fatalf("step %d, term %d: %d entries, want %d", step, j, len(list), len(model[j]))
			}
			for i, p := range list {
				if p.ev == nil || p.ev.id != model[j][i].id || p.seq != model[j][i].seq || !p.ev.alive {
					mu.Unlock()
					t.Fatalf("step %d, term %d, entry %d: %+v, want %v", step, j, i, p, model[j][i])
				}
				if finalized[p.ev.id] {
					mu.Unlock()
					t.Fatalf("step %d, term %d: event %s collected while its slot lists it", step, j, p.ev.id)
				}
			}
		}
		mu.Unlock()
	}
	// everything the index let go of may be collected; what it still
	// lists must not have been
	listed := 0
	for j := range ids {
		listed += len(model[j])
	}
	runtime.GC()
	runtime.GC()
	mu.Lock()
	defer mu.Unlock()
	for j := range ids {
		for _, e := range model[j] {
			if finalized[e.id] {
				t.Errorf("term %d: event %s collected while its slot lists it", j, e.id)
			}
		}
	}
	runtime.KeepAlive(c)
	if len(finalized) == 0 {
		t.Errorf("no event of the %d the index let go of was collected: does the test hold them?", next-listed)
	}
	t.Logf("%d events made, %d entries listed at the end, %d collected", next, listed, len(finalized))
}

// postingsOf's copy of a list held in its slot (Clusterer.one) is
// scratch: once the list is back in the index it holds no event, so an
// event the index let go of is not kept alive by the last lookup — here
// A, copied out of its slot when B's entry made the list leave it, then
// unindexed (round 41: rev41c).
func TestTheSlotCopyHoldsNoEventTheIndexLetGo(t *testing.T) {
	c := New(DefaultConfig(), nil)
	tid := c.terms.intern("term")
	mk := func(id string) *event {
		return &event{id: id, alive: true, cent: centroid{ids: []termID{tid}, seq: make([]uint64, 1)}}
	}
	a, b := mk("A"), mk("B")
	c.index(tid, a) // in the slot
	c.index(tid, b) // the list leaves it for an array
	c.unindex(tid, a, a.cent.seq[0])
	gone := weak.Make(a)
	a = nil
	runtime.GC()
	if gone.Value() != nil {
		t.Errorf("an event the index let go of is still reachable (c.one: %v)", c.one)
	}
	if got := c.postingsOf(tid); len(got) != 1 || got[0].ev != b {
		t.Errorf("list %v, want B's entry alone", got)
	}
	runtime.KeepAlive(c)
}
