package state

import (
	"math"
	"time"
)

// A stage's clock only moves forward, and it is restored from the log: a
// clock entry far in the future — a damaged record, a foreign or buggy
// writer's story dated 2100 — would close every event and put every
// dedupe signature outside its window until real time caught up. The
// reference a restore bounds it by is the restored state's own story
// times, never the host's clock: a test's synctest bubble starts in
// 2000 while its stories are dated 2026, and a host's clock may lag its
// feeds' (round 40's wall-clock bound cut good state in both).

// RestoredTimeSlack is how far past its state's reference
// (RestoredTimes.Reference) a restored clock or story time may lie and be
// kept. One story's time may lead the rest by normalize's future_skew (at
// most 168 h past its fetch); a day more leaves room for a writer's
// clock that ran ahead.
const RestoredTimeSlack = 8 * 24 * time.Hour

// RestoredTimes gathers the story times a restored state holds, one per
// record (an event, a signature, a floor), and keeps the two latest. Its
// Reference is the second latest, so that one record far in the future
// cannot move it. The zero value holds none.
type RestoredTimes struct {
	latest, second int64 // unix ns
	n              int
}

// Add counts one record's time (unix ns).
func (r *RestoredTimes) Add(t int64) {
	switch {
	case r.n == 0:
		r.latest = t
	case t > r.latest:
		r.second, r.latest = r.latest, t
	case r.n == 1 || t > r.second:
		r.second = t
	}
	r.n++
}

// AddDistinct is Add, but a time already among the two latest is not
// counted again: for records that several share one time of (a story's
// id and fingerprint, counted in one spike bucket), so that one story
// far in the future is one time however many records it wrote.
func (r *RestoredTimes) AddDistinct(t int64) {
	if r.n > 0 && t == r.latest || r.n > 1 && t == r.second {
		return
	}
	r.Add(t)
}

// Reference is the second-latest time added (the only one, when one was
// added); ok is false when none was.
func (r *RestoredTimes) Reference() (ref int64, ok bool) {
	switch r.n {
	case 0:
		return 0, false
	case 1:
		return r.latest, true
	}
	return r.second, true
}

// Bound returns t, or what it is cut to when it lies more than
// RestoredTimeSlack past the reference: the latest time added that lies
// within that (the latest, when it is no outlier itself; else the
// reference). Cut to a time the state holds, not to reference + slack:
// a clock at the bound would still close every event for days. With no
// time added, t is kept: there is nothing to tell an outlier by.
func (r *RestoredTimes) Bound(t int64) (int64, bool) {
	ref, ok := r.Reference()
	if !ok || ref > math.MaxInt64-int64(RestoredTimeSlack) {
		return t, false
	}
	limit := ref + int64(RestoredTimeSlack)
	if t <= limit {
		return t, false
	}
	if r.latest <= limit {
		return r.latest, true
	}
	return ref, true
}

// BoundTime is Bound of a time.Time; the zero time is kept.
func (r *RestoredTimes) BoundTime(t time.Time) (time.Time, bool) {
	if t.IsZero() {
		return t, false
	}
	b, cut := r.Bound(t.UnixNano())
	if !cut {
		return t, false
	}
	return time.Unix(0, b).UTC(), true
}

// maxRestoredOutliers is the most far-future records a restore bounds by
// the times below them (RestoredTimes.Reference).
const maxRestoredOutliers = 4
