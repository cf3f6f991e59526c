package events

import (
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestRefoundedIDOutranksItsOldEventsEnd covers an event id founded again
// by its founding story (a revision of it, published later) in the batch
// that also hands out the final, expired state of the old event of that
// id. A batch's records are its events' states (Current) and the closed
// events (Expire); ranked by revision, as the README promises the topic
// is, the id's newest record must be the live event the clusterer holds,
// not the old event's end.
func TestRefoundedIDOutranksItsOldEventsEnd(t *testing.T) {
	ecb := func(at time.Duration, version int) *record.Story {
		s := story("s_ecb", "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate at four percent.", "organization:ecb")
		s.Published, s.Version = t0.Add(at), version
		return s
	}
	other := func(id string, at time.Duration, title string) *record.Story {
		s := story(id, "gazette", at, title, "")
		s.Published = t0.Add(at)
		return s
	}
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
