package dedupe

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A restore reads the story table's keys from restoreKeys, not from the
// records: a log whose tail forgets most stories and then puts new ones
// compacts the records during the replay (fullOfDead), and every story and
// alias must still be found afterwards, by the keys the records spell
// again once the restore ends, exactly as in memory that was never
// restored.
func TestARestoreThatCompactsOnTheWayFindsEveryStoryAndAlias(t *testing.T) {
	const n = 3000
	idOf := func(i int) string { return normalize.StoryID(fmt.Sprintf("https://r.example/%d", i), "", "") }
	aliasOf := func(i, a int) uint64 { return mix64(uint64(3*i+a)) | 1 }
	var log []state.Entry
	// A hint for the first n stories only: the tail's new stories meet a
	// full array with dead slots, which compacts it on the way.
	log = append(log, state.Entry{Table: state.Stories, Key: []byte{}, Value: encodeSizes([4]int{n, 0, 3 * n, 0})})
	storyEntry := func(i int) state.Entry {
		pid, _ := packID(idOf(i))
		return state.Entry{Table: state.Stories, Key: keyBytes(hkey(idOf(i))), Value: encodeSeen(nil, seen{pid: pid, feed: uint64(i), first: int64(i), last: int64(i)})}
	}
	aliasEntry := func(i, a int) state.Entry {
		return state.Entry{Table: state.Aliases, Key: keyBytes(aliasOf(i, a)), Value: keyBytes(hkey(idOf(i)))}
	}
	for i := range n {
		if i%7 == 0 {
			log = append(log, aliasEntry(i, 0)) // before its story: a changelog keeps no order
		}
		log = append(log, storyEntry(i))
	}
	for i := range n {
		for a := range 3 {
			log = append(log, aliasEntry(i, a))
		}
	}
	// Forget two thirds, their aliases too but for every tenth story's
	// (an alias whose story is gone: the first prune sweeps it).
	for i := range n {
		if i%3 == 0 {
			continue
		}
		log = append(log, state.Entry{Table: state.Stories, Key: keyBytes(hkey(idOf(i)))})
		if i%10 != 0 {
			for a := range 3 {
				log = append(log, state.Entry{Table: state.Aliases, Key: keyBytes(aliasOf(i, a))})
			}
		}
	}
	// New stories into the dead slots' room, a forgotten one put again
	// (its surviving alias finds it), and their aliases.
	for i := n; i < 2*n; i++ {
		log = append(log, storyEntry(i), aliasEntry(i, 0))
	}
	log = append(log, storyEntry(10))

	r, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 4 * n}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := newMemory()
	puts := 0
	for _, e := range log {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
		applyToMemory(t, want, e)
		if e.Table == state.Stories && len(e.Key) == 8 && e.Value != nil {
			puts++
		}
	}
	if r.mem.stories.len() >= puts {
		t.Fatalf("%d story slots for %d puts: the restore compacted nothing, the case tests nothing", r.mem.stories.len(), puts)
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if r.mem.restoreKeys != nil {
		t.Fatal("the restore's keys outlive it")
	}
	sameMemory(t, r.mem, want, 2*n, aliasOf, idOf)
	// After the restore the table spells its keys again: forget and put.
	r.mem.del(hkey(idOf(1)))
	want.del(hkey(idOf(1)))
	sameMemory(t, r.mem, want, 2*n, aliasOf, idOf)
}

// applyToMemory applies a log entry to m as live memory would, without
// a restore.
func applyToMemory(t *testing.T, m *memory, e state.Entry) {
	t.Helper()
	if len(e.Key) != 8 {
		return
	}
	k := binary.LittleEndian.Uint64(e.Key)
	switch {
	case e.Table == state.Stories && e.Value == nil:
		m.del(k)
	case e.Table == state.Stories:
		s, err := decodeSeen(e.Value)
		if err != nil {
			t.Fatal(err)
		}
		m.put(k, s)
	case e.Value == nil:
		m.delAlias(k)
	default:
		m.putAlias(k, binary.LittleEndian.Uint64(e.Value))
	}
}

// sameMemory checks that got finds every story 0..n-1 and its three
// aliases exactly as want does.
func sameMemory(t *testing.T, got, want *memory, n int, aliasOf func(i, a int) uint64, idOf func(int) string) {
	t.Helper()
	for i := range n {
		g, gok := got.story(hkey(idOf(i)))
		w, wok := want.story(hkey(idOf(i)))
		if gok != wok || g != w {
			t.Fatalf("story %d: %+v %v, want %+v %v", i, g, gok, w, wok)
		}
		for a := range 3 {
			g, gok := got.alias(aliasOf(i, a))
			w, wok := want.alias(aliasOf(i, a))
			if gok != wok || g != w {
				t.Fatalf("alias %d.%d: %+v %v, want %+v %v", i, a, g, gok, w, wok)
			}
		}
	}
	if got.live != want.live || got.aliases.len() != want.aliases.len() {
		t.Fatalf("%v stories and copies, %d aliases; want %v, %d", got.live, got.aliases.len(), want.live, want.aliases.len())
	}
}

// A file log restores to the memory it was written from: in full, as a
// snapshot, and as a snapshot and a tail, after prunes that forget
// stories and compact their records (the aliases' slots move), and with a
// snapshot written while batches and a prune reuse the slots.
func TestARestoreAfterPrunesEqualsMemoryFromAFullACompactedAndAPartCompactedLog(t *testing.T) {
	for _, mode := range []string{"full", "compacted", "part-compacted", "snapshot-while-slots-move"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			d, st := fileDeduper(t, dir)
			g := newStreamGen(31)
			prune := func() {
				t.Helper()
				if err := st.Update(t.Context(), func() []state.Entry {
					tombs, _, ok := d.Prune()
					if !ok {
						t.Error("prune refused")
					}
					return tombs
				}); err != nil {
					t.Error(err)
				}
			}
			feedStream(t, d, st, g, 0, 4000, t0)
			// Past the TTL (7 days): the first 4,000 stories expire, their
			// records compact, their aliases are swept.
			later := t0.Add(8 * 24 * time.Hour)
			feedStream(t, d, st, g, 4000, 300, later)
			slots := d.mem.stories.len()
			prune()
			if d.mem.stories.len() >= slots {
				t.Fatalf("the prune compacted no story records (%d slots)", slots)
			}
			if mode == "part-compacted" {
				if err := st.Compact(); err != nil {
					t.Fatal(err)
				}
			}
			if mode == "snapshot-while-slots-move" {
				// The compactions run beside the stream, not the stream beside
				// them: feedStream stops the test with t.Fatal, which only the
				// test's own goroutine may call.
				var wg sync.WaitGroup
				wg.Go(func() {
					for range 3 {
						if err := st.Compact(); err != nil {
							t.Error(err)
							return
						}
					}
				})
				feedStream(t, d, st, g, 4300, 800, later.Add(time.Hour))
				prune()
				wg.Wait()
			} else {
				feedStream(t, d, st, g, 4300, 800, later.Add(time.Hour))
			}
			if mode == "compacted" {
				if err := st.Compact(); err != nil {
					t.Fatal(err)
				}
			}
			want := snapshotOf(t, d)
			st.Close()
			d2, _ := fileDeduper(t, dir)
			if d2.mem.restoreKeys != nil {
				t.Fatal("the restore's keys outlive it")
			}
			if got := snapshotOf(t, d2); got != want {
				t.Fatalf("restored memory differs from the memory written:\n%.400s\nwant\n%.400s", got, want)
			}
			everyAliasFindsItsStory(t, d2)
		})
	}
}

// everyAliasFindsItsStory checks the restored tables' lookups, not only
// the records a snapshot reads: each alias and story is found by key.
func everyAliasFindsItsStory(t *testing.T, d *Deduper) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.mem
	found := 0
	m.eachAlias(func(k uint64, s uint32) bool {
		story := m.aliasStory(k, s)
		e, ok := m.alias(k)
		if !ok || hkey(e.pid.String()) != story && hkey(e.id) != story {
			t.Errorf("alias %x finds %+v, %v; want the story %x", k, e, ok, story)
			return false
		}
		found++
		return true
	})
	if found == 0 {
		t.Fatal("no alias restored")
	}
	for s := range m.stories.len() {
		if r := m.rec(uint32(s)); r.live() {
			if _, ok := m.story(r.key()); !ok {
				t.Fatalf("story at slot %d not found by its key", s)
			}
		}
	}
}
