package dedupe

import (
	"log/slog"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// boundRestoredTimes cuts the restored window clock, each restored
// signature's time and each remembered story's and copy's first- and
// last-seen times, that lie far past the signature times the restored
// state itself holds (state.RestoredTimes, one time a signature:
// the latest below the far-future ones, so a few records of 2100 cannot
// move it). The window clock
// only moves forward (Load folds every signature's time into it):
// restored in 2100 it put every signature outside the window, so no copy
// was caught until real time caught up. The host's clock plays no part
// (a test's synctest bubble starts in 2000 with stories of 2026; a host
// may lag its feeds). A cut signature stays findable, at the time it is
// cut to; what is cut is logged once a restore. Called by Restored with
// d.mu held: a pass over the signatures' times, one over the stories',
// no allocation.
func (d *Deduper) boundRestoredTimes() {
	x := d.idx
	var times state.RestoredTimes
	for s := range x.slots() {
		if x.key(uint32(s)) != 0 {
			times.Add(x.firstOf(uint32(s)))
		}
	}
	cuts, latest := 0, int64(0)
	bound := func(t *int64) {
		if b, cut := times.Bound(*t); cut {
			latest = max(latest, *t)
			*t = b
			cuts++
		}
	}
	bound(&d.clock)
	bound(&d.logged)
	for s := range x.slots() {
		if x.key(uint32(s)) != 0 {
			bound(x.first.at(s))
		}
	}
	// The remembered stories' and copies' first- and last-seen times: a
	// story last seen in 2100 never expired (prune expires by last seen)
	// and was the last an eviction by count took; a revision of one first
	// seen in 2100 published that time. Last seen is kept in seconds.
	boundSeconds := func(t *uint32) {
		ns := int64(*t) * int64(time.Second)
		if b, cut := times.Bound(ns); cut {
			latest = max(latest, ns)
			*t = uint32(b / int64(time.Second))
			cuts++
		}
	}
	m := d.mem
	for i := range m.stories.len() {
		if r := m.rec(uint32(i)); r.live() {
			bound(&r.first)
			boundSeconds(&r.last)
		}
	}
	for i := range m.copies {
		if r := &m.copies[i]; r.key != 0 {
			bound(&r.first)
			boundSeconds(&r.last)
		}
	}
	if cuts > 0 {
		ref, _ := times.Reference()
		// On the deduper's own log (SetLog), beside the restore's other
		// lines; without one on the default logger: a cut is an error.
		log := d.notes.log
		if log == nil {
			log = slog.Default()
		}
		log.Error("state restore: times far past the state's own story times, cut to them",
			"owner", "dedupe", "times", cuts, "latest_cut", time.Unix(0, latest).UTC(), "reference", time.Unix(0, ref).UTC(), "slack", state.RestoredTimeSlack)
	}
}
