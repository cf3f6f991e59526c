package events

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	"unsafe"
)

// A term's place in the inverted index is 16 bytes, a list of one entry
// held in it (round 41: evmem41); a slice header was 24 bytes, and its
// one entry an array of 16 more.
func TestATermsPlaceInTheIndexTakes16Bytes(t *testing.T) {
	var c Clusterer
	if size := unsafe.Sizeof(c.postings[:1][0]); size > 16 {
		t.Errorf("a term's place in the inverted index takes %d bytes, want at most 16", size)
	}
}

// The index keeps, and gives back, what a plain list would: random
// entries listed (past MaxPostings), unlisted and compacted away as a
// lookup and a closing do, through a list's moves between its slot and
// an array of its own; a list of two entries or more has an array, an
// empty one holds nothing, a term is held by its list exactly while the
// list is not empty, and the arrays given back hold nothing.
func TestAnIndexSlotIsAPlainList(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 7))
	for _, maxPostings := range []int{1, 2, 3, 5, 256} {
		cfg := DefaultConfig()
		cfg.MaxPostings = maxPostings
		c := New(cfg, nil)
		const nTerms = 6
		var ids []termID
		var refs []int32 // each term's count before any list holds it
		for i := range nTerms {
			ids = append(ids, c.terms.intern(string(rune('a'+i))))
			refs = append(refs, c.terms.refs[ids[i]])
		}
		evs := make([]*event, 12)
		for i := range evs {
			evs[i] = &event{alive: true}
			evs[i].cent.ids = slices.Clone(ids)
			evs[i].cent.seq = make([]uint64, nTerms)
		}
		model := make([][]posting, nTerms)
		for step := range 4000 {
			k := r.IntN(nTerms)
			tid := ids[k]
			switch op := r.IntN(3); {
			case op == 0: // index an event not listed
				ev := evs[r.IntN(len(evs))]
				if slices.ContainsFunc(model[k], func(p posting) bool { return p.ev == ev }) {
					continue
				}
				c.index(tid, ev)
				if len(model[k]) >= maxPostings {
					model[k] = slices.Delete(model[k], 0, len(model[k])-maxPostings+1)
				}
				model[k] = append(model[k], posting{ev, c.postSeq - 1})
			case op == 1 && len(model[k]) > 0: // unindex one
				p := model[k][r.IntN(len(model[k]))]
				c.unindex(tid, p.ev, p.seq)
				model[k] = slices.DeleteFunc(model[k], func(x posting) bool { return x == p })
			case op == 2: // compact away some events, as bestEvent and unlink do
				gone := evs[r.IntN(len(evs))]
				list := c.postingsOf(tid)
				kept := list[:0]
				for _, p := range list {
					if p.ev != gone {
						kept = append(kept, p)
					}
				}
				clear(list[len(kept):])
				c.setPostings(tid, kept)
				model[k] = slices.DeleteFunc(model[k], func(x posting) bool { return x.ev == gone })
			}
			for j, id := range ids {
				got := slices.Clone(c.postingsOf(id))
				if !slices.Equal(got, model[j]) {
					t.Fatalf("max %d, step %d, term %d: list %v, want %v", maxPostings, step, j, got, model[j])
				}
				want := refs[j]
				if len(model[j]) > 0 {
					want++
				}
				if c.terms.refs[id] != want {
					t.Fatalf("max %d, step %d, term %d: held %d times, list of %d", maxPostings, step, j, c.terms.refs[id], len(model[j]))
				}
				if int(id) < len(c.postings) && (len(model[j]) > 1 && !c.postings[id].spilled() || len(model[j]) == 0 && c.postings[id] != postingSlot{}) {
					t.Fatalf("max %d, step %d, term %d: an array of its own %v for a list of %d", maxPostings, step, j, c.postings[id].spilled(), len(model[j]))
				}
			}
			for _, arr := range c.spare {
				if len(arr) != 0 || slices.ContainsFunc(arr[:cap(arr)], func(p posting) bool { return p != posting{} }) {
					t.Fatalf("max %d, step %d: a spare array not empty and zeroed: %v", maxPostings, step, arr[:cap(arr)])
				}
			}
		}
	}
}

// A clusterer restored from a snapshot at any point of the news stream
// rebuilds the index as the live one holds it — lists of one entry in
// their slots, longer ones in arrays — and decides the rest of the stream
// as the live one does: every story's and duplicate's event the same, on
// both configurations the pinned stream runs.
func TestARestoredIndexDecidesAsTheLiveOne(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		steps := newsStream(1200)
		sum := sha256.New()
		for _, cut := range []int{150, 600, 1000} {
			live := New(tc.cfg, nil)
			live.TrackChanges(true)
			for _, st := range steps[:cut] {
				playStep(live, st)
			}
			live.Expire(time.Time{}) // hand out what closed: the log holds no pending final state
			live.Changes()
			restored := restoredFrom(t, tc.cfg, snapshotOf(t, live))
			checkIndexShape(t, restored)
			checkPostings(t, restored)
			for i, st := range steps[cut:] {
				want, got := playStep(live, st), playStep(restored, st)
				if got != want {
					t.Fatalf("%s, restored at step %d: step %d went to %q, the live clusterer's to %q", tc.name, cut, cut+i, got, want)
				}
				fmt.Fprintln(sum, want)
			}
			checkIndexShape(t, restored)
			checkPostings(t, restored)
		}
		t.Logf("%s: decisions after the restores: %x", tc.name, sum.Sum(nil))
	}
}
