package events

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// oldSnapshot is Snapshot as it was before its document frequencies were
// sorted by textorder into shared arrays (main 0addd7f), in one hold of
// the lock: the encoding the new one must reproduce byte for byte.
func oldSnapshot(c *Clusterer) []state.Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	var buf []state.Entry
	var ids []textorder.Keyed[int32]
	for ev := c.recency.front(); ev != nil; ev = ev.newer {
		if !ev.alive {
			continue
		}
		buf = append(buf, state.Entry{Table: state.Events, Key: eventKey(ev.id), Value: encodeEvent(nil, ev, &ids, c.terms)})
		for _, k := range ev.memberKeys {
			buf = append(buf, state.Entry{Table: state.Events, Key: memberKey(k), Value: []byte(ev.id)})
		}
	}
	terms := make([]string, 0, c.df.size)
	for t, n := range c.df.df {
		if n > 0 {
			terms = append(terms, c.terms.term(termID(t)))
		}
	}
	slices.Sort(terms)
	for _, t := range terms {
		if e := c.termEntry(t); e.Value != nil {
			buf = append(buf, e)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.floors.byID)) {
		buf = append(buf, state.Entry{Table: state.Events, Key: append([]byte{'r'}, id...), Value: encodeFloor(nil, c.floors.byID[id].floor)})
	}
	return append(buf, state.Entry{Table: state.Events, Key: []byte{'c'}, Value: c.encodeGlobal()})
}

// wordy is a clusterer under cfg that has read n stories of the wordy
// stream (terms_test.go), whose vocabulary turns over: with tight bounds
// term ids are freed and numbered anew, with the defaults the document
// frequencies run to thousands of terms.
func wordy(t testing.TB, cfg Config, n int) *Clusterer {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	c := New(cfg, nil)
	c.TrackChanges(true)
	at := t0
	for i := range n {
		at = at.Add(time.Duration(rng.IntN(180)) * time.Second)
		c.AddStory(wordyStory(rng, i, rng.IntN(60), at))
		if i%5 == 0 {
			c.AddDuplicate(&record.Duplicate{ID: fmt.Sprintf("d%d", i), DuplicateOf: fmt.Sprintf("s%d", rng.IntN(i+1)), Publisher: "dup", Published: at})
		}
		if i%10 == 9 {
			c.Changes()
			c.Expire(at)
		}
	}
	c.Changes()
	return c
}

// The snapshot is the old encoding's entries, byte for byte, with term
// ids reused (tight bounds) and with thousands of terms (the defaults) —
// the document frequencies in the order of their ids since round 44, not
// the old encoding's text order; and a clusterer restored from the old
// encoding snapshots to the same entries.
func TestSnapshotIsTheOldEncodingAndRestores(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"tight bounds, ids reused", tightConfig()}, {"the defaults", DefaultConfig()}} {
		t.Run(tc.name, func(t *testing.T) {
			c := wordy(t, tc.cfg, 3000)
			want := oldSnapshot(c)
			var got []state.Entry // emit copies what it keeps (state.Owner)
			if err := c.Snapshot(func(e state.Entry) error {
				got = append(got, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			terms := 0
			for _, e := range want {
				if e.Key[0] == 'd' {
					terms++
				}
			}
			if terms < 500 {
				t.Fatalf("only %d document frequencies", terms)
			}
			statetest.SameEntrySet(t, "the snapshot against the old encoding", got, want)
			r := New(tc.cfg, nil)
			for _, e := range want {
				if err := r.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := r.Restored(); err != nil {
				t.Fatal(err)
			}
			var again []state.Entry
			if err := r.Snapshot(func(e state.Entry) error {
				again = append(again, state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			// a restore lists an event's stories in key order, not the
			// order they joined in: the same entries, another order
			byKey := func(es []state.Entry) []state.Entry {
				return slices.SortedFunc(slices.Values(es), func(a, b state.Entry) int { return bytes.Compare(a.Key, b.Key) })
			}
			statetest.SameEntries(t, "a clusterer restored from the old encoding, snapshotted (by key)", byKey(again), byKey(want))
		})
	}
}

// BenchmarkSnapshotWordy is the clusterer's part of the state snapshot
// over 3,000 stories of a turning vocabulary at the defaults. It reports
// CPU time, which a shared box moves less than wall time.
func BenchmarkSnapshotWordy(b *testing.B) {
	c := wordy(b, DefaultConfig(), 3000)
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		if err := c.Snapshot(func(state.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
}

// eventKey is an event's key as the old encoding built it, one allocation each.
func eventKey(id string) []byte { return append([]byte{'e'}, id...) }
