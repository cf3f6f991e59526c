package spikes

import (
	"testing"
	"time"
)

// The state log hears of a maintenance tick only when it moved something:
// the pipeline ticks every maintenance_interval, mostly inside one bucket.
func TestATickThatMovesNothingChangesNoState(t *testing.T) {
	d := New(DefaultConfig(), nil)
	d.TrackChanges(true)
	for _, step := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"the first tick starts the detector", t0, true},
		{"a tick later in the same bucket moves nothing", t0.Add(time.Minute), false},
		{"a tick again at the same time moves nothing", t0.Add(time.Minute), false},
		{"a tick in the next bucket moves the next bucket to close", t0.Add(d.cfg.Bucket), true},
	} {
		d.Advance(step.at)
		if got := len(d.Changes()) > 0; got != step.want {
			t.Errorf("%s: changes %t, want %t", step.name, got, step.want)
		}
	}
}
