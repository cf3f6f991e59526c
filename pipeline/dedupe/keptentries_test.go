package dedupe

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A store that keeps no entries (no log, no copy for a rewind: `process`)
// is committed to without encoding them, and the clock the log would
// hold moves as with a store that keeps them: the same decisions, the
// same logged clock after every batch — new stories, a batch of only
// unchanged ones under and over clockLogStep ahead.
func TestCommitAllToAStoreKeepingNoEntriesMovesTheLoggedClockAsWithThem(t *testing.T) {
	open := func(o state.Options) (*Deduper, *state.Store) {
		d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(context.Background(), nil, o, d)
		if err != nil {
			t.Fatal(err)
		}
		return d, st
	}
	keeping, keepingStore := open(state.Options{})
	bare, bareStore := open(state.Options{NoMemoryRewind: true})
	if !keepingStore.KeepsEntries() || bareStore.KeepsEntries() {
		t.Fatalf("KeepsEntries: %v with a rewind copy, %v without; want true, false", keepingStore.KeepsEntries(), bareStore.KeepsEntries())
	}
	g := newStreamGen(11)
	var all []item
	batches := []struct {
		at   time.Duration
		news int
	}{{0, 3}, {10 * time.Minute, 0}, {30 * time.Minute, 2}, {50 * time.Minute, 0}, {3 * time.Hour, 0}, {3*time.Hour + time.Minute, 1}, {9 * time.Hour, 0}}
	for i, b := range batches {
		at := t0.Add(b.at)
		for j := range b.news {
			id := fmt.Sprintf("s%d_%d", i, j)
			all = append(all, item{"https://a.example/rss", id, "guid-" + id, "https://a.example/" + id, id, g.text(60)})
		}
		var kinds [2][]Kind
		for k, side := range []struct {
			d  *Deduper
			st *state.Store
		}{{keeping, keepingStore}, {bare, bareStore}} {
			tx := side.d.Begin()
			for _, it := range all { // every story so far: the old ones unchanged
				s, text := story(it)
				dec, err := tx.Check(s, text, at)
				if err != nil {
					t.Fatal(err)
				}
				kinds[k] = append(kinds[k], dec.Kind)
			}
			if err := CommitAll(context.Background(), side.st, []*Txn{tx}); err != nil {
				t.Fatal(err)
			}
		}
		if fmt.Sprint(kinds[0]) != fmt.Sprint(kinds[1]) {
			t.Fatalf("batch %d: decisions %v keeping entries, %v not", i, kinds[0], kinds[1])
		}
		if keeping.logged != bare.logged || keeping.clock != bare.clock {
			t.Fatalf("batch %d: logged clock %d (clock %d) keeping entries, %d (%d) not", i, keeping.logged, keeping.clock, bare.logged, bare.clock)
		}
	}
	if keeping.logged == 0 {
		t.Fatal("no batch logged the clock: the test exercised nothing")
	}
}
