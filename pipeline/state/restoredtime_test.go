package state

import (
	"slices"
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
	// AddN counts n records of one time: many past a gap are kept
	var d RestoredTimes
	d.AddN(at, 40)
	d.AddN(far, 2)
	if got, _ := d.Bound(far); got != at {
		t.Errorf("AddN: two of 2100 among 40: Bound(2100) = %d, want %d", got, at)
	}
	d.AddN(far, 40)
	if got, cut := d.Bound(far); got != far || cut {
		t.Errorf("AddN: 42 of 2100 among 40: Bound(2100) = %d, %v, want it kept", got, cut)
	}
}

// Several records far in the future (a foreign writer's, a damaged
// segment's) make the second latest hostile too: read as round 41 wrote
// it, the reference was then 2100 and nothing was cut. Up to
// maxRestoredOutliers of them, lying past a gap wider than the slack and
// no more than the times below it, are bounded by the times below.
func TestRestoredTimesBoundSeveralOutliersByTheRest(t *testing.T) {
	day := int64(24 * time.Hour)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	y2200 := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	real := []int64{at - 3*day, at - day, at, at - 2*day, at - 4*day}
	for _, c := range []struct {
		name    string
		hostile []int64
	}{
		{"two of 2100", []int64{y2100, y2100}},
		{"2100 and 2200", []int64{y2200, y2100}},
		{"four, two years apart", []int64{y2100, y2200, y2100 + 3*day, y2200 - 300*day}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, order := range []string{"hostile last", "hostile first"} {
				var r RestoredTimes
				xs := append(slices.Clone(real), c.hostile...)
				if order == "hostile first" {
					xs = append(slices.Clone(c.hostile), real...)
				}
				for _, x := range xs {
					r.Add(x)
				}
				if ref, _ := r.Reference(); ref != at {
					t.Errorf("%s: reference %s, want the latest of the real times %s", order, time.Unix(0, ref).UTC(), time.Unix(0, at).UTC())
				}
				for _, h := range c.hostile {
					if got, cut := r.Bound(h); got != at || !cut {
						t.Errorf("%s: Bound(%s) = %s, %v, want it cut to %s", order, time.Unix(0, h).UTC(), time.Unix(0, got).UTC(), cut, time.Unix(0, at).UTC())
					}
				}
				if got, cut := r.Bound(at + 5*day); got != at+5*day || cut {
					t.Errorf("%s: a time 5 days ahead of the real ones cut to %d", order, got)
				}
			}
		})
	}
}

// What cannot be told from a quiet stretch followed by real stories is
// kept: more outliers than maxRestoredOutliers, or as many past the gap as
// below it or more (a restart soon after a long stop).
func TestRestoredTimesKeepAsManyPastAGapAsBelowIt(t *testing.T) {
	day := int64(24 * time.Hour)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	later := at + 30*day
	for _, c := range []struct {
		name        string
		below, past int
	}{
		{"two past, one below", 1, 2},
		{"three past, two below", 2, 3},
		{"more than the most outliers", 40, maxRestoredOutliers + 1},
	} {
		var r RestoredTimes
		for i := range c.below {
			r.Add(at - int64(i)*time.Hour.Nanoseconds())
		}
		for i := range c.past {
			r.Add(later + int64(i)*time.Hour.Nanoseconds())
		}
		if got, cut := r.Bound(later); got != later || cut {
			t.Errorf("%s: Bound(30 days on) = %s, %v, want it kept", c.name, time.Unix(0, got).UTC(), cut)
		}
	}
}
