package spikes

import (
	"log/slog"
	"math"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// boundRestoredClock cuts the restored next bucket, when it lies far past
// the buckets the state's remembered stories were counted in
// (state.RestoredTimes over those buckets, one time a story: a story is
// counted under its id and its fingerprint, two records of one bucket,
// so one story of 2100 is one time and up to a few such stories cannot
// move the reference, while a bucket's worth of stories after a long
// stop are that many times, not outliers), and keeps first and pruned at
// or before it, as a live detector does. The buckets only move forward:
// next restored in 2100 counted every story "late" into that bucket and
// closed none, so no term alerted until real time caught up; pruned in
// 2100 never pruned the stories remembered. The host's clock plays no
// part (a test's synctest bubble starts in 2000 with stories of 2026).
// Called by Restored with d.mu held, before the open buckets are rebuilt.
func (d *Detector) boundRestoredClock() {
	// No limit until the state's own times give one: a detector not
	// started (a log without its clock entry) has none, and its zero
	// value, bucket 0, left every observation out.
	d.restoreLimit = math.MaxInt64
	if !d.started {
		return
	}
	var times state.RestoredTimes
	top, rest := latestBuckets(d.seen)
	for _, b := range top.buckets[:top.n] {
		times.AddN(d.bucketStart(b.at).UnixNano(), (b.records+1)/2)
	}
	if rest.records > 0 {
		times.AddN(d.bucketStart(rest.at).UnixNano(), (rest.records+1)/2)
	}
	// bound is b, or the bucket it is cut to.
	bound := func(b int64) (int64, bool) {
		at, cut := times.Bound(d.bucketStart(b).UnixNano())
		if !cut {
			return b, false
		}
		return d.bucketOf(time.Unix(0, at)), true
	}
	was := d.next
	next, cut := bound(d.next)
	if cut {
		d.next = next
		d.first, d.pruned = min(d.first, d.next), min(d.pruned, d.next)
	}
	// The rest of what a bucket dates: a baseline last fired in 2100
	// never passed its cooldown again (now − then < 0), one last folded
	// then folded nothing; a story counted then was never pruned. The
	// open buckets and observations past the bound are left out by
	// Restored (limit).
	cuts := 0
	for n := range d.terms.rows {
		if b, c := bound(d.terms.rows[n].updated); c {
			d.terms.rows[n].updated, cuts = b, cuts+1
		}
	}
	for k, f := range d.terms.fired {
		if b, c := bound(f.at); c {
			f.at = b
			d.terms.fired[k], cuts = f, cuts+1
		}
	}
	for k, at := range d.evictedFired {
		if b, c := bound(at); c {
			d.evictedFired[k], cuts = b, cuts+1
		}
	}
	for k, at := range d.seen {
		if b, c := bound(at); c {
			d.seen[k], cuts = b, cuts+1
		}
	}
	if ref, ok := times.Reference(); ok && ref <= math.MaxInt64-int64(state.RestoredTimeSlack) {
		d.restoreLimit = d.bucketOf(time.Unix(0, ref+int64(state.RestoredTimeSlack)))
	}
	if !cut && cuts == 0 {
		return
	}
	ref, _ := times.Reference()
	log := d.restoreLog
	if log == nil {
		log = slog.Default()
	}
	log.Error("state restore: the spike clock or times lie far past the state's own story times, cut to them",
		"owner", "spikes", "next_bucket", d.bucketStart(was), "cut_to", d.bucketStart(d.next), "times", cuts,
		"reference", time.Unix(0, ref).UTC(), "slack", state.RestoredTimeSlack)
}

// SetLog sets the logger a restore says on what it cut (the daemon's,
// with its component, as dedupe's SetLog); nil, or without a call, the
// default logger. Call it before the restore.
func (d *Detector) SetLog(l *slog.Logger) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.restoreLog = l
}

// bucketRecords is a bucket and how many remembered stories' records were
// counted in it.
type bucketRecords struct {
	at      int64
	records int
}

// topBuckets are the latest distinct buckets, latest first: enough to
// fill state.RestoredTimes' latest times, one story each.
type topBuckets struct {
	buckets [8]bucketRecords
	n       int
}

// latestBuckets counts the records of the latest distinct buckets seen
// holds, and the rest's in one, at the latest bucket among them: one pass,
// no allocation (a map of every bucket was a hash a remembered story). A
// bucket pushed out of top is below every bucket in it, so none of its
// records comes back to top.
func latestBuckets(seen map[uint64]int64) (top topBuckets, rest bucketRecords) {
	toRest := func(b bucketRecords) {
		if rest.records == 0 || b.at > rest.at {
			rest.at = b.at
		}
		rest.records += b.records
	}
	for _, b := range seen {
		i := top.n
		for i > 0 && top.buckets[i-1].at < b {
			i--
		}
		switch {
		case i > 0 && top.buckets[i-1].at == b:
			top.buckets[i-1].records++
		case i == len(top.buckets):
			toRest(bucketRecords{at: b, records: 1})
		default:
			if top.n == len(top.buckets) {
				toRest(top.buckets[top.n-1])
				top.n--
			}
			copy(top.buckets[i+1:top.n+1], top.buckets[i:top.n])
			top.buckets[i] = bucketRecords{at: b, records: 1}
			top.n++
		}
	}
	return top, rest
}
