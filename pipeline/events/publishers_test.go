package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// An event keeps up to maxTrackedPublishers distinct publishers, each
// once, in first-seen order; past fewPubs it finds them through an index
// in text order. The index must answer as a set would, for publishers
// sharing prefixes and lengths, added in any order.
func TestAnEventsPublishersAreEachKeptOnceInFirstSeenOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for round := range 20 {
		e := &event{}
		model := map[string]bool{}
		var order []string
		for range 3000 {
			p := fmt.Sprintf("pub %d", r.IntN(40+round*100))
			if r.IntN(5) == 0 {
				p = fmt.Sprintf("pub %d%s", r.IntN(10), "x"[:r.IntN(2)])
			}
			if got, want := e.hasPublisher(p), model[p]; got != want {
				t.Fatalf("round %d: hasPublisher(%q) = %v with %d kept, want %v", round, p, got, len(e.pubs), want)
			}
			e.addPublisher(p)
			if !model[p] && len(order) < maxTrackedPublishers {
				model[p] = true
				order = append(order, p)
			}
		}
		if len(e.pubs) != len(order) {
			t.Fatalf("round %d: %d publishers kept, want %d", round, len(e.pubs), len(order))
		}
		for i := range order {
			if e.pubs[i] != order[i] {
				t.Fatalf("round %d: publisher %d is %q, want %q", round, i, e.pubs[i], order[i])
			}
		}
	}
}

// A wide event's publishers were kept in a map beside pubs too, some 40
// bytes a publisher and a map's growth on the way; an index in text
// order is 2 bytes a publisher. Taking 1,000 publishers must allocate
// little beyond the publishers' list and their strings.
func TestAWideEventsPublisherIndexIsSmall(t *testing.T) {
	pubs := make([]string, maxTrackedPublishers)
	for i := range pubs {
		pubs[i] = fmt.Sprintf("publisher %04d", (i*7919)%maxTrackedPublishers)
	}
	e := &event{}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, p := range pubs {
		e.addPublisher(p)
	}
	runtime.ReadMemStats(&after)
	// the list's growth by doubling (16 bytes a string) and the slab's arrays
	list := uint64(2*16*len(pubs) + 2*len(pubs)*len(pubs[0]))
	if got := after.TotalAlloc - before.TotalAlloc; got > list+8*uint64(len(pubs)) {
		t.Errorf("1,000 publishers allocated %d bytes, want ≤ %d (the list and strings, and 8 bytes a publisher for the index)", got, list+8*uint64(len(pubs)))
	}
	t.Logf("1,000 publishers: %d bytes allocated", after.TotalAlloc-before.TotalAlloc)
	runtime.KeepAlive(e)
}
