package events

import (
	"testing"
	"time"
)

// Live shows the active events biggest first, as last published: reading
// them spends no revision, so the next published state is the next one.
func TestLiveListsActiveEventsBiggestFirstWithoutChangingThem(t *testing.T) {
	c := New(DefaultConfig(), nil)
	var lastRev int
	for _, st := range handStream() {
		switch {
		case st.s != nil:
			if ev := c.AddStory(st.s); ev != nil && ev.ID == eventID("bbc-1") {
				lastRev = ev.Revision
			}
		case st.d != nil:
			c.AddDuplicate(st.d)
		}
		if st.expire > 0 {
			break // the morning only: keep its events alive
		}
	}
	live := c.Live(0)
	if len(live) != c.Active() || len(live) < 2 {
		t.Fatalf("Live(0) = %d events, Active() = %d", len(live), c.Active())
	}
	for i := 1; i < len(live); i++ {
		if live[i].StoryCount > live[i-1].StoryCount {
			t.Errorf("event %d has %d stories, more than event %d before it (%d)", i, live[i].StoryCount, i-1, live[i-1].StoryCount)
		}
	}
	top := live[0]
	if top.ID != eventID("bbc-1") || top.StoryCount != 4 || top.Revision != lastRev {
		t.Errorf("top event %s with %d stories at revision %d, want the London summit (4 stories) at its last published revision %d", top.ID, top.StoryCount, top.Revision, lastRev)
	}
	if got := c.Live(1); len(got) != 1 || got[0].ID != top.ID {
		t.Errorf("Live(1) = %v, want the top event only", got)
	}
	top.StoryIDs[0] = "changed"
	ev := c.AddStory(story("itv-1", "ITV", 55*time.Minute, "London Ukraine security summit ends with coalition plan", "Leaders at the London summit agreed on Ukraine security.", "place:GB", "place:UA"))
	if ev.ID != top.ID || ev.Revision != lastRev+1 || ev.StoryIDs[0] == "changed" {
		t.Errorf("after Live, the next state of %s is revision %d (want %d) with story ids %v", ev.ID, ev.Revision, lastRev+1, ev.StoryIDs[:1])
	}
}
