package dedupe

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Stories whose key is not spelt from their id — put under another key
// (a damaged log) or with an id that does not pack — keep the key in the
// id's place: a prune that evicts some of them among packed ones, past a
// compaction of the records, tombstones the keys they were put under in
// (last seen, key) order, and a restore from the snapshot of what is left
// finds each under its key with its id.
func TestAPruneAndARestoreKeepTheKeysOfOddStories(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 500}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.clock = t0.UnixNano()
	now := t0.Unix()
	var expired, live []putEntry
	for i := range 2000 {
		id := normalize.StoryID(fmt.Sprintf("https://a.example/%d", i), "", "")
		key := hkey(id)
		switch i % 3 {
		case 1:
			key = mix64(uint64(i)) | 1 // not its id's key
		case 2:
			id = fmt.Sprintf("odd-%d", i) // does not pack
			key = hkey(id)
		}
		e := seen{id: id, first: 1, last: now - int64(i%5)}
		if i%4 == 0 {
			e.last = now - 2*3600 // expired: enough to compact the records
			expired = append(expired, putEntry{key, id, e.last})
		} else {
			live = append(live, putEntry{key, id, e.last})
		}
		d.mem.put(key, e)
	}
	want := pruneTombstones(expired, live, 500)
	slots := d.mem.stories.len()
	tombs, ps, ok := d.Prune()
	if d.mem.stories.len() == slots {
		t.Fatal("the prune compacted no story records")
	}
	if !ok || ps.Evicted != len(live)-500 {
		t.Fatalf("prune: %+v (ok %v), want %d evicted", ps, ok, len(live)-500)
	}
	if got := storyTombstoneKeys(tombs); !slices.Equal(got, want) {
		t.Fatalf("story tombstones differ from the (last seen, key) order: %d, want %d", len(got), len(want))
	}
	r, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 500}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Snapshot(func(e state.Entry) error { return r.Load(e) }); err != nil {
		t.Fatal(err)
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*memory{d.mem, r.mem} {
		for _, e := range live[len(live)-500:] {
			if s, ok := m.story(e.key); !ok || s.id != e.id {
				t.Fatalf("%x: found %v as %q, want %q", e.key, ok, s.id, e.id)
			}
		}
		if m.live[0] != 500 {
			t.Fatalf("%d stories remembered, want 500", m.live[0])
		}
	}
}
