package events

import (
	"testing"
	"time"
)

// An Expire that closes nothing still moves the event clock, on which
// open() decides whether an event takes stories (an idle event behind a
// live one in the recency list is closed to stories by the clock alone
// until its turn to close comes). The log must hold the clock, or a
// restart would run on an older one and take into such an event a late
// story the run before it kept out.
func TestAnExpireThatClosesNothingLeavesItsClockInTheLog(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	assignMorning(c)
	log := c.Changes()
	later := c.Clock().Add(time.Hour)
	if closed := c.Expire(later); len(closed) != 0 {
		t.Fatalf("an hour on, %d events closed, want none", len(closed))
	}
	log = append(log, c.Changes()...)

	r := New(DefaultConfig(), nil)
	for _, e := range log {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if got := r.Clock(); !got.Equal(later) {
		t.Errorf("restored clock %v, the run's %v", got, later)
	}
}

// assignMorning assigns the hand stream's morning, before anything
// expires.
func assignMorning(c *Clusterer) {
	for _, st := range handStream()[:8] {
		switch {
		case st.s != nil:
			c.Assign(st.s)
		case st.d != nil:
			c.AssignDuplicate(st.d)
		}
	}
}
