package spikes

import (
	"math"
	"strings"
)

// What taking a term off the ignore list does.
//
// A term on spikes.ignore is not counted (Observe), so its baseline learns
// nothing while it is there. Taken off the list by a config edit, it was
// judged from the restart on against that baseline — empty, or decayed
// over the time it was ignored — and an ordinary hour of it fired at once.
// Counting ignored terms' baselines anyway would spend max_bucket_terms
// and memory on what the operator asked not to count, so a term taken off
// the list is treated as a word added to the watch list is (watchsince.go):
// it learns its baseline from the bucket the stream resumes in and fires
// no sooner than `warmup` after it. The state log records the ignore list
// ('t' entries under ignoreKey): each entry ignored now (ignoredNow), and
// each taken off since, with the bucket it is counted from. A log from
// before round 36 holds no record: its list is taken as this one.
//
// An entry taken off the list stays in the record while its start still
// weighs on its term's baseline: for the term's warm-up, and for
// relearnedHalfLives of the baseline, after which counting from the
// detector's start corrects the baseline within a thousandth of counting
// from the relearning (1-2^-10). Then it leaves the record (forgetRelearned),
// and a close no longer looks every term up in it.

// ignoredNow is an ignore record's bucket for an entry on the list now.
const ignoredNow = math.MaxInt64

// ignorePrefix begins the keys of the ignore record: a text record's
// (isTextRecord), so that it is encoded as one, and no term's key begins
// with NUL.
const ignorePrefix = textMark + "/ignore:"

func ignoreKey(entry string) string { return ignorePrefix + entry }

func isIgnoreRecord(k string) bool { return strings.HasPrefix(k, ignorePrefix) }

// recordIgnores records the ignore list: an entry new to it as ignored now;
// once a restored state is loaded, an entry the record says was ignored and
// the list no longer holds is counted from the bucket the stream resumes in
// (unignoring, then resumeIgnores).
func (d *Detector) recordIgnores() {
	clear(d.unignoring)
	for e := range d.ignore {
		if d.ignoreSince[e] != ignoredNow {
			d.ignoreSince[e] = ignoredNow
			d.log.term(ignoreKey(e))
		}
	}
	for e, since := range d.ignoreSince {
		if since == ignoredNow && !d.ignore[e] {
			d.unignoring[e] = true
		}
	}
	d.relearns = d.relearning()
}

// resumeIgnores records the entries taken off the ignore list at the
// restore as counted from the bucket open now, once the first story or
// tick after it closed the buckets the stop left behind (as
// resumeTextWatches does), and starts their terms' baselines there.
func (d *Detector) resumeIgnores() {
	if len(d.unignoring) == 0 {
		return
	}
	for e := range d.unignoring {
		d.ignoreSince[e] = d.next
		d.log.term(ignoreKey(e))
		for n := range d.terms.rows {
			if k, name := d.terms.keyName(n); strings.ToLower(k) == e || strings.ToLower(name) == e {
				d.startLearning(k, d.next)
			}
		}
	}
	clear(d.unignoring)
	d.relearns = d.relearning()
}

// unignoredSince is the bucket from which a term (key, as name) taken off
// the ignore list is counted, and true; false for a term never taken off
// it. One the restore took off, not yet resumed, counts from the bucket
// open now.
func (d *Detector) unignoredSince(key, name string) (int64, bool) {
	since, found := int64(math.MinInt64), false
	for _, e := range [2]string{strings.ToLower(key), strings.ToLower(name)} {
		if d.unignoring[e] {
			since, found = max(since, d.next), true
		} else if s, ok := d.ignoreSince[e]; ok && s != ignoredNow {
			since, found = max(since, s), true
		}
	}
	return since, found
}

// relearnedHalfLives is how many of the baseline's half-lives an entry
// taken off the ignore list stays in the record (past its warm-up too).
const relearnedHalfLives = 10

// forgetRelearned drops from the record the entries taken off the ignore
// list whose start no longer matters by bucket i: learned for warmup and
// for relearnedHalfLives. close asks it for the bucket it closes, so what
// it drops depends on the bucket, not on the steps Advance took to it.
func (d *Detector) forgetRelearned(i int64) {
	if !d.relearns {
		return
	}
	after := max(d.cfg.Warmup, relearnedHalfLives*d.cfg.BaselineHalfLife)
	for e, since := range d.ignoreSince {
		if since != ignoredNow && d.bucketStart(i).Sub(d.bucketStart(since)) >= after {
			delete(d.ignoreSince, e)
			d.log.term(ignoreKey(e))
		}
	}
	d.relearns = d.relearning()
}

// relearning says whether any term has been taken off the ignore list:
// countedFrom asks unignoredSince only then (relearns).
func (d *Detector) relearning() bool {
	if len(d.unignoring) > 0 {
		return true
	}
	for _, s := range d.ignoreSince {
		if s != ignoredNow {
			return true
		}
	}
	return false
}

// appendIgnoreRecord appends the record's entry k; false when it holds none.
func (d *Detector) appendIgnoreRecord(b []byte, k string) ([]byte, bool) {
	since, ok := d.ignoreSince[strings.TrimPrefix(k, ignorePrefix)]
	if !ok {
		return b, false
	}
	return appendEvictedFiring(b, since), true
}

// loadIgnoreRecord applies a restored entry of the record (ts nil: a tombstone).
func (d *Detector) loadIgnoreRecord(k string, ts *termState) {
	e := strings.TrimPrefix(k, ignorePrefix)
	if ts == nil {
		delete(d.ignoreSince, e)
		return
	}
	d.ignoreSince[e] = ts.firedAt
}

// ignoreRecordKeys is the record's keys, for a snapshot.
func (d *Detector) ignoreRecordKeys() []string {
	keys := make([]string, 0, len(d.ignoreSince))
	for e := range d.ignoreSince {
		keys = append(keys, ignoreKey(e))
	}
	return keys
}
