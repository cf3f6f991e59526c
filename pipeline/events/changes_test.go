package events

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The entries of one Changes share one allocation: each must be cut to
// its own length and capacity, and say what Snapshot (which encodes each
// entry on its own) says of the same key — an event's entry the event
// the snapshot's gives, its centroid's terms in another order
// (encodeLoggedEvent).
func TestChangesEntriesAreTheSnapshotsOwnBytesAndShareNoCapacity(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var delta []state.Entry
	assignMorning(c)
	delta = c.Changes()
	if len(delta) == 0 {
		t.Fatal("no changes after eight stories")
	}
	snap := snapshotByKey(t, c)
	want := make([]state.Entry, len(delta))
	for i, e := range delta {
		want[i] = state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
		if e.Value == nil {
			t.Errorf("entry %q: a tombstone, and nothing closed", e.Key)
		} else if s, ok := snap[string(e.Key)]; !ok || !bytes.Equal(s, asSnapshotWrites(t, e)) {
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

// snapshotByKey is c's snapshot, each value copied, by key.
func snapshotByKey(t *testing.T, c *Clusterer) map[string][]byte {
	t.Helper()
	snap := map[string][]byte{}
	if err := c.Snapshot(func(e state.Entry) error {
		snap[string(e.Key)] = bytes.Clone(e.Value)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return snap
}

// asSnapshotWrites is e's value as the snapshot writes it: an event's
// decoded and encoded again by encodeEvent (its centroid's terms by
// text), any other entry's as it is.
func asSnapshotWrites(t *testing.T, e state.Entry) []byte {
	t.Helper()
	if e.Key[0] != 'e' {
		return e.Value
	}
	d := newDict()
	ev, err := decodeEvent(string(e.Key[1:]), e.Value, d)
	if err != nil {
		t.Fatalf("entry %q: %v", e.Key, err)
	}
	var ids []textorder.Keyed[int32]
	return encodeEvent(nil, ev, &ids, d)
}

func order(kind string) int { return map[string]int{"e": 0, "s": 1, "d": 2, "c": 3}[kind] }
