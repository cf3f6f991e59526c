package dedupe

import (
	"fmt"
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// An alias cell is its 8-byte key and its story's 4-byte slot: at three
// aliases a story in a table 53–80 % full, 16-byte cells (a 64-bit story
// key) were ≈ 81 B a remembered story (round 34).
func TestAnAliasCellIsTwelveBytes(t *testing.T) {
	var m memory
	m.aliases.put(1, 0)
	if got := unsafe.Sizeof(m.aliases.keys[0]) + unsafe.Sizeof(m.aliases.vals[0]); got != 12 {
		t.Fatalf("an alias cell of %d bytes, want 12", got)
	}
}

// An alias names its story by slot, but means its story's key: it finds
// the story wherever compaction moves it, finds it again when it is
// forgotten and put again before a sweep, finds a story put after it
// (a restore's order), and a prune's sweep drops it exactly when its
// story is not remembered.
func TestAnAliasFindsItsStoryByKeyWhereverItsSlotMoves(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 1 << 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := d.mem
	const n = 6000
	keys := make([]uint64, n)
	for i := range keys {
		id := normalize.StoryID(fmt.Sprintf("https://f.example/%d", i), "", "")
		keys[i] = hkey(id)
		pid, _ := packID(id)
		m.put(keys[i], seen{pid: pid, first: int64(i), last: int64(i)})
	}
	alias := func(i, a int) uint64 { return mix64(uint64(4*i+a)) | 1 }
	for i := range keys {
		m.putAlias(alias(i, 0), keys[i])
	}
	// An alias put before its story, as a restore may replay them.
	late := hkey("s_late")
	m.putAlias(alias(n, 0), late)
	if _, ok := m.alias(alias(n, 0)); ok {
		t.Fatal("an alias of a story not yet put finds one")
	}
	m.put(late, seen{id: "s_late", last: 1})
	if e, ok := m.alias(alias(n, 0)); !ok || e.id != "s_late" {
		t.Fatalf("the alias put before its story finds %+v, %v", e, ok)
	}
	// Forget every other story: enough dead slots to compact.
	for i := 0; i < n; i += 2 {
		m.del(keys[i])
	}
	// Story 0 is put again before any sweep: its alias finds it again.
	pid, _ := packID(normalize.StoryID("https://f.example/0", "", ""))
	m.put(keys[0], seen{pid: pid, last: 7})
	m.compactStories()
	check := func(when string) {
		t.Helper()
		for i := range keys {
			e, ok := m.alias(alias(i, 0))
			want := i%2 == 1 || i == 0
			if ok != want || (ok && hkey(e.pid.String()) != keys[i]) {
				t.Fatalf("%s: alias of story %d finds %v (%s), want %v", when, i, ok, e.pid, want)
			}
		}
	}
	check("after compaction")
	drop := m.sweepAliases()
	if drop == nil {
		t.Fatal("no sweep after forgetting stories")
	}
	if dropped := d.dropAliases(drop, func(state.Table, uint64) {}); dropped != n/2-1 {
		t.Fatalf("the sweep dropped %d aliases, want %d (the forgotten stories' but story 0's)", dropped, n/2-1)
	}
	check("after the sweep")
	if len(m.strayAliases) != 0 {
		t.Fatalf("%d stray aliases left after the sweep", len(m.strayAliases))
	}
}

// Alias keys are 64-bit hashes (hkey) as before: two alias strings that
// hash alike are one alias. A Txn leaves it with the first live story that
// put it (addAliases); memory, which this test drives, keeps the story put
// last. A collision's reach is that one alias: the story keeps its other
// aliases, and forgetting either story drops only what points to it.
func TestACollidingAliasKeyReachesOnlyThatAlias(t *testing.T) {
	m := newMemory()
	a, b := hkey("s_a"), hkey("s_b")
	m.put(a, seen{id: "s_a", last: 1})
	m.put(b, seen{id: "s_b", last: 1})
	m.putAlias(10, a)
	m.putAlias(11, a)
	m.putAlias(20, b)
	m.putAlias(10, b) // the collision: b's alias hashed as a's
	if e, _ := m.alias(10); e.id != "s_b" {
		t.Fatalf("the colliding key finds %q, want the last put's story", e.id)
	}
	if e, _ := m.alias(11); e.id != "s_a" {
		t.Fatalf("a's other alias finds %q", e.id)
	}
	m.del(a)
	drop := m.sweepAliases()
	var gone []uint64
	m.eachAlias(func(k uint64, v uint32) bool {
		if drop(k, v) {
			gone = append(gone, k)
		}
		return true
	})
	if len(gone) != 1 || gone[0] != 11 {
		t.Fatalf("forgetting a drops aliases %v, want only [11]", gone)
	}
}
