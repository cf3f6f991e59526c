package spikes

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The count table against a map over random adds, lookups and drops: keys
// that are prefixes of one another in the shared text ("a", "ab", "abc"),
// the empty key, names that differ from their keys, many keys colliding
// in a small index (a few hundred of them, past several growths), and
// strings handed out before a drop still reading as they did.
func TestTheCountTableAgreesWithAMap(t *testing.T) {
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 370))
		var tb countTable
		want := map[string]string{} // key → name
		stories := map[string]int32{}
		var handed []string // keys handed out by all(), and what they must still read
		var handedWant []string
		keyOf := func() string { return propertyKey(rng, 2000) }
		for step := range 20000 {
			switch r := rng.IntN(100); {
			case r < 80:
				k := keyOf()
				c := tb.get(k)
				if _, ok := want[k]; ok != (c != nil) {
					t.Fatalf("seed %d step %d: get(%q) = %v, map holds it: %v", seed, step, k, c != nil, ok)
				}
				if c == nil {
					name := k
					if rng.IntN(3) == 0 {
						name = strings.ToUpper(k) + "!"
					}
					c = tb.add(k, name)
					want[k] = name
				}
				c.stories++
				stories[k]++
			case r < 81:
				n := tb.dropWhere(func(c *count) bool { return c.stories == 1 })
				dropped := 0
				for k, s := range stories {
					if s == 1 {
						delete(stories, k)
						delete(want, k)
						dropped++
					}
				}
				if n != dropped {
					t.Fatalf("seed %d step %d: dropWhere dropped %d, want %d", seed, step, n, dropped)
				}
			default:
				for k := range tb.all() {
					if rng.IntN(50) == 0 {
						handed, handedWant = append(handed, k), append(handedWant, strings.Clone(k))
					}
				}
			}
		}
		if tb.len() != len(want) {
			t.Fatalf("seed %d: %d counts, want %d", seed, tb.len(), len(want))
		}
		seen := 0
		for k, c := range tb.all() {
			seen++
			if name, ok := want[k]; !ok || tb.name(c) != name || c.stories != stories[k] {
				t.Fatalf("seed %d: %q named %q with %d stories, want %q (held %v) with %d", seed, k, tb.name(c), c.stories, name, ok, stories[k])
			}
			if tb.get(k) != c {
				t.Fatalf("seed %d: get(%q) is not the count all() yields", seed, k)
			}
		}
		if seen != len(want) {
			t.Fatalf("seed %d: all() yielded %d, want %d", seed, seen, len(want))
		}
		for i, k := range handed {
			if k != handedWant[i] {
				t.Fatalf("seed %d: a key handed out before a drop reads %q, was %q", seed, k, handedWant[i])
			}
		}
	}
}

// propertyKey is a key for the tables' property tests: a run of "a"s
// (prefixes of one another, and ""), one of 50 short keys, or one of
// terms longer ones, so some keys collide in a small index.
func propertyKey(rng *rand.Rand, terms int) string {
	switch rng.IntN(4) {
	case 0:
		return strings.Repeat("a", rng.IntN(12))
	case 1:
		return fmt.Sprint("k", rng.IntN(50))
	default:
		return fmt.Sprint("term-", rng.IntN(terms))
	}
}
