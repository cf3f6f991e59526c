package events

import (
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
)

// An event's six times are instants (8 bytes each, not time.Time's 24):
// the struct fits the allocator's 576-byte size class, where it took
// 640 (BENCHMARKS.md, round 43: evmem43).
func TestAnEventFitsA576ByteBlock(t *testing.T) {
	if n := unsafe.Sizeof(event{}); n > 576 {
		t.Errorf("an event is %d bytes, want at most 576 (the size class under 640)", n)
	}
}

// The times an event publishes are those its stories gave, the zero
// time included: a story with no publication time and one never seen
// by a poller.
func TestAnEventPublishesTheTimesItsStoriesGave(t *testing.T) {
	seen := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
	for name, tc := range map[string]struct {
		first, second            *record.Story
		firstSeen, lastSeen      time.Time
		firstPublished, lastPubd time.Time
	}{
		"published and seen": {
			first:     &record.Story{ID: "a", Title: "Quake hits Lima", Published: seen.Add(-time.Hour), FirstSeen: seen},
			second:    &record.Story{ID: "b", Title: "Quake hits Lima", Published: seen.Add(-2 * time.Hour), FirstSeen: seen.Add(time.Minute)},
			firstSeen: seen, lastSeen: seen.Add(time.Minute), firstPublished: seen.Add(-2 * time.Hour), lastPubd: seen.Add(-time.Hour),
		},
		"never seen by a poller": {
			first:          &record.Story{ID: "a", Title: "Quake hits Lima", Published: seen},
			second:         &record.Story{ID: "b", Title: "Quake hits Lima", Published: seen.Add(time.Nanosecond)},
			firstPublished: seen, lastPubd: seen.Add(time.Nanosecond),
		},
		"no time at all": {
			first:  &record.Story{ID: "a", Title: "Quake hits Lima"},
			second: &record.Story{ID: "b", Title: "Quake hits Lima"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := New(DefaultConfig(), nil)
			c.AddStory(tc.first)
			ev := c.AddStory(tc.second)
			if ev.StoryCount != 2 {
				t.Fatalf("the second story founded its own event; want one event of two")
			}
			for what, got := range map[string][2]time.Time{
				"first seen": {ev.FirstSeen, tc.firstSeen}, "last seen": {ev.LastSeen, tc.lastSeen},
				"first published": {ev.FirstPublished, tc.firstPublished}, "last published": {ev.LastPublished, tc.lastPubd},
			} {
				if got[0] != got[1] { // == : the same instant, location and no monotonic reading
					t.Errorf("%s %v, want %v", what, got[0], got[1])
				}
			}
		})
	}
}

// A live event gives its times in UTC, as a restored one always did (the
// state log holds Unix nanoseconds): a story time given in another zone
// is the same instant. The pipeline's story times are UTC already
// (normalize, dedupe), so its records do not change.
func TestALiveEventsTimesAreWhatARestoreGives(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, paris)
	c := New(DefaultConfig(), nil)
	ev := c.AddStory(&record.Story{ID: "a", Title: "Quake hits Lima", Published: at, FirstSeen: at.Add(time.Minute)})
	restored := restoredFromSnapshot(t, c, DefaultConfig()).Current(ev.ID)
	for what, got := range map[string][2]time.Time{
		"first seen": {ev.FirstSeen, restored.FirstSeen}, "first published": {ev.FirstPublished, restored.FirstPublished},
	} {
		if got[0] != got[1] || !got[0].Equal(at) && !got[0].Equal(at.Add(time.Minute)) {
			t.Errorf("%s: live %v, restored %v; want the same instant in UTC", what, got[0], got[1])
		}
	}
}
