package pipeline

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
)

const heraldFeed = "https://herald.example/rss"

// heraldItem is an item of heraldFeed published pub after t0 and fetched
// a minute later.
func heraldItem(guid, title, html string, pub time.Duration) record.Item {
	it := item(heraldFeed, 0, guid, "https://herald.example/"+guid, title, html)
	p := t0.Add(pub)
	it.PublishedParsed, it.FetchedAt = &p, p.Add(time.Minute)
	return it
}

// TestRefoundedEventIsLiveOnTheTopic: when a revision of an event's
// founding story founds its id again in the batch that also closes the
// old event of that id, the last record of the id in publish order — the
// one the compacted events topic keeps — is the live event the clusterer
// holds, after the old event's expired end, and its revisions rise in
// publish order.
func TestRefoundedEventIsLiveOnTheTopic(t *testing.T) {
	expiry := events.DefaultConfig().Expiry
	at := heraldItem
	ecb := func(pub time.Duration, title string) record.Item { return at("ecb", title, texts[0], pub) }
	floods := func(guid string, pub time.Duration) record.Item {
		return at(guid, "Floods in Brazil", texts[1], pub)
	}
	phone := func(guid string, pub time.Duration) record.Item {
		return at(guid, "Samsung launch", texts[2], pub)
	}
	for _, tc := range []struct {
		name          string
		first, second []record.Item // two polls; the second founds the ECB event's id again
	}{
		{
			name:   "the old event expired earlier in the same batch",
			first:  []record.Item{ecb(0, "ECB holds rates")},
			second: []record.Item{floods("floods", expiry+time.Hour), ecb(expiry+2*time.Hour, "ECB holds rates for a fifth meeting")},
		},
		{
			name:   "the old event was still held, idle behind a live one",
			first:  []record.Item{floods("floods", 10*time.Hour), ecb(0, "ECB holds rates")},
			second: []record.Item{phone("phone", expiry+9*time.Hour), ecb(expiry+9*time.Hour, "ECB holds rates for a fifth meeting")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := &memSink{}
			p := newArchivePipeline(t, sink)
			for _, items := range [][]record.Item{tc.first, tc.second} {
				if err := p.Process(context.Background(), record.Batch{Feed: record.FeedRef{URL: heraldFeed}, Items: items}); err != nil {
					t.Fatal(err)
				}
			}
			ecbStory, last, _ := eventOrder(t, sink.recs)
			live := map[string]*record.Event{}
			for _, ev := range p.d.Events.(*events.Clusterer).Live(0) {
				live[ev.ID] = ev
			}
			refounded := false
			for id, ev := range last {
				held := live[id]
				switch {
				case held == nil && !ev.Expired:
					t.Errorf("%s: the topic keeps revision %d live; the clusterer holds no such event", id, ev.Revision)
				case held != nil && (ev.Expired || ev.Revision != held.Revision):
					t.Errorf("%s: the topic keeps revision %d (expired %v, %d stories); the clusterer holds it live at revision %d with %v",
						id, ev.Revision, ev.Expired, ev.StoryCount, held.Revision, held.StoryIDs)
				}
				refounded = refounded || held != nil && len(held.StoryIDs) == 1 && held.StoryIDs[0] == ecbStory
			}
			if !refounded {
				t.Fatalf("the ECB story %q founded no live event again: live %v", ecbStory, live)
			}
		})
	}
}

// TestEventSetPublishesAnIDsRecordsByRevision: of the records a batch has
// for one event id, a state superseded by a later record of its event is
// dropped, and the ends of earlier events of the id go out before the
// newer records, in the order of their revisions.
func TestEventSetPublishesAnIDsRecordsByRevision(t *testing.T) {
	state := func(rev int) *record.Event { return &record.Event{ID: "e_1", Revision: rev} }
	end := func(rev int) *record.Event { return &record.Event{ID: "e_1", Revision: rev, Expired: true} }
	for _, tc := range []struct {
		name  string
		state *record.Event   // Current after the batch's stories (nil: closed)
		ended []*record.Event // Expire's, in its order
		want  []int           // revisions published, in order
	}{
		{name: "an event that closed in the batch publishes its end alone", state: state(3), ended: []*record.Event{end(4)}, want: []int{4}},
		{name: "an event that goes on publishes its state", state: state(3), want: []int{3}},
		{name: "an id founded again publishes the old event's end, then the new state", state: state(5), ended: []*record.Event{end(4)}, want: []int{4, 5}},
		{name: "an id founded again and closed again publishes both ends", ended: []*record.Event{end(4), end(6)}, want: []int{4, 6}},
		{name: "ends handed out out of order still go out by revision", state: state(7), ended: []*record.Event{end(6), end(4)}, want: []int{4, 6, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newEventSet()
			s.touch("e_1")
			if tc.state != nil {
				s.byID["e_1"] = []*record.Event{tc.state}
			}
			for _, ev := range tc.ended {
				s.add(ev)
			}
			var got []int
			for _, r := range s.records() {
				got = append(got, r.(*record.Event).Revision)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("published revisions %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRefoundedEventContinuesAboveAnEndPublishedBefore: when the old
// event's expired end went out in an earlier batch than the one in which
// a revision of its founding story founds the id again — in the same run
// or after a restart from the state log between the two — the new event
// continues above that end: the id's revisions rise in publish order, so
// no record-id is published twice, and the id's last record is the live
// event.
func TestRefoundedEventContinuesAboveAnEndPublishedBefore(t *testing.T) {
	expiry := events.DefaultConfig().Expiry
	at := heraldItem
	polls := [][]record.Item{
		{at("ecb", "ECB holds rates", texts[0], 0)},
		{at("floods", "Floods in Brazil", texts[1], expiry+time.Hour)}, // closes the ECB event: its end goes out here
		{at("ecb", "ECB holds rates for a fifth meeting", texts[0], expiry+2*time.Hour)},
	}
	for _, restart := range []bool{false, true} {
		t.Run(fmt.Sprintf("restarted before the refounding %v", restart), func(t *testing.T) {
			dir := t.TempDir()
			sink := &memSink{}
			p := durablePipeline(t, dir, sink)
			for i, items := range polls {
				if i == len(polls)-1 && restart {
					if err := p.d.Store.Close(); err != nil {
						t.Fatal(err)
					}
					p = durablePipeline(t, dir, sink)
				}
				if err := p.Process(context.Background(), record.Batch{Feed: record.FeedRef{URL: heraldFeed}, Items: items}); err != nil {
					t.Fatal(err)
				}
			}
			ecbStory, last, published := eventOrder(t, sink.recs)
			var held *record.Event
			for _, ev := range p.d.Events.(*events.Clusterer).Live(0) {
				if slices.Contains(ev.StoryIDs, ecbStory) {
					held = ev
				}
			}
			if held == nil {
				t.Fatalf("the ECB story %q founded no live event again", ecbStory)
			}
			if got := last[held.ID]; got.Expired || got.Revision != held.Revision {
				t.Errorf("the topic keeps %s@r%d (expired %v); the clusterer holds it live at revision %d; published %v",
					held.ID, got.Revision, got.Expired, held.Revision, published[held.ID])
			}
			if n := len(published[held.ID]); n < 3 {
				t.Errorf("published %v for the ECB event's id, want its state, its end and the new event's state", published[held.ID])
			}
		})
	}
}

// eventOrder checks that each event id's revisions rise in the order recs
// were published, so no record-id (e_…@rN) goes out twice, and returns
// the id of the story with GUID "ecb", each id's last record, and each
// id's records in publish order.
func eventOrder(t *testing.T, recs []record.Record) (ecbStory string, last map[string]*record.Event, published map[string][]string) {
	t.Helper()
	last, published = map[string]*record.Event{}, map[string][]string{}
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			if r.GUID == "ecb" {
				ecbStory = r.ID
			}
		case *record.Event:
			if prev := last[r.ID]; prev != nil && r.Revision <= prev.Revision {
				t.Errorf("%s: revision %d published after revision %d", r.ID, r.Revision, prev.Revision)
			}
			last[r.ID] = r
			published[r.ID] = append(published[r.ID], fmt.Sprintf("%s@r%d expired=%v", r.ID, r.Revision, r.Expired))
		}
	}
	return ecbStory, last, published
}
