package spikes

import (
	"log/slog"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// boundRestoredClock cuts the restored next bucket, when it lies far past
// the buckets the state's remembered stories were counted in
// (state.RestoredTimes over their distinct buckets: the second latest, so
// one story of 2100, counted under its id and its fingerprint, cannot
// move it; the latest bucket is the reference when it holds more than
// one story's two records), and keeps first and pruned at or before it, as a live
// detector does. The buckets only move forward: next restored in 2100
// counted every story "late" into that bucket and closed none, so no
// term alerted until real time caught up; pruned in 2100 never pruned
// the stories remembered. The host's clock plays no part (a test's
// synctest bubble starts in 2000 with stories of 2026). Called by
// Restored with d.mu held, before the open buckets are rebuilt.
func (d *Detector) boundRestoredClock() {
	if !d.started {
		return
	}
	var times state.RestoredTimes
	latest, inLatest := int64(0), 0
	for _, b := range d.seen {
		times.AddDistinct(d.bucketStart(b).UnixNano())
		switch {
		case inLatest == 0 || b > latest:
			latest, inLatest = b, 1
		case b == latest:
			inLatest++
		}
	}
	// One story writes two records (its id, its fingerprint) of one
	// bucket; more in the latest bucket are several stories — a restart
	// after a gap longer than the slack, a bucket's worth counted — and
	// are the reference themselves, not one outlier.
	if inLatest > 2 {
		times.Add(d.bucketStart(latest).UnixNano())
	}
	at, cut := times.Bound(d.bucketStart(d.next).UnixNano())
	if !cut {
		return
	}
	ref, _ := times.Reference()
	was := d.next
	d.next = d.bucketOf(time.Unix(0, at))
	d.first, d.pruned = min(d.first, d.next), min(d.pruned, d.next)
	slog.Error("state restore: the spike clock lies far past the state's own story times, cut to them",
		"owner", "spikes", "next_bucket", d.bucketStart(was), "cut_to", d.bucketStart(d.next),
		"reference", time.Unix(0, ref).UTC(), "slack", state.RestoredTimeSlack)
}
