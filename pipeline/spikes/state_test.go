package spikes

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
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

// A rewind resets the detector and then loads the log; a log with nothing
// for the detector calls no Restored, so Reset itself must leave the
// terms gauge true.
func TestResetEmptiesTheTermsGauge(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	f := &feed{d: New(DefaultConfig(), m), now: t0}
	f.observe("AP", "quake", "coast")
	f.observe("BBC", "quake", "toll")
	f.tick()
	if testutil.ToFloat64(m.terms) == 0 {
		t.Fatal("no term counted before the reset")
	}
	f.d.Reset()
	if n, g := f.d.Terms(), testutil.ToFloat64(m.terms); n != 0 || g != 0 {
		t.Fatalf("after Reset: %d terms, gauge %v; want 0 and 0", n, g)
	}
}
