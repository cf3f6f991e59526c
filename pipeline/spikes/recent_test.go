package spikes

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Recent shows the alerts given out, newest first, as copies: the status
// page reads them while the detector goes on.
func TestRecentShowsTheLatestAlertsNewestFirst(t *testing.T) {
	f := newFeed(DefaultConfig())
	if got := f.d.Recent(10); len(got) != 0 {
		t.Fatalf("Recent before any alert = %v", got)
	}
	f.steady(6, rand.New(rand.NewPCG(1, 2)))
	burst(f, 12, 6, "person:zelensky", "summit")
	for range 8 { // the burst subsides: cleared alerts follow
		f.tick()
	}
	if len(f.alerts) < 3 {
		t.Fatalf("the play gave %d alerts, want firing and cleared ones", len(f.alerts))
	}
	got := f.d.Recent(0)
	if len(got) != len(f.alerts) {
		t.Fatalf("Recent(0) = %d alerts, want all %d", len(got), len(f.alerts))
	}
	for i, a := range got {
		if want := f.alerts[len(f.alerts)-1-i]; a.ID != want.ID {
			t.Errorf("Recent()[%d] = %s, want %s (newest first)", i, a.ID, want.ID)
		}
	}
	if two := f.d.Recent(2); len(two) != 2 || two[0].ID != got[0].ID {
		t.Errorf("Recent(2) = %v", ids2(two))
	}
	got[len(got)-1].SampleStories[0] = "changed"
	if f.d.Recent(0)[len(got)-1].SampleStories[0] == "changed" {
		t.Error("Recent shares its alerts' slices with the detector")
	}
}

func ids2(as []record.Alert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}
