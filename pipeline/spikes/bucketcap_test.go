package spikes

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Issue 12: nothing bounded an open bucket's counts, so a stream of
// stories naming terms never seen again (a spammer's generated keywords,
// a feed of random tokens) grew the bucket without limit. Past
// max_bucket_terms the bucket drops its counts of one story, which can
// neither fire nor keep a firing term on, and counts what it dropped; a
// term that is spiking in that bucket, and a watched term whose bar one
// story meets half of, are kept, and fire as without the flood. A
// detector restored from a snapshot taken mid-flood drops the same
// counts as the one that kept running.
func TestAFloodOfUniqueTermsStaysUnderTheBucketsCapAndTheSpikeStillFires(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 1000
	cfg.Watch = []string{"port strike"}
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var stories []*record.Story
	for i := range 5000 {
		terms := make([]string, 0, 12)
		for j := range 10 {
			terms = append(terms, fmt.Sprintf("flood%06d", 10*i+j))
		}
		pub := wirePubs[i%len(wirePubs)]
		if i >= 2500 && i < 2510 { // a burst in the flood: 10 stories from 8 publishers
			terms, pub = append(terms, "quake"), wirePubs[(i-2500)%len(wirePubs)]
		}
		if i == 7 {
			terms = append(terms, "port strike") // watched: one story is half its bar of 2
		}
		stories = append(stories, f.story(pub, terms...))
	}
	var restored *Detector
	for i, s := range stories {
		if i == len(stories)/2 {
			restored = restoreOf(t, f.d, cfg)
		}
		f.add(s)
		if restored != nil {
			restored.Observe(s)
		}
	}
	if len(f.d.open) != 1 {
		t.Fatalf("%d open buckets, want the flood's one", len(f.d.open))
	}
	for _, ob := range f.d.open {
		if ob.counts.len() > cfg.MaxBucketTerms {
			t.Errorf("the open bucket holds %d counts, over max_bucket_terms %d", ob.counts.len(), cfg.MaxBucketTerms)
		}
		// A count of one story is dropped whatever its term does next:
		// the burst's first story may go, if the bucket filled before
		// its second came; none after it.
		if c := ob.counts.get("quake"); c == nil || c.stories < 9 || c.publishers() < 7 {
			t.Errorf("quake's count after the flood: %+v, want 9 or 10 stories from 7 or 8 publishers", c)
		}
		if ob.counts.get("port strike") == nil {
			t.Error("the watched term's count of one story was dropped")
		}
		dropped := testutil.ToFloat64(f.d.m.bucketDropped.WithLabelValues(droppedOneStory)) +
			testutil.ToFloat64(f.d.m.bucketDropped.WithLabelValues(droppedBucketFull))
		if want := float64(50_000 + 2 - ob.counts.len()); dropped != want {
			t.Errorf("wirestream_spikes_bucket_terms_dropped_total %v, want the %v terms the bucket does not hold", dropped, want)
		}
		for b, rb := range restored.open {
			if rb.counts.len() != ob.counts.len() {
				t.Errorf("restored mid-flood: bucket %d holds %d counts, the running detector %d", b, rb.counts.len(), ob.counts.len())
			}
			for k, c := range ob.counts.all() {
				if rc := rb.counts.get(k); rc == nil || string(encodeCount(rb, rc)) != string(encodeCount(ob, c)) {
					t.Fatalf("restored mid-flood: count of %q is %+v, the running detector's %+v", k, rc, c)
				}
			}
		}
	}
	fired := false
	for _, a := range f.tick() {
		fired = fired || a.Term == "quake" && a.State == record.AlertFiring
	}
	if !fired {
		t.Error("quake did not fire after the flood")
	}
}

// restoreOf is a fresh detector loaded from d's snapshot.
func restoreOf(t *testing.T, d *Detector, cfg Config) *Detector {
	t.Helper()
	r := New(cfg, nil)
	if err := d.Snapshot(func(e state.Entry) error { return r.Load(e) }); err != nil {
		t.Fatal(err)
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	return r
}

// restoreFromLog returns a detector of cfg restored from the log entries.
func restoreFromLog(t *testing.T, cfg Config, log []state.Entry) *Detector {
	t.Helper()
	r := New(cfg, nil)
	for _, e := range log {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	return r
}

// A bucket full of counts it keeps (each term in two stories) counts no
// new term until it closes, and says so: it does not walk its counts for
// each one.
func TestABucketFullOfCountsItKeepsCountsNoNewTerm(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 100
	f := newFeed(cfg)
	for i := range 150 {
		term := fmt.Sprintf("term%03d", i)
		f.observe("AP", term)
		f.observe("BBC", term)
	}
	for _, ob := range f.d.open {
		if ob.counts.len() != 100 || ob.counts.get("term099") == nil || ob.counts.get("term100") != nil {
			t.Errorf("the bucket holds %d counts, want the first 100 terms'", ob.counts.len())
		}
	}
	if got := testutil.ToFloat64(f.d.m.bucketFull); got != 100 {
		t.Errorf("bucket_full dropped %v, want the 50 later terms' 100 stories", got)
	}
	if got := testutil.ToFloat64(f.d.m.bucketOneStory); got != 0 {
		t.Errorf("one_story dropped %v, want 0: no count held one story", got)
	}
}

// A watched term is counted in a bucket already full of counts it keeps:
// the watch list is the user's, and short, so it cannot grow the bucket
// by much, and whether a term is watched is the configuration's, not the
// stream's, so a restart admits what the uninterrupted run admitted.
// Refused, a watched term that only began after the flood filled the
// bucket (a port strike named by three outlets) went unalerted.
func TestAWatchedTermIsCountedInAFullBucket(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 100
	cfg.Watch = []string{"port strike"}
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	for i := range 120 { // each term in two stories: counts the bucket keeps
		term := fmt.Sprintf("term%03d", i)
		f.observe("AP", term)
		f.observe("BBC", term)
	}
	for _, pub := range []string{"Reuters", "AP", "DW"} {
		f.observe(pub, "port strike")
	}
	fired := false
	for _, a := range f.tick() {
		fired = fired || a.Term == "port strike" && a.State == record.AlertFiring
	}
	if !fired {
		t.Error("the watched term did not fire in a bucket full of other terms")
	}
}

// firingInAFullBucket is an hour of one quiet term, acme firing, then a
// bucket full before acme's first story there (89 terms of two stories,
// 11 of one: too few to drop), a term of one story after it (which makes
// the bucket drop its counts of one story if acme's is one of them), and
// acme's five more stories from five outlets, enough to keep a firing
// term on; then a bucket without acme. The stories in their order, and
// ticks as stories without an id at the tick's time (play).
func firingInAFullBucket(cfg Config) []*record.Story {
	f := newFeed(cfg) // for its stories only
	var out []*record.Story
	tick := func() {
		f.now = f.now.Add(cfg.Bucket)
		out = append(out, &record.Story{Published: f.now})
	}
	add := func(pub string, terms ...string) { out = append(out, f.story(pub, terms...)) }
	for range 12 {
		add("AP", "economy")
		tick()
	}
	for i := range 8 {
		add(fmt.Sprintf("outlet-%d", i%4), "acme")
	}
	tick() // acme fires
	for i := range 89 {
		term := fmt.Sprintf("term%03d", i)
		add("AP", term)
		add("BBC", term)
	}
	for i := range 11 {
		add("AP", fmt.Sprintf("single%03d", i))
	}
	add("Reuters", "acme")
	add("DW", "late")
	for _, pub := range []string{"AP", "DW", "CNN", "BBC", "NYT"} {
		add(pub, "acme")
	}
	tick()
	add("AP", "economy")
	tick()
	tick()
	return out
}

// play has d observe a firingInAFullBucket step, or advance to a tick's
// time, and says what its alerts said.
func play(d *Detector, s *record.Story) []string {
	if s.ID == "" {
		return said(d.Advance(s.Published))
	}
	return said(d.Observe(s))
}

// A term that is firing is counted in a bucket full of counts it keeps,
// as a watched one is, and its count is kept when the bucket drops its
// counts of one story: refused, its spike cleared in the middle of the
// stories that kept it on. Letting it in reads which terms are firing,
// which no close changes while the bucket is open (a count is only ever
// made in the bucket next to close), so a detector restored from the log
// or from a snapshot, after any story, admits what the one that kept
// running admitted, and fires and clears alike.
func TestAFiringTermIsCountedInAFullBucket(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup = 0
	cfg.MaxBucketTerms = 100
	cfg.ClearAfter = cfg.Bucket // one bucket without acme's stories clears it
	steps := firingInAFullBucket(cfg)
	live := New(cfg, nil)
	live.TrackChanges(true)
	var log []state.Entry
	want := make([][]string, len(steps))
	logged := make([]int, len(steps))
	snapshots := make([]*Detector, len(steps))
	var acme *count
	for i, s := range steps {
		last := s.ID != "" && i+1 < len(steps) && steps[i+1].ID == "" && live.Firing("acme")
		want[i] = play(live, s)
		if ob := live.open[live.next]; last && ob != nil {
			if c := ob.counts.get("acme"); c != nil {
				copied := *c // the full bucket's, just before its close
				acme = &copied
			}
		}
		log = append(log, live.Changes()...)
		logged[i] = len(log)
		snapshots[i] = restoreOf(t, live, cfg)
	}
	var all []string
	for _, w := range want {
		all = append(all, w...)
	}
	if acme == nil || acme.stories != 6 || acme.publishers() != 6 {
		t.Errorf("acme's count in the full bucket: %+v, want its 6 stories from 6 outlets", acme)
	}
	firing, cleared := record.AlertID("acme", t0.Add(12*cfg.Bucket), record.AlertFiring), record.AlertID("acme", t0.Add(14*cfg.Bucket), record.AlertCleared)
	if len(all) != 2 || !strings.HasPrefix(all[0], firing+" ") || !strings.HasPrefix(all[1], cleared+" ") {
		t.Fatalf("alerts %q, want acme's firing then its clear a bucket after the full one", all)
	}
	restartsPlayAlike(t, cfg, steps, want, log, logged, snapshots, snapshotOf(t, live), 1)
}

// restartsPlayAlike restarts after every every-th step cut — a detector
// restored from the log's first logged[cut] entries, and snapshots[cut]
// — plays the steps after it on each and fails unless they say the
// alerts the running detector said (want) and end in its state (end):
// the baselines too, which a count dropped on one side and not the other
// moves with no alert to say so.
func restartsPlayAlike(t *testing.T, cfg Config, steps []*record.Story, want [][]string, log []state.Entry, logged []int, snapshots []*Detector, end []byte, every int) {
	t.Helper()
	for cut := 0; cut < len(steps); cut += every {
		fromLog := restoreFromLog(t, cfg, log[:logged[cut]])
		for name, d := range map[string]*Detector{"the log": fromLog, "a snapshot": snapshots[cut]} {
			for i := cut + 1; i < len(steps); i++ {
				if got := play(d, steps[i]); !slices.Equal(got, want[i]) {
					t.Fatalf("restored from %s after step %d: at step %d alerts\n got %q\nwant %q", name, cut, i, got, want[i])
				}
			}
			if !bytes.Equal(snapshotOf(t, d), end) {
				t.Fatalf("restored from %s after step %d: the state at the end differs from the running detector's", name, cut)
			}
		}
	}
}
