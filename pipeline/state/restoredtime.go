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
// record (an event, a signature, a floor), and keeps the latest few. Its
// Reference is the latest time below the far-future records, so that a
// few records far in the future cannot move it: the second latest when
// one lies past a gap wider than RestoredTimeSlack; with several (a
// foreign writer's, a damaged segment's, where the second latest is
// hostile too), the time below the lowest such gap under which at most
// maxRestoredOutliers times lie above it, and no more than lie below.
// Past that it cannot be told from real stories after a long stop, and
// the second latest is the reference, as for one. The zero value holds
// none.
type RestoredTimes struct {
	top [maxRestoredOutliers + 1]int64 // the latest times added, latest first (unix ns)
	n   int
}

// Add counts one record's time (unix ns).
func (r *RestoredTimes) Add(t int64) {
	k := min(r.n, len(r.top))
	i := k
	for i > 0 && r.top[i-1] < t {
		i--
	}
	if i < len(r.top) {
		copy(r.top[i+1:min(k+1, len(r.top))], r.top[i:k])
		r.top[i] = t
	}
	r.n++
}

// AddN counts n records of one time (unix ns): for records counted by
// what they share (spikes' stories by the bucket they were counted in).
func (r *RestoredTimes) AddN(t int64, n int) {
	for range min(n, len(r.top)) {
		r.Add(t)
	}
	r.n += max(n-len(r.top), 0)
}

// Reference is the time the restored times are bounded by (see
// RestoredTimes; the only one, when one was added); ok is false when none
// was.
func (r *RestoredTimes) Reference() (ref int64, ok bool) {
	k := min(r.n, len(r.top))
	switch k {
	case 0:
		return 0, false
	case 1:
		return r.top[0], true
	}
	// j times above a gap wider than the slack, the lowest such gap
	// within reach: at most maxRestoredOutliers above it, no more than
	// below it (j = 1 is round 41's rule, any n ≥ 2).
	for j := min(k-1, maxRestoredOutliers); j > 1; j-- {
		if j <= r.n-j && r.top[j-1]-r.top[j] > int64(RestoredTimeSlack) {
			return r.top[j], true
		}
	}
	return r.top[1], true
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
	for _, x := range r.top[:min(r.n, len(r.top))] {
		if x <= limit {
			return x, true
		}
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
// the times below them (RestoredTimes.Reference). More cannot be told
// from the stories of a restart after a long stop by count alone.
const maxRestoredOutliers = 4
