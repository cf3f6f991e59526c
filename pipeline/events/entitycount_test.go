package events

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
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

// oldAddEntity is addEntity before round 40 (main 8ba605a8), over
// record.EntityCount: a key not yet counted has its key and name copied
// into sl (unless sl is nil), a key counted already copies nothing.
func oldAddEntity(es []record.EntityCount, en record.EntityCount, sl *slab) []record.EntityCount {
	i, ok := slices.BinarySearchFunc(es, en.Key, func(e record.EntityCount, k string) int { return strings.Compare(e.Key, k) })
	if ok {
		es[i].Stories += en.Stories
	} else if len(es) < maxTrackedEntities {
		if sl != nil {
			en.Key, en.Name = sl.str(en.Key), sl.str(en.Name)
		}
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
				oldB = oldAddEntity(oldB, en, nil)
				newB = addEntity(newB, en.Key, en.Kind, en.Name, uint64(en.Stories), &slB)
			} else {
				oldA = oldAddEntity(oldA, en, nil)
				newA = addEntity(newA, en.Key, en.Kind, en.Name, uint64(en.Stories), &slA)
			}
		}
		for _, en := range oldB {
			oldA = oldAddEntity(oldA, en, nil)
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

// BenchmarkEntityCounts is an event's entity list kept, written to the log
// and published as the record list before round 40 (old) and as 24-byte
// entries (new) in one process: stories of 8 entities each, 1 in 4 a key
// the event holds, folded into an event of up to maxTrackedEntities, then
// encoded as encodeEvent writes them and the top published as fill does.
//
//	go test -run '^$' -bench EntityCounts -count 6 ./pipeline/events/
func BenchmarkEntityCounts(b *testing.B) {
	const stories = 40
	r := rand.New(rand.NewPCG(4, 40))
	keys := make([]record.EntityCount, stories*8)
	for i := range keys {
		k := fmt.Sprintf("person:name_%d", r.IntN(len(keys)))
		keys[i] = record.EntityCount{Key: k, Name: "Name " + k[7:], Kind: "person", Stories: 1}
	}
	var buf []byte
	b.Run("old", func(b *testing.B) {
		for b.Loop() {
			var es []record.EntityCount
			var sl slab
			for _, en := range keys {
				es = oldAddEntity(es, en, &sl)
			}
			buf = buf[:0]
			for _, en := range es {
				buf = state.AppendString(state.AppendString(state.AppendString(buf, en.Key), en.Name), en.Kind)
				buf = binary.AppendUvarint(buf, uint64(en.Stories))
			}
			top := make([]record.EntityCount, 0, maxPublishedEntities)
			for _, c := range es {
				top = insertTopInKeyOrder(top, c, c.Stories, maxPublishedEntities, func(e *record.EntityCount) int { return e.Stories })
			}
		}
	})
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			var es []entityCount
			var sl slab
			for _, en := range keys {
				es = addEntity(es, en.Key, en.Kind, en.Name, 1, &sl)
			}
			buf = buf[:0]
			for i := range es {
				kind, name := es[i].kindName()
				buf = state.AppendString(state.AppendString(state.AppendString(buf, es[i].key()), name), kind)
				buf = binary.AppendUvarint(buf, uint64(es[i].stories))
			}
			top := make([]entityCount, 0, maxPublishedEntities)
			for _, c := range es {
				top = insertTopInKeyOrder(top, c, int(c.stories), maxPublishedEntities, entityStories)
			}
			recs := make([]record.EntityCount, len(top))
			for i := range top {
				recs[i] = top[i].record()
			}
		}
	})
}
