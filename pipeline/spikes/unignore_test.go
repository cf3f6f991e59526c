package spikes

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// portDay plays hours of ordinary news in which six stories a bucket, from six publishers,
// carry the keyword "port": an ordinary rate, past min_stories and min_publishers, no burst.
// With burstAt >= 0, the bucket burstAt buckets in holds sixty such stories instead. It
// returns the port firings.
func portDay(f *feed, hours, burstAt int, rng *rand.Rand) []*record.Alert {
	return portHours(f, hours, func() int { return 6 }, burstAt, 60, rng)
}

// portHours plays hours of news in which perBucket() stories a bucket, from six publishers,
// carry the keyword "port", and one other story "economy"; with burstAt >= 0 the bucket
// burstAt buckets in holds burst port stories instead. It returns the port firings.
func portHours(f *feed, hours int, perBucket func() int, burstAt, burst int, rng *rand.Rand) []*record.Alert {
	pubs := []string{"Reuters", "AP", "BBC", "Guardian", "NYT", "DW"}
	for b := range hours * 12 {
		n := perBucket()
		if b == burstAt {
			n = burst
		}
		for i := range n {
			f.add(f.story(pubs[i%len(pubs)], "port"))
		}
		f.observe(pubs[rng.IntN(len(pubs))], "economy")
		f.tick()
	}
	return takeFirings(f, "port")
}

// A term on the ignore list is not counted, so its baseline learns nothing while it is
// there. Taken off the list by a config edit, it was judged from the restart on against that
// empty baseline: an ordinary hour of it fired at once. The detector's choice: such a term
// learns its baseline from the restart on and fires no sooner than warmup after it, as a
// word added to the watch list does (counting ignored terms instead would spend the bucket
// cap on what the operator asked not to count). On the same ordinary news, no alert; on a
// burst after the warm-up, one. A restart in the middle of the learning carries it on.
func TestATermTakenOffTheIgnoreListLearnsItsBaselineBeforeItFires(t *testing.T) {
	for _, restartMidway := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Ignore = []string{"Port"} // either case
		f := newFeed(cfg)
		f.d.TrackChanges(true)
		rng := rand.New(rand.NewPCG(36, 1))
		if as := portDay(f, 3, -1, rng); len(as) != 0 {
			t.Fatalf("ignored, port alerted: %v", said(as))
		}
		cfg.Ignore = nil
		f.d = restartWith(t, f, cfg)
		as := portDay(f, 1, 4, rng) // within the warm-up: not judged yet
		if restartMidway {
			f.d = restartWith(t, f, cfg)
		}
		as = append(as, portDay(f, 2, -1, rng)...)
		if len(as) != 0 {
			t.Errorf("restart midway %v: taken off the ignore list, the ordinary port stories alerted: %v", restartMidway, said(as))
		}
		if as := portDay(f, 1, 6, rng); len(as) != 1 {
			t.Errorf("restart midway %v: a burst of port after the warm-up: alerts %v, want one firing", restartMidway, said(as))
		}
	}
}

// The ignore record keeps an entry taken off the list with the bucket its term learns
// from, so that the term's baseline is bias-corrected from there (countedFrom). It kept it
// for ever: every bucket close then looked every term up in it, lower-casing its key and
// name. Once the term has learned for its warm-up and for ten half-lives of the baseline —
// when counting from the detector's start weighs its baseline within a thousandth of
// counting from the relearning (1-2^-10) — the entry leaves the record, in memory and, as
// a tombstone, in the state log; a restart keeps it gone.
func TestTheIgnoreRecordDropsATermOnceItsRelearningNoLongerMatters(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BaselineHalfLife = time.Hour // ten half-lives: ten hours
	cfg.Ignore = []string{"Port"}
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	rng := rand.New(rand.NewPCG(37, 1))
	portDay(f, 2, -1, rng)
	cfg.Ignore = nil
	f.d = restartWith(t, f, cfg)
	f.d.TrackChanges(true)
	recorded := func(d *Detector) bool {
		var log []state.Entry
		if err := d.Snapshot(func(e state.Entry) error { log = append(log, cloneEntry(e)); return nil }); err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(log, func(e state.Entry) bool { return string(e.Key) == "t"+ignoreKey("port") })
	}
	portDay(f, 9, -1, rng)
	if !recorded(f.d) {
		t.Fatal("relearning for 9 hours, port is no longer in the ignore record")
	}
	// the log a restart replays: a snapshot holding the entry, then the changes after it
	var log []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error { log = append(log, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	f.d.Changes()
	portDay(f, 2, -1, rng)
	if recorded(f.d) {
		t.Error("11 hours after it was taken off the ignore list (half-life 1h), port is still in the ignore record")
	}
	changes := f.d.Changes()
	if !slices.ContainsFunc(changes, func(e state.Entry) bool { return string(e.Key) == "t"+ignoreKey("port") && e.Value == nil }) {
		t.Error("the state log was not told that port left the ignore record")
	}
	if d := restartWith(t, f, cfg); recorded(d) || d.relearns {
		t.Errorf("after a restart from a snapshot, port is back in the ignore record (relearns %v)", d.relearns)
	}
	f.d = restoreFromLog(t, cfg, append(log, changes...))
	if _, ok := f.d.ignoreSince["port"]; ok || f.d.relearns {
		t.Errorf("after a restart replaying the tombstone over the entry, port is back in the ignore record (relearns %v)", f.d.relearns)
	}
	if as := portDay(f, 1, 4, rng); len(as) != 1 {
		t.Errorf("a burst of port after its entry left the record: alerts %v, want one firing", said(as))
	}
}
