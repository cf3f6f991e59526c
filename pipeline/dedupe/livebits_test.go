package dedupe

import (
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/pipeline/normalize"
)

// liveBitsDisagree returns where memory.liveBits says another thing than
// the story records: a slot whose bit is not its record's live(), or a
// bit set past the last slot. "" when they agree.
func liveBitsDisagree(m *memory) string {
	for s := range m.stories.len() {
		if bit, rec := m.liveSlot(uint32(s)), m.rec(uint32(s)).live(); bit != rec {
			return fmt.Sprintf("slot %d of %d: liveBits says live %v, its record %v", s, m.stories.len(), bit, rec)
		}
	}
	for s := m.stories.len(); s < 64*len(m.liveBits); s++ {
		if m.liveBits[s>>6]&(1<<(s&63)) != 0 {
			return fmt.Sprintf("bit %d set past the %d slots", s, m.stories.len())
		}
	}
	return ""
}

// The live bitmap the alias sweep reads follows every transition of a
// story slot: a put appending a slot (past a word's end too), a put over
// a live slot, a del, a put again after a del (a new slot), compaction
// (explicit and del's own at a fifth dead), a full array compacted
// before an append (fullOfDead), a restore (with its restoreKeys
// compaction) and fit. A transition that forgot it fails here.
func TestLiveBitsFollowEverySlotTransition(t *testing.T) {
	const n = 3000 // past maybeCompact's 1024 dead slots
	m := newMemory()
	key := func(i int) uint64 { return hkey(normalize.StoryID(fmt.Sprintf("https://lb.example/%d", i), "", "")) }
	put := func(i int) {
		id := normalize.StoryID(fmt.Sprintf("https://lb.example/%d", i), "", "")
		if i%7 == 0 {
			id = fmt.Sprintf("odd-%d", i) // an id that does not pack
		}
		m.put(hkey(id), seen{id: id, feed: uint64(i)})
	}
	keyOf := func(i int) uint64 {
		if i%7 == 0 {
			return hkey(fmt.Sprintf("odd-%d", i))
		}
		return key(i)
	}
	check := func(what string) {
		t.Helper()
		if err := liveBitsDisagree(m); err != "" {
			t.Fatalf("after %s: %s", what, err)
		}
	}
	for i := range n {
		put(i)
	}
	check("appending puts")
	put(5)
	check("a put over a live slot")
	slots := m.stories.len()
	for i := 0; i < n; i += 3 {
		m.del(keyOf(i))
	}
	if m.stories.len() != slots {
		t.Fatalf("dels compacted (%d slots, were %d): the case tests no dead slot", m.stories.len(), slots)
	}
	check("dels")
	for i := 0; i < n; i += 9 {
		put(i) // forgotten, put again at a new slot
	}
	check("puts again after dels")
	m.compactStories()
	check("compaction")
	for i := 1; i < n; i += 3 {
		m.del(keyOf(i)) // a fifth dead: del compacts
	}
	check("dels that compact")
	for m.stories.len() < m.stories.cap() {
		put(n + m.stories.len())
	}
	m.del(keyOf(2))
	slots = m.stories.len()
	put(2 * n) // full with a dead slot: compacts before it appends
	if m.stories.len() > slots {
		t.Fatalf("%d slots after a put into a full array with a dead slot, were %d: it did not compact", m.stories.len(), slots)
	}
	check("a put into a full array")

	m.beginRestore()
	for i := 0; i < n; i += 2 {
		m.del(keyOf(i))
	}
	for i := 0; i < n; i += 4 {
		put(i)
	}
	check("a restore's puts and tombstones")
	m.endRestore()
	m.fit()
	check("fit")
	m.compactStories()
	for m.live[0] > 0 {
		for s := range m.stories.len() {
			if m.rec(uint32(s)).live() {
				m.del(m.rec(uint32(s)).key())
				break
			}
		}
	}
	check("forgetting every story")
}
