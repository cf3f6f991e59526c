package events

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// The term index finds every held text's id and no other, against a map
// kept beside it, through inserts, removals and growth, with hashes drawn
// from a few values so that runs of slots wrap the table's end and
// removals must move their neighbours back (backward-shift deletion).
func TestTermIndexFindsWhatAMapWould(t *testing.T) {
	for _, spread := range []uint64{3, 64, 1 << 40} {
		t.Run(fmt.Sprintf("hashes of %d values", spread), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(39, spread))
			var x termIndex
			x.init(8)
			var terms []string
			hashOf := map[string]uint64{}
			model := map[string]termID{}
			var free []termID
			for step := range 40_000 {
				s := fmt.Sprintf("t%d", rng.IntN(600))
				if _, ok := hashOf[s]; !ok {
					// the low 32 bits (place and tag) of spread values,
					// from the table's end, so runs wrap
					hashOf[s] = rng.Uint64()&^0xffffffff | uint64(uint32(0)-uint32(rng.Uint64N(spread)))
				}
				h := hashOf[s]
				id, ok := model[s]
				if got, gok := x.find(h, s, terms); gok != ok || (ok && got != id) {
					t.Fatalf("step %d: find(%q) = %d %v, the map has %d %v", step, s, got, gok, id, ok)
				}
				switch {
				case !ok:
					if n := len(free); n > 0 {
						id, free = free[n-1], free[:n-1]
						terms[id] = s
					} else {
						id = termID(len(terms))
						terms = append(terms, s)
					}
					x.insert(h, id)
					model[s] = id
				case rng.IntN(2) == 0:
					x.remove(h, id)
					delete(model, s)
					terms[id] = ""
					free = append(free, id)
				}
				if x.n != len(model) {
					t.Fatalf("step %d: %d slots in use, the map has %d", step, x.n, len(model))
				}
			}
			for s, id := range model {
				if got, ok := x.find(hashOf[s], s, terms); !ok || got != id {
					t.Fatalf("at the end: find(%q) = %d %v, want %d", s, got, ok, id)
				}
			}
		})
	}
}

// BenchmarkTermLookup is the dictionary's probe past its cache of recent
// texts (internBytes, with the text's hash in hand, as internBytes has it
// for that cache), over 750,000 terms: the index against the map it
// replaced, in one process, alternated round by round.
//
//	go test -run '^$' -bench TermLookup -count 6 ./pipeline/events/
func BenchmarkTermLookup(b *testing.B) {
	const n = 750_000
	d := newDict()
	m := make(map[string]termID, 1024)
	for i := range n {
		s := fmt.Sprintf("w%d", i)
		id := d.intern(s)
		m[d.term(id)] = id
	}
	rng := rand.New(rand.NewPCG(7, 8))
	probes := make([][]byte, 1<<16)
	hashes := make([]uint64, len(probes))
	for i := range probes {
		probes[i] = []byte(fmt.Sprintf("w%d", rng.IntN(n+n/10))) // a tenth misses
		hashes[i] = maphash.Bytes(d.seed, probes[i])
	}
	for round := range 6 {
		b.Run(fmt.Sprintf("map/%d", round), func(b *testing.B) {
			var sum termID
			cpu0 := cputime.Self()
			for i := range b.N {
				sum += m[string(probes[i&(len(probes)-1)])]
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
			sink = sum
		})
		b.Run(fmt.Sprintf("index/%d", round), func(b *testing.B) {
			var sum termID
			cpu0 := cputime.Self()
			for i := range b.N {
				j := i & (len(probes) - 1)
				id, _ := d.ids.find(hashes[j], string(probes[j]), d.terms)
				sum += id
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
			sink = sum
		})
	}
}

var sink termID
