package events

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
)

// An event keeps up to maxTrackedEntities entities, and round 38's 10k +
// 1M peak profile had 11 MB in their lists (addEntity): a record.EntityCount
// (three string headers and an int, 56 bytes) for each, its strings already
// in the event's slab. Kept as the key's length into one slab string and a
// 4-byte count, an entry is 24 bytes.
func TestAnEventHoldsAnEntityIn24Bytes(t *testing.T) {
	var e event
	if size := unsafe.Sizeof(e.entities[:1][0]); size > 24 {
		t.Errorf("an event's entity entry takes %d bytes, want at most 24", size)
	}
}

// oldAddEntity is addEntity before round 40, over record.EntityCount.
func oldAddEntity(es []record.EntityCount, en record.EntityCount) []record.EntityCount {
	i, ok := slices.BinarySearchFunc(es, en.Key, func(e record.EntityCount, k string) int { return strings.Compare(e.Key, k) })
	if ok {
		es[i].Stories += en.Stories
	} else if len(es) < maxTrackedEntities {
		es = slices.Insert(es, i, en)
	}
	return es
}

// The 24-byte entries keep, and give back, what the record list kept: the
// same keys in the same order, each with the kind and name it came with
// first (every kind: by number, none, one spelt out, one of 200 bytes)
// and the same counts, past the bound, through merges of one list into
// another (as merge.go folds an event).
func TestEntityCountsAreTheOldRecordList(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 12))
	for trial := range 100 {
		var oldA, oldB []record.EntityCount
		var newA, newB []entityCount
		var slA, slB slab
		for range r.IntN(800) {
			k := fmt.Sprintf("%s:e%d", []string{"person", "organization", "x"}[r.IntN(3)], r.IntN(400))
			en := record.EntityCount{Key: k, Name: strings.Repeat("N", r.IntN(30)) + k, Kind: entityKindOf(k + fmt.Sprint(r.IntN(2))), Stories: 1 + r.IntN(4)}
			if r.IntN(3) == 0 {
				oldB = oldAddEntity(oldB, en)
				newB = addEntity(newB, en.Key, en.Kind, en.Name, uint64(en.Stories), &slB)
			} else {
				oldA = oldAddEntity(oldA, en)
				newA = addEntity(newA, en.Key, en.Kind, en.Name, uint64(en.Stories), &slA)
			}
		}
		for _, en := range oldB {
			oldA = oldAddEntity(oldA, en)
		}
		for i := range newB {
			kind, name := newB[i].kindName()
			newA = addEntity(newA, newB[i].key(), kind, name, uint64(newB[i].stories), &slA)
		}
		if len(newA) != len(oldA) {
			t.Fatalf("trial %d: %d entities, want %d", trial, len(newA), len(oldA))
		}
		for i := range newA {
			if got := newA[i].record(); got != oldA[i] {
				t.Fatalf("trial %d: entity %d is %+v, want %+v", trial, i, got, oldA[i])
			}
		}
	}
}

// A count saturates where a uint32 ends instead of wrapping.
func TestAnEntityCountSaturates(t *testing.T) {
	var sl slab
	es := addEntity(nil, "person:a", "person", "A", math.MaxUint32-1, &sl)
	es = addEntity(es, "person:a", "person", "A", 5, &sl)
	es = addEntity(es, "person:b", "", "B", 1<<40, &sl)
	if es[0].stories != math.MaxUint32 || es[1].stories != math.MaxUint32 {
		t.Errorf("counts %d and %d, want both %d", es[0].stories, es[1].stories, uint32(math.MaxUint32))
	}
}
