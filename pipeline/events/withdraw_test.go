package events

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// changelog keeps the clusterer's Changes as a compacted log would: the
// last value of each key, tombstones applied.
type changelog map[string][]byte

func (l changelog) take(c *Clusterer) {
	for _, e := range c.Changes() {
		if e.Value == nil {
			delete(l, string(e.Key))
		} else {
			l[string(e.Key)] = e.Value
		}
	}
}

// restore is a new clusterer loaded from l, as a restart or a rewind
// loads one.
func (l changelog) restore(t *testing.T) *Clusterer {
	t.Helper()
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	for k, v := range l {
		if err := c.Load(state.Entry{Table: state.Events, Key: []byte(k), Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Restored(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWithdrawSupersedesWhatTheSinkHolds(t *testing.T) {
	ecb := func(id string, at time.Duration) *record.Story {
		s := story(id, "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate.", "organization:ecb")
		s.Published = t0.Add(at)
		return s
	}
	t.Run("an event memory holds is published again above the sink's revision, and goes on above it after a restart", func(t *testing.T) {
		log := changelog{}
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		id := c.Assign(ecb("s_a", 0))
		first := c.Current(id)
		log.take(c)
		sunk := *first
		sunk.Revision, sunk.StoryIDs = 4, []string{"s_a", "s_b"} // a batch not committed had s_b join
		out := c.Withdraw([]*record.Event{&sunk}, nil)
		if len(out) != 1 || out[0].ID != id || out[0].Retracted || out[0].Revision != 5 || len(out[0].StoryIDs) != 1 {
			t.Fatalf("Withdraw = %+v, want %s at revision 5 holding s_a alone", out, id)
		}
		log.take(c)
		if got := log.restore(t).Current(id); got == nil || got.Revision != 6 {
			t.Errorf("after a restart the next revision is %+v, want 6", got)
		}
	})
	t.Run("an event memory does not hold is retracted, and founded again above the retraction", func(t *testing.T) {
		log := changelog{}
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		id := eventID("s_b")
		sunk := &record.Event{Type: record.TypeEvent, ID: id, SchemaVersion: record.SchemaVersion, Revision: 3, Title: "ECB",
			StoryCount: 2, StoryIDs: []string{"s_b", "s_c"}, Publishers: []string{"herald"}, PublisherCount: 1, LastPublished: t0}
		out := c.Withdraw([]*record.Event{sunk}, nil)
		if len(out) != 1 || !out[0].Retracted || !out[0].Expired || out[0].Revision != 4 || out[0].StoryCount != 0 || len(out[0].StoryIDs) != 0 {
			t.Fatalf("Withdraw = %+v, want a retraction of %s at revision 4 holding nothing", out, id)
		}
		log.take(c)
		again := log.restore(t)
		if got := again.Assign(ecb("s_b", time.Minute)); got != id {
			t.Fatalf("s_b founded %s, want %s", got, id)
		}
		if got := again.Current(id); got.Revision != 5 {
			t.Errorf("the event founded again is at revision %d, want 5", got.Revision)
		}
		log.take(again)
		if _, ok := log["r"+id]; ok {
			t.Error("the floor stays in the log after the id was founded above it")
		}
	})
	t.Run("a floor outlives expiry, and past max_events floors the earliest goes", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.MaxEvents = 2
		c := New(cfg, nil)
		c.TrackChanges(true)
		log := changelog{}
		c.Withdraw([]*record.Event{{ID: "e_1", Revision: 3, LastPublished: t0}}, nil)
		c.Expire(t0.Add(10 * cfg.Expiry))
		c.Withdraw([]*record.Event{{ID: "e_2", Revision: 1, LastPublished: t0.Add(time.Hour)}}, nil)
		log.take(c)
		if c.floors.len() != 2 {
			t.Fatalf("floors %v, want e_1 and e_2: expiry dropped one", slices.Sorted(maps.Keys(c.floors.byID)))
		}
		c.Withdraw([]*record.Event{{ID: "e_3", Revision: 1, LastPublished: t0.Add(2 * time.Hour)}}, nil)
		log.take(c)
		if _, ok := c.floors.get("e_1"); ok || c.floors.len() != 2 {
			t.Errorf("floors %v, want e_2 and e_3", slices.Sorted(maps.Keys(c.floors.byID)))
		}
		if _, ok := log["re_1"]; ok {
			t.Error("the dropped floor is still in the log")
		}
	})
}

// A revision Current or Head hands out reaches the state log with the
// batch that took it, even when nothing else changed the event (the
// pipeline publishes a deferred update in a later run that adds no story
// to it): a restart then goes on above it rather than hand the number
// out again with other content.
func TestARevisionHandedOutOutlivesARestart(t *testing.T) {
	for name, take := range map[string]func(*Clusterer, string) *record.Event{
		"Current": (*Clusterer).Current,
		"Head":    (*Clusterer).Head,
	} {
		t.Run(name, func(t *testing.T) {
			log := changelog{}
			c := New(DefaultConfig(), nil)
			c.TrackChanges(true)
			id := c.Assign(story("s_a", "herald", 0, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate."))
			c.Current(id)
			log.take(c)
			handed := take(c, id)
			log.take(c)
			next := log.restore(t).Current(id)
			if next == nil || next.Revision <= handed.Revision {
				t.Errorf("after a restart the next revision is %+v, want above %d, handed out before", next, handed.Revision)
			}
		})
	}
}

// A commit kept in part may hold a story's membership without its
// event's state: restored, the event does not list the story, and Unjoin
// takes the membership out (a tombstone), so the story decided again
// joins and is listed. A member the event lists stays.
func TestUnjoinTakesOutAMembershipItsEventDoesNotList(t *testing.T) {
	ecb := func(id string, at time.Duration) *record.Story {
		s := story(id, "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate.", "organization:ecb")
		s.Published = t0.Add(at)
		return s
	}
	log := changelog{}
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	id := c.Assign(ecb("s_a", 0))
	log.take(c)
	if c.Assign(ecb("s_b", time.Minute)) != id {
		t.Fatal("s_b did not join s_a's event")
	}
	cut := changelog{}
	cut.take(c)
	log[string(memberKey(storyKey("s_b")))] = cut[string(memberKey(storyKey("s_b")))] // only s_b's membership landed

	r := log.restore(t)
	if r.EventOf("s_b") != id || slices.Contains(r.Current(id).StoryIDs, "s_b") {
		t.Fatalf("restored: s_b in %q, listed %v: want the cut's membership without the list", r.EventOf("s_b"), r.Current(id).StoryIDs)
	}
	es := r.Unjoin([]string{"s_a", "s_b"})
	if len(es) != 1 || es[0].Value != nil || string(es[0].Key) != string(memberKey(storyKey("s_b"))) {
		t.Fatalf("Unjoin = %v, want s_b's membership's tombstone alone", es)
	}
	if r.EventOf("s_b") != "" || r.EventOf("s_a") != id {
		t.Fatalf("after Unjoin: s_a in %q, s_b in %q", r.EventOf("s_a"), r.EventOf("s_b"))
	}
	if got := r.Assign(ecb("s_b", time.Minute)); got != id || !slices.Contains(r.Current(id).StoryIDs, "s_b") {
		t.Fatalf("s_b decided again: in %q, listed %v", got, r.Current(id).StoryIDs)
	}
}

// A noted record that closed its event, whose close the log holds (the
// event is gone from it), is not retracted: its stories, which name it,
// stay listed by its last record. The id, founded again, goes on above it.
// expireAlone closes event id, idle for 30 days, and returns its close.
func expireAlone(t *testing.T, c *Clusterer, id string) *record.Event {
	t.Helper()
	for _, ev := range c.Expire(t0.Add(30 * 24 * time.Hour)) {
		if ev.ID == id && ev.Expired {
			return ev
		}
	}
	t.Fatal("the event did not close")
	return nil
}

func TestWithdrawLetsACloseTheLogHoldsStand(t *testing.T) {
	s := ecbStory("s_a", 0, 1)
	log := changelog{}
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	id := c.Assign(s)
	log.take(c)
	closed := expireAlone(t, c, id)
	log.take(c) // the close landed

	r := log.restore(t)
	if out := r.Withdraw([]*record.Event{closed}, nil); len(out) != 0 {
		t.Fatalf("Withdraw of a close the log holds = %+v, want nothing", out)
	}
	again := *s
	again.Published = t0.Add(31 * 24 * time.Hour)
	if got := r.Assign(&again); got == id && r.Current(id).Revision <= closed.Revision {
		t.Fatalf("founded again at revision %d, not above the close's %d", r.Current(id).Revision, closed.Revision)
	}
}

// A close the log never held — its event founded and closed (or merged)
// in writes whose commits never landed — is retracted: its stories are
// decided again and may join another event, which the close would
// contradict for good on the compacted topic.
func TestWithdrawRetractsACloseTheLogNeverHeld(t *testing.T) {
	s := ecbStory("s_a", 0, 1)
	log := changelog{}
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	log.take(c)
	id := c.Assign(s)
	closed := expireAlone(t, c, id)
	r := log.restore(t) // nothing of the founding or the close reached the log
	if out := r.Withdraw([]*record.Event{closed}, func(string) bool { return false }); len(out) != 0 {
		t.Fatalf("Withdraw of a close whose stories stay decided = %+v, want it to stand", out)
	}
	r = log.restore(t)
	out := r.Withdraw([]*record.Event{closed}, func(id string) bool { return id == "s_a" })
	if len(out) != 1 || !out[0].Retracted || out[0].Revision <= closed.Revision || len(out[0].StoryIDs) != 0 {
		t.Fatalf("Withdraw of a close the log never held = %+v, want one retraction above revision %d", out, closed.Revision)
	}
}

// A retraction Withdraw is given is retracted again above it, not let
// stand as a close: its write may never have landed, and the record it
// was to supersede may still list stories on the sink.
func TestWithdrawRetractsARetractionAgain(t *testing.T) {
	s := ecbStory("s_a", 0, 1)
	log := changelog{}
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	log.take(c)
	id := c.Assign(s)
	live := c.Current(id)
	r := log.restore(t) // the founding never reached the log
	first := r.Withdraw([]*record.Event{live}, nil)
	if len(first) != 1 || !first[0].Retracted {
		t.Fatalf("Withdraw of a live event the log never held = %+v, want a retraction", first)
	}
	r = log.restore(t) // nor did the retraction's batch
	out := r.Withdraw(first, func(string) bool { return false })
	if len(out) != 1 || !out[0].Retracted || out[0].Revision <= first[0].Revision || len(out[0].StoryIDs) != 0 {
		t.Fatalf("Withdraw of a retraction = %+v, want one retraction above revision %d", out, first[0].Revision)
	}
}

// A close of an event the log does not hold, listing a story the log
// places in a live event of its own, does not stand: the event was
// founded in writes never committed and absorbed, by a merge, an event
// the log holds (round 25's doubt, read in the code). Its stories of
// those writes are decided again, the absorbed one is not, and the log's
// event, published again live, lists it: the close, had it landed,
// would hold it too for good on the compacted topic, and had it not, an
// uncommitted live record of the event would.
func TestWithdrawRetractsACloseListingAStoryTheLogPlacesElsewhere(t *testing.T) {
	log := changelog{}
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	held := c.Assign(ecbStory("s_a", 0, 1))
	log.take(c) // the log holds the event of s_a, live
	id := eventID("s_e")
	closed := &record.Event{Type: record.TypeEvent, ID: id, SchemaVersion: record.SchemaVersion, Revision: 3, Title: "ECB",
		StoryCount: 2, StoryIDs: []string{"s_e", "s_a"}, Publishers: []string{"herald"}, PublisherCount: 1,
		LastPublished: t0, Expired: true}
	r := log.restore(t)
	out := r.Withdraw([]*record.Event{closed}, func(id string) bool { return id == "s_e" })
	if len(out) != 1 || out[0].ID != id || !out[0].Retracted || out[0].Revision <= closed.Revision || len(out[0].StoryIDs) != 0 {
		t.Fatalf("Withdraw of a close listing %s's story s_a = %+v, want one retraction of %s above revision %d", held, out, id, closed.Revision)
	}
}
