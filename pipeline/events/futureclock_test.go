package events

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// nowStory is story() at a time relative to the wall clock, not t0.
func nowStory(id, pub string, at time.Time, title, summary string, ents ...string) *record.Story {
	s := story(id, pub, 0, title, summary, ents...)
	s.FirstSeen, s.Published = at, at
	return s
}

// A restored event clock far in the future of the wall clock — a damaged
// or foreign state record, a writer whose clock ran decades ahead — is
// cut back to the wall clock at Load. The clock only moves forward, so
// read as it was before round 40 every event read idle until real time
// caught up (year 2100): a story founded an event that was at once
// closed, and no story joined its live event. Every other part of the
// entry (sequence counters, document count) and every other entry is kept.
func TestRestoredClockFarInTheFutureIsClampedToTheWallClock(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	live := New(DefaultConfig(), nil)
	live.TrackChanges(true)
	live.AddStory(nowStory("bbc-1", "BBC", base, "European leaders meet in London for Ukraine security summit", "Starmer hosts Zelensky and European leaders at Lancaster House to agree a plan for Ukraine's security.", "person:keir_starmer", "person:volodymyr_zelensky", "place:gb", "place:ua"))
	live.AddStory(nowStory("grd-1", "Guardian", base.Add(12*time.Minute), "Starmer: Europe must do the heavy lifting on Ukraine security", "At the London summit, the prime minister said European countries would form a coalition of the willing to guarantee Ukraine's security.", "person:keir_starmer", "place:ua"))
	want := live.EventOf("bbc-1")
	if want == "" || live.EventOf("grd-1") != want {
		t.Fatalf("live: bbc-1 in %q, grd-1 in %q, want one event", want, live.EventOf("grd-1"))
	}
	entries := snapshotOf(t, live)
	live.clock = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	hostile := live.encodeGlobal()
	for i, e := range entries {
		if string(e.Key) == "c" {
			entries[i].Value = hostile
		}
	}

	r := restoredFrom(t, DefaultConfig(), entries)
	if bound := time.Now().Add(RestoredClockSlack); r.Clock().After(bound) {
		t.Errorf("event clock %s after the restore, want at most the wall clock + %s", r.Clock(), RestoredClockSlack)
	}
	if r.tick != live.tick || r.postSeq != live.postSeq || r.df.n != live.df.n {
		t.Errorf("counters tick %d postSeq %d n %v, want the entry's %d %d %v", r.tick, r.postSeq, r.df.n, live.tick, live.postSeq, live.df.n)
	}
	if got := r.Assign(nowStory("dw-1", "DW", base.Add(50*time.Minute), "Ukraine security summit in London: leaders back coalition plan", "European leaders at the London summit backed a plan for Ukraine security guarantees.", "place:gb", "place:ua")); got != want {
		t.Errorf("a story of the live event after the restore joined %q, want %q", got, want)
	}
}

// A restored clock in the past of the wall clock (an archive's replay, a
// test's made-up dates) is kept as it was: the bound caps only the future.
func TestRestoredClockInThePastIsKept(t *testing.T) {
	live := wordy(t, DefaultConfig(), 3) // stories of 2025
	r := New(DefaultConfig(), nil)
	if err := r.Load(state.Entry{Table: state.Events, Key: []byte{'c'}, Value: live.encodeGlobal()}); err != nil {
		t.Fatal(err)
	}
	if !r.Clock().Equal(live.clock) {
		t.Errorf("clock %s, want %s", r.Clock(), live.clock)
	}
}

// An event entry whose story times lie far in the future of the wall clock
// (year 2100) has them cut to the wall clock at Load, as the clock is:
// read as they were, the event stayed open, and in every story's window,
// until 2100 + Expiry, swallowing each story near its words. The event
// itself is kept, and closes on Expiry as a live one does.
func TestARestoredEventFarInTheFutureIsClampedAndExpires(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	live := New(DefaultConfig(), nil)
	live.TrackChanges(true)
	live.AddStory(nowStory("bbc-1", "BBC", base, "European leaders meet in London for Ukraine security summit", "Starmer hosts Zelensky and European leaders at Lancaster House to agree a plan for Ukraine's security.", "person:keir_starmer", "place:ua"))
	id := live.EventOf("bbc-1")
	ev := live.events[id]
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	ev.founded, ev.pubFirst, ev.lastNew, ev.last = far, far, far, far
	entries := snapshotOf(t, live)

	r := restoredFrom(t, DefaultConfig(), entries)
	got := r.events[id]
	if got == nil {
		t.Fatal("the event was not restored")
	}
	bound := time.Now().Add(RestoredClockSlack)
	for name, at := range map[string]time.Time{"founded": got.founded, "first story": got.pubFirst, "last new story": got.lastNew, "last activity": got.last} {
		if at.After(bound) {
			t.Errorf("%s at %s after the restore, want at most the wall clock + %s", name, at, RestoredClockSlack)
		}
	}
	closed := false
	for _, e := range r.Expire(time.Now().Add(2 * DefaultConfig().Expiry)) {
		closed = closed || e.ID == id
	}
	if !closed {
		t.Errorf("the event is still open %s after the wall clock", 2*DefaultConfig().Expiry)
	}
}
