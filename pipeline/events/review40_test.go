package events

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Review of round 40's 24-byte entity entries: an entry packs the key, a
// kind byte (0xff and a uvarint length for a kind spelt out) and the name
// in one slab string, so keys, kinds and names holding those very bytes,
// empty ones, and kinds whose length takes one, two and three uvarint
// bytes must come back as they went in.
func TestAnEntityEntryGivesBackHostileKeysKindsAndNames(t *testing.T) {
	keys := []string{"", "\xff", "a\xffb", "person:x", "\x00\x01", strings.Repeat("\xff", 300)}
	kinds := []string{"", "person", "organization", "place", "\xff", "\x00", "person\x00", "\x01", "\x03",
		strings.Repeat("k", 127), strings.Repeat("k", 128), strings.Repeat("\xff", 200), strings.Repeat("k", 16384)}
	names := []string{"", "\xff", "\x00\xff\x80", "\x81\x01", "Name"}
	var sl slab
	var es []entityCount
	want := map[string]record.EntityCount{}
	n := 0
	for _, k := range keys {
		for _, kind := range kinds {
			for _, name := range names {
				key := fmt.Sprintf("%s|%d", k, n) // distinct, so each is taken
				n++
				es = addEntity(es, key, kind, name, uint64(n), &sl)
				want[key] = record.EntityCount{Key: key, Name: name, Kind: kind, Stories: n}
			}
		}
	}
	if len(es) != maxTrackedEntities {
		t.Fatalf("%d entries, want the bound %d", len(es), maxTrackedEntities)
	}
	for i := range es {
		got := es[i].record()
		if w, ok := want[got.Key]; !ok || got != w {
			t.Fatalf("entry %d gives back %q/%q/%q %d, want %q/%q/%q %d", i, got.Key, got.Kind, got.Name, got.Stories, w.Key, w.Kind, w.Name, w.Stories)
		}
		if i > 0 && es[i-1].key() >= es[i].key() {
			t.Fatalf("entries %d and %d out of key order: %q, %q", i-1, i, es[i-1].key(), es[i].key())
		}
	}
}

// An event's hostile entities are published, written to the log and
// restored as they were: the restored event publishes the same entities
// (kinds and names byte for byte) and snapshots to the same bytes.
func TestAnEventsHostileEntitiesRestoreAsTheyWere(t *testing.T) {
	s := story("h-1", "Pub", 0, "Storm hits the coast", "A storm hit the coast on Monday.")
	s.Entities = []record.Entity{
		{Key: "person:a", Name: "", Kind: "person"},
		{Key: "x:\xff", Name: "\xff\x01", Kind: "\xff"},
		{Key: "x:b", Name: "B", Kind: strings.Repeat("\xff", 200)},
		{Key: "x:c", Name: "\x00", Kind: ""},
		{Key: "x:d", Name: strings.Repeat("\x80", 130), Kind: "person\x00"},
		{Key: "x:e", Name: "E", Kind: "event"},
		{Key: "\xff\xff", Name: "F", Kind: "PERSON"},
	}
	c := New(DefaultConfig(), nil)
	id := c.Assign(s)
	before := c.Current(id)
	if len(before.Entities) != len(s.Entities) {
		t.Fatalf("%d entities published, want %d", len(before.Entities), len(s.Entities))
	}
	for _, en := range s.Entities {
		if !slices.Contains(before.Entities, record.EntityCount{Key: en.Key, Name: en.Name, Kind: en.Kind, Stories: 1}) {
			t.Errorf("entity %q (%q, %q) not published as given: %+v", en.Key, en.Kind, en.Name, before.Entities)
		}
	}
	snap := review40Snapshot(t, c)
	r := New(DefaultConfig(), nil)
	for _, e := range snap {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	// before Current: publishing moves the event's revision. Compared as a
	// set, so the test does not lean on the order entries are emitted in
	again, want := map[string]string{}, map[string]string{}
	for _, e := range review40Snapshot(t, r) {
		again[fmt.Sprint(e.Table, string(e.Key))] = string(e.Value)
	}
	for _, e := range snap {
		want[fmt.Sprint(e.Table, string(e.Key))] = string(e.Value)
	}
	if !maps.Equal(again, want) {
		t.Errorf("the restored state snapshots to other entries")
	}
	if after := r.Current(id); after == nil || !slices.Equal(after.Entities, before.Entities) {
		t.Fatalf("restored event publishes %+v, want %+v", after, before.Entities)
	}
}

func review40Snapshot(t *testing.T, c *Clusterer) []state.Entry {
	t.Helper()
	var out []state.Entry
	if err := c.Snapshot(func(e state.Entry) error {
		out = append(out, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
