package events

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// joinOne is a clusterer whose one event takes story n of a stream of
// stories that all join it, each with a publisher, entities and keywords
// of its own and some the event holds already.
func joinOne(c *Clusterer, n int) {
	s := story(fmt.Sprintf("s-%d", n), fmt.Sprintf("Pub%d", n%7), time.Duration(n)*time.Minute,
		"Storm floods the coast of Cornwall", "A storm flooded the coast of Cornwall on Monday, closing roads.",
		"place:gb", fmt.Sprintf("person:p%d", n%11))
	s.Keywords = []string{"storm", fmt.Sprintf("flood %d", n%5)}
	c.Assign(s)
}

// A story joining an event the log holds writes what it changed — the
// event's fields, centroid and title, the new member, the entities and
// keywords it counted — under a delta key, not the whole event again;
// the event is written whole at its first entry and after maxDeltaSteps
// deltas, whose keys the next deltas take again.
func TestAStoryJoiningALoggedEventWritesADeltaNotTheWholeEvent(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var kinds []string
	var all []state.Entry
	for n := range 1 + maxDeltaSteps + 2 {
		joinOne(c, n)
		es := c.Changes()
		all = append(all, es...)
		var whole, deltas, dropped int
		for _, e := range es {
			switch {
			case e.Key[0] == 'e' && e.Value != nil:
				whole++
				if n > 0 && len(e.Value) < 400 {
					t.Fatalf("story %d: the whole event is only %d bytes: the stream does not tell a delta from it", n, len(e.Value))
				}
			case e.Key[0] == 'E' && e.Value != nil:
				deltas++
				var ev *event
				for _, x := range c.events {
					ev = x
				}
				if w := encodeLoggedEvent(nil, ev, c.terms); len(e.Value) >= len(w) {
					t.Fatalf("story %d: a delta of %d bytes, the whole event %d", n, len(e.Value), len(w))
				}
			case e.Key[0] == 'E':
				dropped++
			}
		}
		kinds = append(kinds, fmt.Sprintf("%d/%d/%d", whole, deltas, dropped))
	}
	if len(c.events) != 1 {
		t.Fatalf("%d events, want the stream's one", len(c.events))
	}
	want := []string{"1/0/0"}
	for range maxDeltaSteps {
		want = append(want, "0/1/0")
	}
	want = append(want, "1/0/0", "0/1/0")
	if !slices.Equal(kinds, want) {
		t.Fatalf("entries a batch (whole/deltas/tombstones of deltas):\n got %v\nwant %v", kinds, want)
	}
	for name, log := range map[string][]state.Entry{"every entry": all, "compacted": compacted(all)} {
		statetest.SameEntries(t, name, snapshotOf(t, restoredFrom(t, DefaultConfig(), log)), snapshotOf(t, c))
	}
}

// An event's close writes the tombstones of its deltas with its own: a
// compacted log keeps no delta of a closed event.
func TestAClosedEventLeavesNoDeltaInACompactedLog(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var all []state.Entry
	for n := range 5 {
		joinOne(c, n)
		all = append(all, c.Changes()...)
	}
	c.Expire(t0.Add(30 * 24 * time.Hour))
	all = append(all, c.Changes()...)
	if c.Active() != 0 {
		t.Fatalf("%d events live after a month, want none", c.Active())
	}
	for _, e := range compacted(all) {
		if e.Key[0] == 'E' || e.Key[0] == 'e' {
			t.Fatalf("a compacted log holds %q of a closed event", e.Key)
		}
	}
}

// A snapshot taken after a batch's entries went to the log but before the
// log rotated holds them already (a fuzzy snapshot): the log replays that
// batch's deltas after it, and they change nothing the snapshot holds.
func TestDeltasTheSnapshotHoldsAlreadyChangeNothing(t *testing.T) {
	steps := newsStream(1200)
	for _, tc := range newsStreamConfigs() {
		live := New(tc.cfg, nil)
		live.TrackChanges(true)
		var before, after []state.Entry
		for i, st := range steps[:600] {
			playStep(live, st)
			if i%10 == 9 {
				es := live.Changes()
				if i < 400 {
					before = append(before, es...)
				} else {
					after = append(after, es...)
				}
			}
			if i == 500 {
				// the snapshot, past the entries from step 400 on
				before = snapshotOf(t, live)
			}
		}
		live.Expire(time.Time{}) // hand out what closed: the log holds no pending final state
		after = append(after, live.Changes()...)
		deltas := 0
		for _, e := range after {
			if e.Key[0] == 'E' && e.Value != nil {
				deltas++
			}
		}
		if deltas == 0 {
			t.Fatalf("%s: no delta in the entries after the snapshot", tc.name)
		}
		got := restoredFrom(t, tc.cfg, append(before, after...))
		statetest.SameEntries(t, tc.name, snapshotOf(t, got), snapshotOf(t, live))
		for i, st := range steps[600:750] {
			if g, w := playStep(got, st), playStep(live, st); g != w {
				t.Fatalf("%s: step %d went to %q, the live clusterer's to %q", tc.name, 600+i, g, w)
			}
		}
	}
}

// A commit the log kept only in part may lose an event's delta and keep
// the next (one commit can carry several batches' deltas of an event):
// the next still lists every member and publisher the event has, so no
// story is left a member its event's record does not list.
func TestALostDeltaLosesNoMember(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	joinOne(c, 0)
	log := c.Changes()
	var deltas []state.Entry
	for _, batch := range [][]int{{1, 2, 3}, {4, 5}} {
		for _, n := range batch {
			joinOne(c, n)
		}
		for _, e := range c.Changes() {
			log = append(log, e)
			if e.Key[0] == 'E' {
				deltas = append(deltas, e)
			}
		}
	}
	if len(deltas) != 2 {
		t.Fatalf("%d deltas, want one a batch", len(deltas))
	}
	lost := slices.DeleteFunc(slices.Clone(log), func(e state.Entry) bool {
		return string(e.Key) == string(deltas[0].Key) && string(e.Value) == string(deltas[0].Value)
	})
	r := restoredFrom(t, DefaultConfig(), lost)
	var got, want *event
	for _, ev := range r.events {
		got = ev
	}
	for _, ev := range c.events {
		want = ev
	}
	ring := func(e *event) []string { return append(slices.Clone(e.members[e.head:]), e.members[:e.head]...) }
	if !slices.Equal(ring(got), ring(want)) || !slices.Equal(got.pubs, want.pubs) || got.stories != want.stories {
		t.Fatalf("restored without the first delta: members %q, publishers %q, %d stories; want %q, %q, %d",
			ring(got), got.pubs, got.stories, ring(want), want.pubs, want.stories)
	}
}

// FuzzLoadEventDelta restores an event's whole entry and an arbitrary
// delta of it, as a damaged log would hold: Load and Restored return an
// error or a clusterer whose snapshot encodes, and never panic.
func FuzzLoadEventDelta(f *testing.F) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	joinOne(c, 0)
	image := c.Changes()
	for n := 1; n < 5; n++ {
		joinOne(c, n)
		for _, e := range c.Changes() {
			if e.Key[0] == 'E' {
				f.Add(e.Key[1], e.Value)
			}
		}
	}
	f.Add(byte(1), []byte{deltaVersion})
	f.Fuzz(func(t *testing.T, step byte, value []byte) {
		r := New(DefaultConfig(), nil)
		r.TrackChanges(true)
		var id string
		for _, e := range image {
			if e.Key[0] == 'e' {
				id = string(e.Key[1:])
			}
			if err := r.Load(e); err != nil {
				t.Fatal(err)
			}
		}
		key := append([]byte{'E', step}, id...)
		if r.Load(state.Entry{Table: state.Events, Key: key, Value: value}) != nil {
			return
		}
		if r.Restored() != nil {
			return
		}
		if err := r.Snapshot(func(state.Entry) error { return nil }); err != nil {
			t.Fatal(err)
		}
		r.Changes()
	})
}

// A commit the log kept only in part — the whole entry that followed an
// event's sixteenth delta lost, its other entries kept — restores the
// event as the deltas before it left it: they are still in the log.
func TestALostWholeEntryLeavesTheEventAsItsDeltasBefore(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var log []state.Entry
	for n := range 1 + maxDeltaSteps + 1 {
		joinOne(c, n)
		es := c.Changes()
		for _, e := range es {
			if n == maxDeltaSteps+1 && e.Key[0] == 'e' {
				continue // the lost whole entry
			}
			log = append(log, e)
		}
	}
	events := func(es []state.Entry) []state.Entry {
		return slices.DeleteFunc(slices.Clone(es), func(e state.Entry) bool { return e.Key[0] != 'e' })
	}
	prev := New(DefaultConfig(), nil)
	prev.TrackChanges(true)
	for n := range 1 + maxDeltaSteps {
		joinOne(prev, n)
		prev.Changes()
	}
	for name, l := range map[string][]state.Entry{"every entry": log, "compacted": compacted(log)} {
		statetest.SameEntries(t, name, events(snapshotOf(t, restoredFrom(t, DefaultConfig(), l))), events(snapshotOf(t, prev)))
	}
}
