package keywords

import (
	"fmt"
	"testing"
)

// A corpus holding more slots than its cells first had room for (a
// restore of a larger corpus than its cap: LoadTerm does not prune)
// widens the cells' slot numbers and still finds every term in its own
// slot, and none it does not hold; so does one whose cells keep no tag.
func TestCellsWidenForMoreSlotsThanTheyFirstHeld(t *testing.T) {
	c := newCorpus(10, 10)
	if c.slotBits != 16 {
		t.Fatalf("a corpus of 10 terms starts with %d bits for a slot, want 16", c.slotBits)
	}
	held := map[string]int32{}
	for i := range 70_000 { // past 1<<16 - 1 slots
		w := fmt.Sprintf("term%d", i)
		held[w] = c.insert(w)
	}
	if c.slotBits != 17 {
		t.Fatalf("after 70,000 slots a slot takes %d bits, want 17", c.slotBits)
	}
	for w, j := range held {
		if got := c.find(w); got != j {
			t.Fatalf("%q found in slot %d, held in %d", w, got, j)
		}
	}
	for i := range 1000 {
		if j := c.find(fmt.Sprintf("other%d", i)); j != noSlot {
			t.Fatalf("a term never held found in slot %d", j)
		}
	}

	untagged := newCorpus(1<<31, 1<<31)
	if untagged.slotBits != 32 || untagged.tag(^uint64(0)) != 0 {
		t.Fatalf("a corpus of 2^31 terms keeps %d bits for a slot and a tag of %#x, want 32 and none", untagged.slotBits, untagged.tag(^uint64(0)))
	}
	for i := range 5000 {
		untagged.insert(fmt.Sprintf("t%d", i))
	}
	for i := range 5000 {
		if j := untagged.find(fmt.Sprintf("t%d", i)); j != int32(i) {
			t.Fatalf("untagged: t%d found in slot %d, want %d", i, j, i)
		}
	}
}
