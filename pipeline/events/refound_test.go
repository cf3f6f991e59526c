package events

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// ecbStory is a story on the ECB's rates published at after t0.
func ecbStory(id string, at time.Duration, version int) *record.Story {
	s := story(id, "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate at four percent.", "organization:ecb")
	s.Published, s.Version = t0.Add(at), version
	return s
}

// publishedStory is a story titled title, published at after t0.
func publishedStory(id string, at time.Duration, title string) *record.Story {
	s := story(id, "gazette", at, title, "")
	s.Published = t0.Add(at)
	return s
}

// TestRefoundedIDOutranksItsOldEventsEnd covers an event id founded again
// by its founding story (a revision of it, published later) in the batch
// that also hands out the final, expired state of the old event of that
// id. A batch's records are its events' states (Current) and the closed
// events (Expire); ranked by revision, as the README promises the topic
// is, the id's newest record must be the live event the clusterer holds,
// not the old event's end.
func TestRefoundedIDOutranksItsOldEventsEnd(t *testing.T) {
	ecb := func(at time.Duration, version int) *record.Story { return ecbStory("s_ecb", at, version) }
	other := publishedStory
	expiry := DefaultConfig().Expiry
	for _, tc := range []struct {
		name          string
		first, second []*record.Story // two batches; the second founds the id again
	}{
		{
			// the old event is closed by the clock, earlier in the batch,
			// before its story founds the id again
			name:   "an old event that expired earlier in the same batch",
			first:  []*record.Story{ecb(0, 1)},
			second: []*record.Story{other("s_storm", expiry+time.Hour, "Storm floods coastal towns"), ecb(expiry+2*time.Hour, 2)},
		},
		{
			// the old event is idle past expiry but still held, behind a
			// live event in the recency list, when its story founds the
			// id again and closes it
			name:   "an old event still held, idle behind a live one",
			first:  []*record.Story{other("s_storm", 10*time.Hour, "Storm floods coastal towns"), ecb(0, 1)},
			second: []*record.Story{other("s_quake", expiry+9*time.Hour, "Earthquake shakes mountain villages"), ecb(expiry+9*time.Hour, 2)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig(), nil)
			batch := func(stories []*record.Story) map[string][]*record.Event {
				byID := map[string][]*record.Event{}
				var touched []string
				for _, s := range stories {
					if id := c.Assign(s); !slices.Contains(touched, id) {
						touched = append(touched, id)
					}
				}
				for _, id := range touched {
					if ev := c.Current(id); ev != nil {
						byID[id] = append(byID[id], ev)
					}
				}
				for _, ev := range c.Expire(c.Clock()) {
					byID[ev.ID] = append(byID[ev.ID], ev)
				}
				return byID
			}
			batch(tc.first)
			recs := batch(tc.second)
			id := eventID("s_ecb")
			var live *record.Event
			for _, ev := range c.Live(0) {
				if ev.ID == id {
					live = ev
				}
			}
			if live == nil || live.StoryCount != 1 {
				t.Fatalf("the clusterer holds %+v for %s, want a live event of the founding story", live, id)
			}
			got := recs[id]
			if len(got) != 2 {
				t.Fatalf("the batch handed out %d records of %s, want the old event's end and the new event's state: %+v", len(got), id, got)
			}
			newest := slices.MaxFunc(got, func(a, b *record.Event) int { return a.Revision - b.Revision })
			if newest.Expired || newest.Revision != live.Revision {
				for _, ev := range got {
					t.Logf("%s revision %d expired %v stories %d", ev.ID, ev.Revision, ev.Expired, ev.StoryCount)
				}
				t.Fatalf("the newest record of %s is revision %d (expired %v); the clusterer holds it live at revision %d", id, newest.Revision, newest.Expired, live.Revision)
			}
		})
	}
}

// TestRefoundedIDContinuesAboveAnEndPublishedBefore covers an event id
// founded again in a batch after the one that handed out its old event's
// expired end: the new event continues above
// that end, in the same clusterer and in one restored from the state log
// between the batches, so the id's revisions rise in publish order and
// no record-id repeats.
func TestRefoundedIDContinuesAboveAnEndPublishedBefore(t *testing.T) {
	expiry := DefaultConfig().Expiry
	ecb, other := ecbStory, publishedStory
	for _, tc := range []struct {
		name    string
		batches [][]*record.Story // the last founds eventID("s_ecb") again
		restart bool              // restore from the log before the last batch
	}{
		{
			name: "an event that expired in an earlier batch",
			batches: [][]*record.Story{
				{ecb("s_ecb", 0, 1), ecb("s_ecb2", time.Minute, 1)},
				{other("s_storm", expiry+time.Hour, "Storm floods coastal towns")},
				{ecb("s_ecb", expiry+2*time.Hour, 2)},
			},
		},
		{
			name: "an event that expired in an earlier batch, across a restart",
			batches: [][]*record.Story{
				{ecb("s_ecb", 0, 1), ecb("s_ecb2", time.Minute, 1)},
				{other("s_storm", expiry+time.Hour, "Storm floods coastal towns")},
				{ecb("s_ecb", expiry+2*time.Hour, 2)},
			},
			restart: true,
		},
		{
			name: "an id that comes back days later, across a restart",
			batches: [][]*record.Story{
				{ecb("s_ecb", 0, 1)},
				{other("s_storm", 3*expiry, "Storm floods coastal towns")},
				{other("s_quake", 6*expiry, "Earthquake shakes mountain villages")},
				{ecb("s_ecb", 9*expiry, 1)},
			},
			restart: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := changelog{}
			c := New(DefaultConfig(), nil)
			c.TrackChanges(true)
			id := eventID("s_ecb")
			var revs []int // the id's records, in publish order
			batch := func(stories []*record.Story) {
				var touched []string
				for _, s := range stories {
					if id := c.Assign(s); !slices.Contains(touched, id) {
						touched = append(touched, id)
					}
				}
				// the pipeline publishes ends first, then the states (eventSet)
				for _, ev := range c.Expire(c.Clock()) {
					if ev.ID == id {
						revs = append(revs, ev.Revision)
					}
				}
				if slices.Contains(touched, id) {
					revs = append(revs, c.Current(id).Revision)
				}
				log.take(c)
			}
			last := len(tc.batches) - 1
			for _, b := range tc.batches[:last] {
				batch(b)
			}
			if tc.restart {
				c = log.restore(t)
			}
			batch(tc.batches[last])
			if len(revs) < 3 {
				t.Fatalf("%s published revisions %v, want the old event's states, its end and the new event's state", id, revs)
			}
			for i := 1; i < len(revs); i++ {
				if revs[i] <= revs[i-1] {
					t.Fatalf("%s published revisions %v: they do not rise", id, revs)
				}
			}
			if _, ok := log["r"+id]; ok {
				t.Error("the floor stays in the log after the id was founded above it")
			}
		})
	}
}

// TestClosedEventsLeaveBoundedFloors: every event that expires leaves its
// id's floor in the log; past max_events floors the one set earliest in
// event time goes, from memory and the log.
func TestClosedEventsLeaveBoundedFloors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxEvents = 3
	c := New(cfg, nil)
	c.TrackChanges(true)
	log := changelog{}
	titles := []string{"Storm floods coastal towns", "Earthquake shakes mountain villages", "Parliament passes budget bill",
		"Striker signs record transfer", "Wildfire forces evacuations", "Central bank raises interest rates"}
	var ids []string
	for i, title := range titles {
		ids = append(ids, c.Assign(publishedStory(fmt.Sprintf("s_%d", i), time.Duration(i)*2*cfg.Expiry, title)))
		c.Expire(c.Clock())
		log.take(c)
	}
	// each story closed the one before; the last is live
	var want []string
	for _, id := range ids[len(ids)-1-cfg.MaxEvents : len(ids)-1] {
		want = append(want, "r"+id)
	}
	slices.Sort(want)
	var got []string
	for k := range log {
		if k[0] == 'r' {
			got = append(got, k)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("floors in the log %v, want the last %d closed %v", got, cfg.MaxEvents, want)
	}
	if c.floors.len() != cfg.MaxEvents {
		t.Errorf("%d floors in memory, want %d", c.floors.len(), cfg.MaxEvents)
	}
}

// TestAMergedEventLeavesItsFloor: an event folded into another leaves its
// id's floor at its final revision, in memory and in the log, as an
// expired one does.
func TestAMergedEventLeavesItsFloor(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 0 // two events apart until the test folds one into the other
	c := New(cfg, nil)
	c.TrackChanges(true)
	log := changelog{}
	into := c.Assign(ecbStory("s_ecb", 0, 1))
	from := c.Assign(publishedStory("s_storm", time.Minute, "Storm floods coastal towns"))
	c.Current(from) // a published state: revision 1
	c.mu.Lock()
	c.merge(c.events[into], c.events[from])
	c.mu.Unlock()
	var final *record.Event
	for _, ev := range c.Expire(c.Clock()) {
		if ev.ID == from {
			final = ev
		}
	}
	log.take(c)
	if final == nil || final.MergedInto != into {
		t.Fatalf("Expire handed out %+v for %s, want its end merged into %s", final, from, into)
	}
	if f, ok := c.floors.get(from); !ok || f.rev != final.Revision {
		t.Errorf("the floor of %s is %+v (held %v), want revision %d", from, f, ok, final.Revision)
	}
	restored := log.restore(t)
	if f, ok := restored.floors.get(from); !ok || f.rev != final.Revision {
		t.Errorf("after a restore the floor of %s is %+v (held %v), want revision %d", from, f, ok, final.Revision)
	}
}
