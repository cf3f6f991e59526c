package dedupe

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A remembered story's record is 56 bytes: its key is spelt from its
// packed id, not kept (8 bytes of 64 a story at a million stories).
func TestAStoryRecordKeepsNoKeyOfItsOwn(t *testing.T) {
	if got := unsafe.Sizeof(storyRec{}); got != 56 {
		t.Fatalf("storyRec is %d bytes, want 56", got)
	}
}

// Stories put under their id's key, under another key (a damaged log's
// entry) and with ids that do not pack are each found under the key they
// were put under, with the id they were put with, as forgetting some of
// them and compacting the records moves the rest.
func TestStoriesAreFoundUnderTheKeysTheyWerePutUnder(t *testing.T) {
	m := newMemory()
	type put struct {
		key uint64
		id  string
	}
	var puts []put
	for i := range 3000 {
		id := normalize.StoryID(fmt.Sprintf("https://a.example/%d", i), "", "")
		key := hkey(id)
		switch i % 3 {
		case 1:
			key = mix64(uint64(i)) | 1 // not its id's key
		case 2:
			id = fmt.Sprintf("odd-%d", i) // does not pack
			key = hkey(id)
		}
		e := seen{id: id, feed: uint64(i), content: uint64(i) * 7, first: int64(i), last: int64(i), version: 1 + i%5, guid: uint64(i) * 3, home: i%4 == 0}
		if i%6 == 0 {
			e.pid, _ = packID(id) // as a restore puts it: the packed id alone
			e.id = ""
		}
		m.put(key, e)
		puts = append(puts, put{key, id})
	}
	for i, p := range puts {
		if i%5 < 2 && !m.del(p.key) {
			t.Fatalf("story %d (%q) not there to forget", i, p.id)
		}
	}
	if m.stories.len() == len(puts) {
		t.Fatalf("forgetting %d of %d records compacted none", len(puts)-m.live[0], len(puts))
	}
	for i, p := range puts {
		e, ok := m.story(p.key)
		if forgotten := i%5 < 2; ok == forgotten {
			t.Fatalf("story %d (%q): found %v, forgotten %v", i, p.id, ok, forgotten)
		}
		if !ok {
			continue
		}
		if e.id != p.id || e.feed != uint64(i) || e.content != uint64(i)*7 || e.first != int64(i) || e.last != int64(i) || e.version != 1+i%5 || e.guid != uint64(i)*3 || e.home != (i%4 == 0) {
			t.Fatalf("story %d under %x: %+v, want id %q", i, p.key, e, p.id)
		}
		if i%3 == 1 {
			if _, found := m.story(hkey(p.id)); found {
				t.Fatalf("story %d put under %x is found under its id's key too", i, p.key)
			}
		}
	}
	// The odd ids are those of the live records without a packed id.
	unpacked := 0
	for i := range m.stories.len() {
		if r := m.rec(uint32(i)); r.live() && !r.id.packed() {
			unpacked++
		}
	}
	if len(m.odd) != unpacked {
		t.Fatalf("%d odd ids for %d live records without a packed id", len(m.odd), unpacked)
	}
}

// A prune drops the expired stories and copies, then evicts the least
// recently seen beyond max_entries in (last seen, key) order, as the
// tombstones say — also when dropping the expired ones compacts the
// story records under the slots the eviction chose from, and when many
// share the last-seen second at the eviction's edge.
func TestAPruneEvictsByLastSeenThenKeyAfterCompacting(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.clock = t0.UnixNano()
	now := t0.Unix()
	var expired, live []putEntry
	for i := range 4000 {
		id := normalize.StoryID(fmt.Sprintf("https://a.example/%d", i), "", "")
		key := hkey(id)
		e := seen{id: id, first: 1, last: now - int64(i%7)} // many share a second
		switch {
		case i%3 == 0:
			e.last = now - 2*3600 // past seen_ttl: 1,334 expired, enough to compact
			expired = append(expired, putEntry{key: key, last: e.last})
		case i%5 == 0:
			e = seen{copy: true, first: 1, last: e.last}
			key = copyKey("https://b.example/rss", id)
			live = append(live, putEntry{key: key, last: e.last})
		default:
			live = append(live, putEntry{key: key, last: e.last})
		}
		d.mem.put(key, e)
	}
	want := pruneTombstones(expired, live, 1000)
	slots := d.mem.stories.len()
	tombs, ps, ok := d.Prune()
	if !ok || ps.Stories != len(expired) || ps.Evicted != len(live)-1000 {
		t.Fatalf("prune: %+v (ok %v), want %d expired and %d evicted", ps, ok, len(expired), len(live)-1000)
	}
	if d.mem.stories.len() == slots {
		t.Fatal("the prune compacted no story records")
	}
	if got := storyTombstoneKeys(tombs); !slices.Equal(got, want) {
		t.Fatalf("story tombstones differ from the (last seen, key) order: %d, want %d", len(got), len(want))
	}
	for _, e := range live[len(live)-1000:] {
		if _, ok := d.mem.get(e.key); !ok {
			t.Fatalf("%x, seen at %d, was evicted", e.key, e.last)
		}
	}
}

// putEntry is a story or copy a prune test puts in memory, under key.
type putEntry struct {
	key  uint64
	id   string
	last int64 // last seen, in seconds
}

// pruneTombstones returns the story tombstones' keys a prune that keeps
// keep of live gives: the expired ones', as put, then the evicted ones'
// in (last seen, key) order. It sorts live in that order, so the last
// keep of it are the entries the prune keeps.
func pruneTombstones(expired, live []putEntry, keep int) []uint64 {
	slices.SortFunc(live, func(a, b putEntry) int { return cmp.Or(cmp.Compare(a.last, b.last), cmp.Compare(a.key, b.key)) })
	var keys []uint64
	for _, e := range expired {
		keys = append(keys, e.key)
	}
	for _, e := range live[:len(live)-keep] {
		keys = append(keys, e.key)
	}
	return keys
}

// storyTombstoneKeys returns the keys of es's entries of the stories
// table, in order.
func storyTombstoneKeys(es []state.Entry) []uint64 {
	var keys []uint64
	for _, e := range es {
		if e.Table == state.Stories {
			keys = append(keys, binary.LittleEndian.Uint64(e.Key))
		}
	}
	return keys
}
