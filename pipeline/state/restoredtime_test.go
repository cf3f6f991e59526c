package state

import (
	"testing"
	"time"
)

// The reference is the second-latest time, so one record far in the
// future cannot move it; what lies past it by more than the slack is cut
// to the latest time within it, and with nothing added nothing is cut.
func TestRestoredTimesBoundOneOutlierByTheRest(t *testing.T) {
	day := int64(24 * time.Hour)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var none RestoredTimes
	if got, cut := none.Bound(far); got != far || cut {
		t.Errorf("nothing added: Bound(2100) = %d, %v, want it kept", got, cut)
	}
	var one RestoredTimes
	one.Add(at)
	if got, cut := one.Bound(far); got != at || !cut {
		t.Errorf("one time added: Bound(2100) = %d, %v, want it cut to that time", got, cut)
	}
	var r RestoredTimes
	for _, x := range []int64{at, at - day, far, at - 2*day} {
		r.Add(x)
	}
	if ref, ok := r.Reference(); ref != at || !ok {
		t.Errorf("reference %d %v, want the second latest %d", ref, ok, at)
	}
	for _, c := range []struct {
		t, want int64
		cut     bool
	}{{far, at, true}, {at + 5*day, at + 5*day, false}, {at - 100*day, at - 100*day, false}} {
		if got, cut := r.Bound(c.t); got != c.want || cut != c.cut {
			t.Errorf("Bound(%d) = %d, %v, want %d, %v", c.t, got, cut, c.want, c.cut)
		}
	}
	// a time just past the slack, with the latest no outlier: cut to the latest
	var near RestoredTimes
	near.Add(at)
	near.Add(at + 3*day)
	if got, cut := near.Bound(at + 9*day); got != at+3*day || !cut {
		t.Errorf("Bound(9 days past) = %d, %v, want the latest %d", got, cut, at+3*day)
	}
	// one record written twice counts once with AddDistinct
	var d RestoredTimes
	for _, x := range []int64{at, far, far} {
		d.AddDistinct(x)
	}
	if got, _ := d.Bound(far); got != at {
		t.Errorf("AddDistinct: Bound(2100) = %d, want %d", got, at)
	}
}
