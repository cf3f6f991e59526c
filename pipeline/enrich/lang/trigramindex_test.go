package lang

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// profileRanks is the map the trigram index replaced: each family's
// trigrams, packed, to the profiles listing them and where.
func profileRanks(ps []profile) map[uint64][]rank {
	m := map[uint64][]rank{}
	for li, p := range ps {
		for i, tri := range strings.Split(p.tri, "|") {
			rs := []rune(tri)
			k := packTrigram(rs[0], rs[1], rs[2])
			m[k] = append(m[k], rank{uint8(li), uint16(i)})
		}
	}
	return m
}

// The index answers every profile trigram with the ranks the map held, in
// the same order, and a trigram no profile lists with none — whatever
// runes it packs, NULs and the largest rune included.
func TestTrigramIndexAnswersAsTheMapDid(t *testing.T) {
	for name, ps := range map[string][]profile{"latin": latinProfiles, "cyrillic": cyrillicProfiles} {
		want := profileRanks(ps)
		ix := newTrigramIndex(want)
		for k, rs := range want {
			if got := ix.lookup(k); !slices.Equal(got, rs) {
				t.Fatalf("%s: lookup(%x) = %v, want %v", name, k, got, rs)
			}
		}
		rng := rand.New(rand.NewPCG(1, 2))
		misses := []uint64{0, packTrigram(0, 0, 0), packTrigram(0x10ffff, 0x10ffff, 0x10ffff), packTrigram(' ', ' ', ' ')}
		for range 100000 {
			misses = append(misses, packTrigram(rng.Int32N(0x110000), rng.Int32N(0x110000), rng.Int32N(0x110000)),
				packTrigram(rng.Int32N(128), rng.Int32N(128), rng.Int32N(128)))
		}
		for _, k := range misses {
			if _, listed := want[k]; !listed && ix.lookup(k) != nil {
				t.Fatalf("%s: lookup(%x) = %v for a trigram no profile lists", name, k, ix.lookup(k))
			}
		}
	}
}

// Keys that share a home slot probe on past each other: a table of keys
// built to collide still finds each, and a missing key stops at the run's
// end.
func TestTrigramIndexFindsKeysThatShareAHome(t *testing.T) {
	byKey := map[uint64][]rank{}
	probe := newTrigramIndex(map[uint64][]rank{1: nil, 2: nil, 3: nil, 4: nil}) // the size the real one will have
	home := probe.home(packTrigram('a', 'b', 'c'))
	for r := rune(0); len(byKey) < 4; r++ {
		if k := packTrigram('a', 'b', r); probe.home(k) == home {
			byKey[k] = []rank{{uint8(len(byKey)), uint16(r)}}
		}
	}
	ix := newTrigramIndex(byKey)
	if len(ix.slots) != len(probe.slots) {
		t.Fatalf("%d slots, the probe had %d", len(ix.slots), len(probe.slots))
	}
	for k, rs := range byKey {
		if got := ix.lookup(k); !slices.Equal(got, rs) {
			t.Fatalf("lookup(%x) = %v, want %v", k, got, rs)
		}
	}
	for r := rune(0); r < 1<<16; r++ {
		k := packTrigram('a', 'b', r)
		if _, listed := byKey[k]; !listed && ix.lookup(k) != nil {
			t.Fatalf("lookup(%x) = %v for a key not in the table", k, ix.lookup(k))
		}
	}
}
