package events

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// year2100 is a hostile record's time: a damaged state log, a foreign or
// buggy writer's story dated 2100.
var year2100 = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// twoEvents is a clusterer that saw a London summit (bbc-1, grd-1, last
// story at t0+12m) and a Fed story (fed-1, t0+5m): two events of 2025.
func twoEvents(t *testing.T) (c *Clusterer, ukraine, fed string) {
	t.Helper()
	c = New(DefaultConfig(), nil)
	c.TrackChanges(true)
	c.AddStory(story("bbc-1", "BBC", 0, "European leaders meet in London for Ukraine security summit", "Starmer hosts Zelensky and European leaders at Lancaster House to agree a plan for Ukraine's security.", "person:keir_starmer", "person:volodymyr_zelensky", "place:gb", "place:ua"))
	c.AddStory(story("fed-1", "Reuters", 5*time.Minute, "Fed's Powell signals patience on interest rate cuts", "The Federal Reserve chair said the central bank is in no hurry to lower interest rates.", "person:jerome_powell", "organization:federal_reserve"))
	c.AddStory(story("grd-1", "Guardian", 12*time.Minute, "Starmer: Europe must do the heavy lifting on Ukraine security", "At the London summit, the prime minister said European countries would form a coalition of the willing to guarantee Ukraine's security.", "person:keir_starmer", "place:ua"))
	ukraine, fed = c.EventOf("bbc-1"), c.EventOf("fed-1")
	if ukraine == "" || c.EventOf("grd-1") != ukraine || fed == "" || fed == ukraine {
		t.Fatalf("live: bbc-1 in %q, grd-1 in %q, fed-1 in %q, want two events", ukraine, c.EventOf("grd-1"), fed)
	}
	return c, ukraine, fed
}

// withClock is entries with the clock entry's time set to at.
func withClock(t *testing.T, c *Clusterer, entries []state.Entry, at time.Time) []state.Entry {
	t.Helper()
	saved := c.clock
	c.clock = at
	v := c.encodeGlobal()
	c.clock = saved
	for i, e := range entries {
		if string(e.Key) == "c" {
			entries[i].Value = v
			return entries
		}
	}
	t.Fatal("the snapshot holds no clock entry")
	return nil
}

// dwStory is a later story of the London summit.
func dwStory() *record.Story {
	return story("dw-1", "DW", 50*time.Minute, "Ukraine security summit in London: leaders back coalition plan", "European leaders at the London summit backed a plan for Ukraine security guarantees.", "place:gb", "place:ua")
}

// A restored state log holding one record of 2100 — the clock entry, an
// event whose stories are dated 2100, an event id's floor set in 2100 —
// keeps its continuity: the event clock is bounded by the story times the
// state itself holds (the second latest, so the 2100 record cannot move
// the reference), never by the host's clock. Read as it was before round
// 41, the clock restored in 2100 closed every event at once, and a story
// of the live London summit founded an event of its own.
func TestARestoredRecordFarInTheFutureKeepsTheEventsContinuity(t *testing.T) {
	cases := map[string]func(t *testing.T, live *Clusterer, fed string) []state.Entry{
		"clock entry of 2100": func(t *testing.T, live *Clusterer, fed string) []state.Entry {
			return withClock(t, live, snapshotOf(t, live), year2100)
		},
		"an event of 2100 and the clock it moved": func(t *testing.T, live *Clusterer, fed string) []state.Entry {
			ev := live.events[fed]
			far := instantOf(year2100)
			ev.founded, ev.pubFirst, ev.lastNew, ev.last = far, far, far, far
			return withClock(t, live, snapshotOf(t, live), year2100)
		},
		"a floor of 2100 and the clock": func(t *testing.T, live *Clusterer, fed string) []state.Entry {
			floor := binary.AppendUvarint(nil, 7)
			floor = state.AppendTime(floor, year2100)
			entries := append(snapshotOf(t, live), state.Entry{Table: state.Events, Key: []byte("re_hostile"), Value: floor})
			return withClock(t, live, entries, year2100)
		},
		// several: the second latest is hostile too (round 42)
		"floors of 2100 and 2200 and the clock": func(t *testing.T, live *Clusterer, fed string) []state.Entry {
			entries := snapshotOf(t, live)
			for i, at := range []time.Time{year2100, year2100.AddDate(100, 0, 0)} {
				floor := binary.AppendUvarint(nil, 7)
				floor = state.AppendTime(floor, at)
				entries = append(entries, state.Entry{Table: state.Events, Key: []byte("re_hostile" + string(rune('a'+i))), Value: floor})
			}
			return withClock(t, live, entries, year2100.AddDate(100, 0, 0))
		},
	}
	for name, hostile := range cases {
		t.Run(name, func(t *testing.T) {
			live, ukraine, fed := twoEvents(t)
			tick, postSeq := live.tick, live.postSeq
			r := restoredFrom(t, DefaultConfig(), hostile(t, live, fed))
			if want := t0.Add(12 * time.Minute); !r.Clock().Equal(want) {
				t.Errorf("event clock %s after the restore, want the latest story time the state holds, %s", r.Clock(), want)
			}
			if r.tick != tick || r.postSeq != postSeq {
				t.Errorf("counters tick %d postSeq %d, want the entry's %d %d", r.tick, r.postSeq, tick, postSeq)
			}
			for id, ev := range r.events {
				for what, at := range map[string]time.Time{"founded": ev.founded.time(), "first story": ev.pubFirst.time(), "last new story": ev.lastNew.time(), "last activity": ev.last.time()} {
					if at.After(t0.Add(time.Hour)) {
						t.Errorf("event %s: %s at %s after the restore, want it cut to the state's own times", id, what, at)
					}
				}
			}
			for id, f := range r.floors.byID {
				if f.at.After(t0.Add(time.Hour)) {
					t.Errorf("floor of %s set at %s after the restore, want it cut to the state's own times", id, f.at)
				}
			}
			if r.events[fed] == nil {
				t.Errorf("the Fed event was not restored")
			}
			if got := r.Assign(dwStory()); got != ukraine {
				t.Errorf("a story of the live London summit after the restore joined %q, want its event %q", got, ukraine)
			}
		})
	}
}

// What lies within RestoredTimeSlack of the state's own times is kept as
// it was: an event whose story is dated days past the rest (normalize lets
// a published date lead its fetch by up to future_skew), a clock in the
// past, and a clock with no story time in the state to tell an outlier by
// (a restore cannot tell it from a quiet stretch then).
func TestRestoredTimesWithinTheStatesOwnAreKept(t *testing.T) {
	t.Run("an event five days ahead", func(t *testing.T) {
		live, _, fed := twoEvents(t)
		ahead := t0.Add(5 * 24 * time.Hour)
		ev := live.events[fed]
		ev.lastNew, ev.last = instantOf(ahead), instantOf(ahead)
		r := restoredFrom(t, DefaultConfig(), withClock(t, live, snapshotOf(t, live), ahead))
		if !r.Clock().Equal(ahead) || !r.events[fed].last.time().Equal(ahead) {
			t.Errorf("clock %s, the event's last activity %s, want both kept at %s", r.Clock(), r.events[fed].last.time(), ahead)
		}
	})
	t.Run("a clock in the past", func(t *testing.T) {
		past := time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC)
		live := New(DefaultConfig(), nil)
		live.clock = past
		r := restoredFrom(t, DefaultConfig(), []state.Entry{{Table: state.Events, Key: []byte{'c'}, Value: live.encodeGlobal()}})
		if !r.Clock().Equal(past) {
			t.Errorf("clock %s, want %s", r.Clock(), past)
		}
	})
	t.Run("a clock alone", func(t *testing.T) {
		live := New(DefaultConfig(), nil)
		live.clock = year2100
		r := restoredFrom(t, DefaultConfig(), []state.Entry{{Table: state.Events, Key: []byte{'c'}, Value: live.encodeGlobal()}})
		if !r.Clock().Equal(year2100) {
			t.Errorf("clock %s, want it kept at %s: the state holds no story time to bound it by", r.Clock(), year2100)
		}
	})
}
