package lang

import (
	"maps"
	"math/bits"
	"slices"
)

// trigramIndex maps a packed trigram (packTrigram) to the profiles that
// list it, as the map[uint64][]rank it replaced did, in flat arrays built
// once: an open-addressed table of slots, each a key and its span of
// ranks. A lookup is a multiply, a shift and one or two compares in one
// cache line, where the map's fast path hashed the key and then loaded a
// slice header; over headlines that lookup was ≈ 3 % of `process`'s CPU.
type trigramIndex struct {
	slots []trigramSlot // len a power of two, at most half full
	ranks []rank        // every key's ranks, one span a key, in profile order
	shift uint          // 64 - log2(len(slots)): the hash's top bits index slots
}

type trigramSlot struct {
	key      uint64 // a packed trigram, or emptyTrigramSlot
	from, to uint16 // the key's ranks: ranks[from:to]
}

// emptyTrigramSlot marks a free slot: no packed trigram is this (three
// runes of 21 bits fill 63).
const emptyTrigramSlot = ^uint64(0)

// newTrigramIndex lays out byKey's ranks. The keys are placed in sorted
// order, so the layout is the same in every process.
func newTrigramIndex(byKey map[uint64][]rank) *trigramIndex {
	size := 1 << bits.Len(uint(2*len(byKey))) // load ≤ 1/2: a miss ends at a free slot within a step or two
	ix := &trigramIndex{
		slots: make([]trigramSlot, size),
		shift: uint(64 - bits.TrailingZeros(uint(size))),
	}
	for i := range ix.slots {
		ix.slots[i].key = emptyTrigramSlot
	}
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		from := len(ix.ranks)
		ix.ranks = append(ix.ranks, byKey[k]...)
		if len(ix.ranks) > 1<<16-1 {
			panic("lang: more trigram ranks than a trigramSlot's uint16 spans hold")
		}
		i := ix.home(k)
		for ix.slots[i].key != emptyTrigramSlot {
			i = (i + 1) & (len(ix.slots) - 1)
		}
		ix.slots[i] = trigramSlot{key: k, from: uint16(from), to: uint16(len(ix.ranks))}
	}
	return ix
}

// home is k's first slot: Fibonacci hashing, the top bits of k times 2⁶⁴/φ.
// A packed trigram's low bits are its last rune, its high bits its first;
// the multiply mixes all three into the top bits.
func (ix *trigramIndex) home(k uint64) int {
	return int((k * 0x9e3779b97f4a7c15) >> ix.shift)
}

// lookup returns the profiles listing trigram k and where, nil when none does.
func (ix *trigramIndex) lookup(k uint64) []rank {
	mask := len(ix.slots) - 1
	for i := ix.home(k); ; i = (i + 1) & mask {
		s := &ix.slots[i]
		switch s.key {
		case k:
			return ix.ranks[s.from:s.to]
		case emptyTrigramSlot:
			return nil
		}
	}
}
