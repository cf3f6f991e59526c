package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/normalize"
)

// The hash tables must behave like Go maps under any mix of puts and
// deletes: backward-shift deletion and multiply-shift sizing are easy to
// get subtly wrong.
func TestHashTablesBehaveLikeMaps(t *testing.T) {
	for _, keys := range []int{10, 300, 20_000} {
		t.Run(fmt.Sprintf("%d keys", keys), func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(keys)))
			want := map[uint64]uint32{}
			var pm pairMap
			var slotKeys []uint64
			sm := slotMap{keyOf: func(s uint32) uint64 { return slotKeys[s] }}
			wantSlots := map[uint64]uint32{}
			// A narrow key range makes puts and deletes hit the same keys and
			// long probe runs form (keys share high bits: the same home).
			key := func() uint64 { return uint64(r.IntN(keys)+1)<<40 | uint64(r.IntN(3)) }
			for op := 0; op < keys*20; op++ {
				k := key()
				switch r.IntN(3) {
				case 0, 1:
					v := r.Uint32()
					pm.put(k, v)
					want[k] = v
					if _, ok := wantSlots[k]; !ok {
						slotKeys = append(slotKeys, k)
						sm.put(k, uint32(len(slotKeys)-1))
						wantSlots[k] = uint32(len(slotKeys) - 1)
					}
				default:
					_, had := want[k]
					if got := pm.del(k); got != had {
						t.Fatalf("pairMap.del(%x) = %v, want %v", k, got, had)
					}
					delete(want, k)
					if _, had := wantSlots[k]; had {
						if !sm.del(k) {
							t.Fatalf("slotMap.del(%x) found nothing", k)
						}
						delete(wantSlots, k)
					}
				}
			}
			if pm.len() != len(want) || sm.len() != len(wantSlots) {
				t.Fatalf("lengths %d, %d; want %d, %d", pm.len(), sm.len(), len(want), len(wantSlots))
			}
			check := func(when string) {
				for k, v := range want {
					if got, ok := pm.get(k); !ok || got != v {
						t.Fatalf("%s: pairMap.get(%x) = %d, %v; want %d", when, k, got, ok, v)
					}
				}
				for k, s := range wantSlots {
					if got, ok := sm.get(k); !ok || got != s {
						t.Fatalf("%s: slotMap.get(%x) = %d, %v; want %d", when, k, got, ok, s)
					}
				}
			}
			check("after the puts and deletes")
			// A restore's fit remakes a sparse table: every entry stays.
			pm.fit()
			sm.fit()
			check("after fit")
			for i := 0; i < 1000; i++ {
				k := key() | 1<<63 // never put
				if _, ok := pm.get(k); ok {
					t.Fatalf("pairMap has %x, never put", k)
				}
			}
		})
	}
}

func TestStoryIDsPackIntoSixteenBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 2000; i++ {
		id := normalize.StoryID(fmt.Sprintf("https://news%d.example/story/%d", r.IntN(100), r.Int()), "", "")
		p, ok := packID(id)
		if !ok || p.String() != id {
			t.Fatalf("%q packs to %v, %v and back to %q", id, p, ok, p.String())
		}
	}
	for _, odd := range []string{"s_a1", "", "s_" + strings.Repeat("A", 22), "x_4duurigxyjtpcdakpnt5xi", "s_4duurigxyjtpcdakpnt5x1"} {
		if _, ok := packID(odd); ok {
			t.Errorf("%q packed: only normalize.StoryID's form may", odd)
		}
	}
}

// The compact index must find what a brute-force scan over the same
// stored values finds, through adds, replacements, removals, expiry and
// the rebuilds they cause, with band tables of 3-byte cells (a window of
// up to ~1.6 million stories) and of 4-byte cells (a larger one).
func TestIndexAgreesWithABruteForceScan(t *testing.T) {
	for _, c := range []struct {
		name     string
		slotBits uint
		cellB    int
	}{{"with 3-byte cells", maxSlotBits3, 3}, {"with 4-byte cells", 0, 4}} {
		t.Run(c.name, func(t *testing.T) {
			defer func(n uint) { maxSlotBits3 = n }(maxSlotBits3)
			maxSlotBits3 = c.slotBits
			x := indexAgreesWithABruteForceScan(t)
			if x.cellB != c.cellB {
				t.Fatalf("band tables of %d-byte cells, want %d", x.cellB, c.cellB)
			}
		})
	}
}

func indexAgreesWithABruteForceScan(t *testing.T) *index {
	defer func(n int) { parallelBuildMin = n }(parallelBuildMin)
	parallelBuildMin = 0 // every rebuild on several cores, as a restore's
	cfg := DefaultConfig()
	r := rand.New(rand.NewPCG(3, 4))
	x := newIndex(cfg.MinHashes, cfg.Bands)
	sigs := map[uint64][]uint32{}
	firsts := map[uint64]int64{}
	var keys []uint64
	for i := 0; i < 6000; i++ {
		k := uint64(r.IntN(4000) + 1)
		switch {
		case i%7 == 3 && len(keys) > 0:
			k = keys[r.IntN(len(keys))]
			x.remove(k)
			delete(sigs, k)
		default:
			sig := randomSig(r, cfg.MinHashes)
			if len(keys) > 0 && r.IntN(3) == 0 { // a near copy of an indexed story
				base := sigs[keys[r.IntN(len(keys))]]
				if base != nil {
					sig = append([]uint32(nil), base...)
					for j := range sig {
						if r.IntN(3) == 0 {
							sig[j] = r.Uint32()
						}
					}
				}
			}
			x.add(k, int64(i), sig, false)
			sigs[k], firsts[k] = sig, int64(i)
			keys = append(keys, k)
		}
		if i == 4000 {
			for _, gone := range x.expire(1000) {
				delete(sigs, gone)
			}
		}
	}
	if x.Len() != len(sigs) {
		t.Fatalf("index holds %d, want %d", x.Len(), len(sigs))
	}
	for q := 0; q < 300; q++ {
		base := sigs[keys[r.IntN(len(keys))]]
		if base == nil {
			continue
		}
		query := append([]uint32(nil), base...)
		for j := range query {
			if r.IntN(2) == 0 {
				query[j] = r.Uint32()
			}
		}
		gotKey, gotSim, gotOK := x.query(query, 500, 0)
		// brute force over the same definition: shares a band, best sim, earliest, smallest key
		var wantKey uint64
		wantSim, wantOK := -1.0, false
		for k, s := range sigs {
			if firsts[k] < 500 {
				continue
			}
			sim, banded := cfg.NearScore(query, s)
			if !banded {
				continue
			}
			if !wantOK || sim > wantSim || sim == wantSim && (firsts[k] < firsts[wantKey] || firsts[k] == firsts[wantKey] && k < wantKey) {
				wantKey, wantSim, wantOK = k, sim, true
			}
		}
		if gotOK != wantOK || gotKey != wantKey || gotSim != wantSim {
			t.Fatalf("query %d: index says %x %.3f %v, brute force %x %.3f %v", q, gotKey, gotSim, gotOK, wantKey, wantSim, wantOK)
		}
	}
	return x
}

// A restore inserts the aliases in the order a snapshot walked another
// table's cells. Were keys placed the same way in both, they would pile up
// at the start of the still-small new table and every probe would walk
// the pile: inserting a million would take hours. The seed drawn at every
// resize keeps probe runs short whatever the order.
func TestKeysInAnotherTablesCellOrderDoNotPileUp(t *testing.T) {
	var a pairMap
	r := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < 200_000; i++ {
		a.put(r.Uint64()|1, uint32(i))
	}
	var b pairMap
	a.each(func(k uint64, v uint32) bool { b.put(k, v); return true })
	longest := 0
	for i, k := range b.keys {
		if k == 0 {
			continue
		}
		d := i - home(k, b.seed, len(b.keys))
		if d < 0 {
			d += len(b.keys)
		}
		longest = max(longest, d)
	}
	if b.len() != a.len() || longest > 500 {
		t.Fatalf("%d keys copied of %d; an entry sits %d cells from its home (random placement keeps it under a few dozen)", b.len(), a.len(), longest)
	}
	t.Logf("longest distance from home: %d cells", longest)
}

// A restore of a snapshot and a tail replays the tail's new stories before
// the prune's tombstones that make room for them: once the reserved array
// is full, an append reuses the dead slots instead of growing it, and
// every story stays where its key finds it.
func TestAFullStoryArrayReusesItsDeadSlotsBeforeGrowing(t *testing.T) {
	for _, copies := range []bool{false, true} {
		m := newMemory()
		const n = 1000
		if copies {
			m.reserve(0, n, 0)
		} else {
			m.reserve(n, 0, 0)
		}
		arr := func() (int, int) {
			if copies {
				return len(m.copies), cap(m.copies)
			}
			return m.stories.len(), m.stories.cap()
		}
		_, reserved := arr()
		put := func(i int) {
			m.put(uint64(i+1), seen{id: fmt.Sprint("s-", i), first: int64(i), last: int64(i), copy: copies, content: uint64(i)})
		}
		for i := 0; i < reserved; i++ {
			put(i)
		}
		for i := 0; i < 10; i++ {
			m.del(uint64(2*i + 1)) // stories 0, 2, …, 18
		}
		for i := reserved; i < reserved+10; i++ {
			put(i)
		}
		if l, c := arr(); c != reserved || l != reserved {
			t.Errorf("copies %v: %d records in an array of %d after 10 deleted and 10 added, want %d in %d", copies, l, c, reserved, reserved)
		}
		for i := 0; i < reserved+10; i++ {
			e, ok := m.get(uint64(i + 1))
			gone := i < 20 && i%2 == 0
			if ok == gone || (ok && (e.first != int64(i) || e.content != uint64(i))) {
				t.Fatalf("copies %v: record %d: %+v, %v; want present %v", copies, i, e, ok, !gone)
			}
		}
	}
}

// The alias table, the largest of the deduper's maps (three aliases a
// story, 12-byte cells), grows by a quarter, not by half: it stays 64–80 %
// full instead of 53–80 %, ≈ 5.5 B a remembered story less on average.
func TestTheAliasTableStaysAtLeast64PercentFullAsItGrows(t *testing.T) {
	var m pairMap
	for i := range 200_000 {
		m.put(mix64(uint64(i))|1, uint32(i))
		if m.n >= 1000 && m.n*100 < len(m.keys)*63 {
			t.Fatalf("%d aliases in %d cells: %.1f %% full", m.n, len(m.keys), 100*float64(m.n)/float64(len(m.keys)))
		}
	}
	for i := range 200_000 {
		if v, ok := m.get(mix64(uint64(i)) | 1); !ok || v != uint32(i) {
			t.Fatalf("alias %d: %d, %v", i, v, ok)
		}
	}
}

// The same aliases put in the same order lie in the same cells in two
// tables of a process: their seeds are a function of their size and the
// process's secret (sizeSeed), so a snapshot that walks the cells in order
// writes the same bytes for the same stories without sorting them. Each table drew a seed at random
// before round 45.
func TestTheSameAliasesInTheSameOrderLieInTheSameCells(t *testing.T) {
	var a, b pairMap
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 50_000; i++ {
		k := r.Uint64() | 1
		a.put(k, uint32(i))
		b.put(k, uint32(i))
		if i%7 == 0 { // deletions shift entries back: the same in both
			a.del(k)
			b.del(k)
		}
	}
	if a.resizes < 5 || !slices.Equal(a.keys, b.keys) || !slices.Equal(a.vals, b.vals) {
		t.Fatalf("after %d resizes two tables given the same puts and deletes hold their %d and %d keys in different cells", a.resizes, a.len(), b.len())
	}
}

// Where an alias lies is not known outside the process: alias keys are
// seedless hashes of what feeds publish, and a seed that followed from the
// table's size alone would let a feed craft GUIDs that all share one home
// cell, making every probe walk the same run (quadratic). Two secrets give
// the same aliases other cells.
func TestAnotherProcessesSecretPutsTheSameAliasesInOtherCells(t *testing.T) {
	saved := aliasSecret
	t.Cleanup(func() { aliasSecret = saved })
	layout := func(secret uint64) []uint64 {
		aliasSecret = secret
		var m pairMap
		r := rand.New(rand.NewPCG(7, 7))
		for i := 0; i < 5_000; i++ {
			m.put(r.Uint64()|1, uint32(i))
		}
		return m.keys
	}
	a, b := layout(1), layout(2)
	if slices.Equal(a, b) {
		t.Fatal("two process secrets laid the same aliases out in the same cells: the seed follows from the table's size alone")
	}
}
