package events

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The entries of one Changes share one allocation: each must be cut to
// its own length and capacity, and say what Snapshot (which encodes each
// entry on its own) says of the same key.
func TestChangesEntriesAreTheSnapshotsOwnBytesAndShareNoCapacity(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var delta []state.Entry
	assignMorning(c)
	delta = c.Changes()
	if len(delta) == 0 {
		t.Fatal("no changes after eight stories")
	}
	snap := map[string][]byte{}
	if err := c.Snapshot(func(e state.Entry) error {
		snap[string(e.Key)] = bytes.Clone(e.Value)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := make([]state.Entry, len(delta))
	for i, e := range delta {
		want[i] = state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
		if e.Value == nil {
			t.Errorf("entry %q: a tombstone, and nothing closed", e.Key)
		} else if s, ok := snap[string(e.Key)]; !ok || !bytes.Equal(s, e.Value) {
			t.Errorf("entry %q: %x, the snapshot's %x", e.Key, e.Value, s)
		}
		if cap(e.Key) != len(e.Key) || cap(e.Value) != len(e.Value) {
			t.Errorf("entry %q: capacity past its end (key %d/%d, value %d/%d)", e.Key, len(e.Key), cap(e.Key), len(e.Value), cap(e.Value))
		}
	}
	for i := range delta {
		delta[i].Key = append(delta[i].Key, 0xff)
		delta[i].Value = append(delta[i].Value, 0xff)
	}
	for i, e := range delta {
		if !bytes.Equal(e.Key[:len(e.Key)-1], want[i].Key) || !bytes.Equal(e.Value[:len(e.Value)-1], want[i].Value) {
			t.Fatalf("entry %d changed by an append to another", i)
		}
	}
	if again := c.Changes(); len(again) != 0 {
		t.Errorf("a second Changes with nothing new: %d entries", len(again))
	}
	keys := slices.Collect(func(yield func(string) bool) {
		for _, e := range want {
			if !yield(string(e.Key[:1])) {
				return
			}
		}
	})
	if !slices.IsSortedFunc(keys, func(a, b string) int { return order(a) - order(b) }) {
		t.Errorf("entries out of order (events, stories, terms, clock): %q", keys)
	}
}

func order(kind string) int { return map[string]int{"e": 0, "s": 1, "d": 2, "c": 3}[kind] }

// uniqueTerms finds repeats by term id: over recorded terms whose ids were
// freed and numbered anew for other texts between the record and the
// call (and terms recorded with no id), it returns what the set of texts
// returned — each text once, with the id of its first record, in text
// order.
func TestUniqueTermsIsTheSetOfTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 12))
	d := newDict()
	var l changes
	held := map[termID]int{}
	for call := range 300 {
		l.dfTerms = l.dfTerms[:0]
		for range rng.IntN(200) {
			w := fmt.Sprintf("w%d", rng.IntN(400))
			switch id := d.intern(w); rng.IntN(10) {
			case 0:
				l.dfTerms = append(l.dfTerms, dfTerm{w, noTerm})
			default:
				l.dfTerms = append(l.dfTerms, dfTerm{w, id})
				if rng.IntN(2) == 0 {
					d.acquire(id)
					held[id]++
				}
			}
			if rng.IntN(4) == 0 && len(held) > 0 {
				for h := range held {
					d.release(h)
					if held[h]--; held[h] == 0 {
						delete(held, h)
					}
					break
				}
			}
			if rng.IntN(20) == 0 {
				d.sweep() // frees ids the records still name
			}
		}
		// the reference: the first record of each text, sorted by text
		var want []textorder.Keyed[termID]
		seen := map[string]bool{}
		for _, r := range l.dfTerms {
			if !seen[r.text] {
				seen[r.text] = true
				want = append(want, textorder.Make(r.text, r.id))
			}
		}
		slices.SortFunc(want, func(a, b textorder.Keyed[termID]) int { return strings.Compare(a.Key, b.Key) })
		got := l.uniqueTerms(d)
		if len(got) != len(want) {
			t.Fatalf("call %d: %d terms, want %d", call, len(got), len(want))
		}
		for i := range want {
			if got[i].Key != want[i].Key || got[i].Val != want[i].Val {
				t.Fatalf("call %d: term %d is %q (id %d), want %q (id %d)", call, i, got[i].Key, got[i].Val, want[i].Key, want[i].Val)
			}
		}
	}
}
