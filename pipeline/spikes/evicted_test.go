package spikes

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// firedThenEvicted plays acme firing and clearing, then enough other
// terms that max_terms (1 here: every quiet term goes at each close)
// evicts it; it returns the feed, with its changes logged, and the
// firing alert.
func firedThenEvicted(t *testing.T, cfg Config) (*feed, *record.Alert) {
	t.Helper()
	cfg.MaxTerms = 1
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	f.steady(2, rand.New(rand.NewPCG(7, 8)))
	burst(f, 8, 4, "acme")
	var fired *record.Alert
	for _, a := range f.tick() {
		if a.Term == "acme" && a.State == record.AlertFiring {
			fired = a
		}
	}
	if fired == nil {
		t.Fatal("acme did not fire")
	}
	for range int(cfg.ClearAfter/cfg.Bucket) + 2 {
		f.observe("AP", "weather")
		f.tick()
	}
	if f.d.Firing("acme") || f.d.Terms() > cfg.MaxTerms+1 {
		t.Fatalf("acme firing %t, %d terms: want it cleared and evicted", f.d.Firing("acme"), f.d.Terms())
	}
	f.d.mu.Lock()
	held := f.d.terms.has("acme")
	f.d.mu.Unlock()
	if held {
		t.Fatal("acme's baseline was not evicted")
	}
	return f, fired
}

// A committed firing of a term the detector later evicted is still its
// own (FiredSince), in the running detector and in one restored from the
// log or from a snapshot: the pipeline asks it before retracting an
// alert a leftover note names, and eviction (round 33) erased the only
// witness that the alert's commit landed.
func TestAnEvictedTermKeepsItsLastFiring(t *testing.T) {
	cfg := DefaultConfig()
	f, fired := firedThenEvicted(t, cfg)
	log := f.d.Changes()
	cfg.MaxTerms = 1
	fromLog := restoreFromLog(t, cfg, log)
	for name, d := range map[string]*Detector{"running": f.d, "restored from the log": fromLog, "restored from a snapshot": restoreOf(t, f.d, cfg)} {
		if !d.FiredSince("acme", fired.BucketStart) {
			t.Errorf("%s: FiredSince(acme, %s) is false once acme is evicted", name, fired.BucketStart.Format(time.Kitchen))
		}
		if d.FiredSince("acme", fired.BucketStart.Add(cfg.Bucket)) {
			t.Errorf("%s: FiredSince(acme) holds a firing after the one it had", name)
		}
		if d.Terms() > 1 {
			t.Errorf("%s: %d baselines, over max_terms", name, d.Terms())
		}
	}
}

// An evicted term that comes back keeps its cooldown: one burst, one
// firing alert, whether or not the quiet spell between its two halves
// cost the term its baseline.
func TestAnEvictedTermThatComesBackKeepsItsCooldown(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Cooldown = 2 * time.Hour
	f, _ := firedThenEvicted(t, cfg)
	burst(f, 8, 4, "acme")
	for _, a := range f.tick() {
		if a.Term == "acme" {
			t.Errorf("acme alerted %s within the cooldown of its last firing", a.ID)
		}
	}
	if !f.d.FiredSince("acme", t0) {
		t.Error("acme, back with a baseline, lost its last firing")
	}
}

// The last firings of evicted terms are bounded: past max_terms/16 (16
// at least) the oldest go, and their log entries with them.
func TestTheLastFiringsOfEvictedTermsAreBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTerms = 1
	cfg.Warmup, cfg.Cooldown = 0, 0
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	for i := range 40 {
		term := fmt.Sprintf("term%02d", i)
		burst(f, 8, 4, term)
		f.tick()
		for range int(cfg.ClearAfter/cfg.Bucket) + 1 {
			f.tick()
		}
	}
	f.observe("AP", "weather")
	f.tick()
	kept := 0
	for i := range 40 {
		if f.d.FiredSince(fmt.Sprintf("term%02d", i), t0) {
			kept++
		}
	}
	if want := firedKeptFor(cfg); kept > want || kept < want*9/10 {
		t.Errorf("%d evicted terms' firings kept, want at most %d", kept, want)
	}
	if !f.d.FiredSince("term39", t0) || f.d.FiredSince("term00", t0) {
		t.Error("want the latest firings kept and the oldest gone")
	}
	r := restoreFromLog(t, cfg, f.d.Changes())
	for i := range 40 {
		term := fmt.Sprintf("term%02d", i)
		if r.FiredSince(term, t0) != f.d.FiredSince(term, t0) {
			t.Errorf("restored from the log, FiredSince(%s) is %t, the running detector's %t", term, r.FiredSince(term, t0), f.d.FiredSince(term, t0))
		}
	}
}

// An evicted term's last firing is logged in the baseline's encoding,
// under its key, flagged: this binary loads it as the firing alone, and
// one from before it (which knows no such entry) as a term with no
// baseline that fired then, not as damage; nothing else to migrate, as
// a log from before holds a tombstone there.
func TestAnEvictedFiringIsLoggedInTheBaselinesEncoding(t *testing.T) {
	cfg := DefaultConfig()
	f, fired := firedThenEvicted(t, cfg)
	var entry []byte
	if err := f.d.Snapshot(func(e state.Entry) error {
		if string(e.Key) == "tacme" {
			entry = cloneValue(e.Value)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := New(cfg, nil)
	if err := d.Load(state.Entry{Table: state.Spikes, Key: []byte("tacme"), Value: entry}); err != nil {
		t.Fatal(err)
	}
	ts := termOf(&d.terms, "acme")
	v := state.Decoder{B: entry}
	flags := v.Byte()
	if ts != nil || flags&4 == 0 || d.evictedFired["acme"] != d.bucketOf(fired.BucketStart) {
		t.Errorf("the evicted firing's entry (flags %b) loads as term %+v, firing %v", flags, ts, d.evictedFired)
	}
}

// evictionsAndReturns is a stream in which twenty terms each burst and
// fire, one after another, with max_terms so small that every quiet term
// is evicted at each close and more of them fire than evictedFired keeps
// (firedKeptFor: its oldest are forgotten), then burst again, the latest
// first: those whose last firing is kept come back within their
// cooldown, the forgotten ones fire again. The stories in their order, ticks as stories without
// an id (play).
func evictionsAndReturns(cfg Config) []*record.Story {
	f := newFeed(cfg) // for its stories only
	var out []*record.Story
	tick := func() {
		f.now = f.now.Add(cfg.Bucket)
		out = append(out, &record.Story{Published: f.now})
	}
	for r := range 40 {
		term := fmt.Sprintf("term%02d", r)
		if r >= 20 {
			term = fmt.Sprintf("term%02d", 39-r) // the latest first: the oldest, forgotten, come last
		}
		for i := range 8 {
			out = append(out, f.story(fmt.Sprintf("outlet-%d", i%4), term, "economy"))
		}
		for range int(cfg.ClearAfter/cfg.Bucket) + 2 {
			out = append(out, f.story("AP", "weather"))
			tick()
		}
	}
	return out
}

// restartEvery is how many steps apart the test below restarts: a round
// of evictionsAndReturns is 18 steps, so the restarts fall at every place
// in one, and the test stays a few seconds under -race.
const restartEvery = 7

// The last firings of evicted terms, their bound and the cooldown they
// carry back restore as the running detector held them: a detector
// restored from the log or from a snapshot after a step gives the alerts
// of the one that kept running, and ends in the same state.
func TestEvictedFiringsRestoreAsTheRunningDetectorHeldThem(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup = 0
	cfg.MaxTerms = 2
	cfg.Cooldown = 25 * cfg.Bucket * time.Duration(int(cfg.ClearAfter/cfg.Bucket)+2) // 25 rounds: a term kept comes back within it
	steps := evictionsAndReturns(cfg)
	live := New(cfg, nil)
	live.TrackChanges(true)
	var log []state.Entry
	want := make([][]string, len(steps))
	logged := make([]int, len(steps))
	snapshots := make([]*Detector, len(steps))
	fired := map[string]int{}
	for i, s := range steps {
		want[i] = play(live, s)
		for _, a := range want[i] {
			if id := strings.Fields(a)[0]; strings.HasPrefix(id, "term") && strings.HasSuffix(id, "/"+record.AlertFiring) {
				fired[id[:strings.Index(id, "@")]]++
			}
		}
		log = append(log, live.Changes()...)
		logged[i] = len(log)
		if i%restartEvery == 0 {
			snapshots[i] = restoreOf(t, live, cfg)
		}
	}
	// the stream does what it is for: firings forgotten (more fire than
	// are kept, and some fire again), and some kept through the cooldown
	live.mu.Lock()
	kept := len(live.evictedFired)
	live.mu.Unlock()
	twice := 0
	for _, n := range fired {
		if n > 1 {
			twice++
		}
	}
	if len(fired) != 20 || twice == 0 || twice == 20 || kept == 0 || kept > firedKeptFor(cfg) {
		t.Fatalf("terms fired %v, %d evicted firings kept (at most %d): want all twenty fired, some again, some kept within their cooldown", fired, kept, firedKeptFor(cfg))
	}
	restartsPlayAlike(t, cfg, steps, want, log, logged, snapshots, snapshotOf(t, live), restartEvery)
}

// A binary from before round 34 knows no evictedFlag: it reads the entry
// as a baseline, its other flags and fields as they are. Read so (the
// flag cleared, as the old Load never looked at it), the entry is a term
// with no baseline, not firing, that fired in the bucket kept, and no
// byte is left over: a rollback loads it rather than refusing the log.
func TestAnEvictedFiringReadsAsABaselineWithoutItsFlag(t *testing.T) {
	cfg := DefaultConfig()
	f, fired := firedThenEvicted(t, cfg)
	f.d.mu.Lock()
	entry := f.d.encodeTerm("acme")
	f.d.mu.Unlock()
	if len(entry) == 0 || entry[0]&evictedFlag == 0 {
		t.Fatalf("acme's entry %x is not flagged evicted", entry)
	}
	old := slices.Clone(entry)
	old[0] &^= evictedFlag
	d := New(cfg, nil)
	if err := d.Load(state.Entry{Table: state.Spikes, Key: []byte("tacme"), Value: old}); err != nil {
		t.Fatalf("read as a baseline: %v", err)
	}
	ts := termOf(&d.terms, "acme")
	if ts == nil || ts.firing || !ts.hasFired || ts.firedAt != d.bucketOf(fired.BucketStart) || ts.mean != 0 || ts.variance != 0 || ts.quiet != 0 {
		t.Fatalf("read as a baseline, acme is %+v, want no baseline, not firing, fired in bucket %d", ts, d.bucketOf(fired.BucketStart))
	}
	if !d.FiredSince("acme", fired.BucketStart) {
		t.Error("read as a baseline, acme lost its firing")
	}
}

// A background snapshot taken while the stories of evictionsAndReturns
// are observed — between the snapshot's holds, terms evicted, their
// firings kept, forgotten and taken back — restores, with the log's
// entries after its rotation, to the state of the detector that took it;
// and FiredSince asked meanwhile from another goroutine is safe (-race).
func TestASnapshotTakenWhileTermsAreEvictedRestoresTheirFirings(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup = 0
	cfg.MaxTerms = 2
	steps := evictionsAndReturns(cfg)
	for _, at := range []int{len(steps) / 4, len(steps) / 2, 3 * len(steps) / 4} {
		live := New(cfg, nil)
		live.TrackChanges(true)
		for _, s := range steps[:at] {
			play(live, s)
		}
		live.Changes() // in the log before the rotation: the snapshot replaces it
		stop := make(chan struct{})
		asked := make(chan struct{})
		go func() {
			defer close(asked)
			for {
				select {
				case <-stop:
					return
				default:
					live.FiredSince("term05", t0)
				}
			}
		}()
		var snap []state.Entry
		played := false
		err := live.Snapshot(func(e state.Entry) error {
			snap = append(snap, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
			if !played && e.Key[0] == 't' {
				played = true // emit runs between the detector's holds
				for _, s := range steps[at : at+60] {
					play(live, s) // batches decided while the snapshot is taken
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps[at+60:] {
			play(live, s)
		}
		close(stop)
		<-asked
		if !played {
			t.Fatal("no term in the snapshot")
		}
		r := restoreFromLog(t, cfg, append(snap, live.Changes()...))
		if !bytes.Equal(snapshotOf(t, r), snapshotOf(t, live)) {
			t.Errorf("snapshot begun at step %d: snapshot and tail restore another state than the detector's", at)
		}
		for i := range 20 {
			term := fmt.Sprintf("term%02d", i)
			if r.FiredSince(term, t0) != live.FiredSince(term, t0) {
				t.Errorf("snapshot begun at step %d: restored FiredSince(%s) %t, the detector's %t", at, term, r.FiredSince(term, t0), live.FiredSince(term, t0))
			}
		}
	}
}
