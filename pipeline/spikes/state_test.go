package spikes

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The state log hears of a maintenance tick only when it moved something:
// the pipeline ticks every maintenance_interval, mostly inside one bucket.
func TestATickThatMovesNothingChangesNoState(t *testing.T) {
	d := New(DefaultConfig(), nil)
	d.TrackChanges(true)
	for _, step := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"the first tick starts the detector", t0, true},
		{"a tick later in the same bucket moves nothing", t0.Add(time.Minute), false},
		{"a tick again at the same time moves nothing", t0.Add(time.Minute), false},
		{"a tick in the next bucket moves the next bucket to close", t0.Add(d.cfg.Bucket), true},
	} {
		d.Advance(step.at)
		if got := len(d.Changes()) > 0; got != step.want {
			t.Errorf("%s: changes %t, want %t", step.name, got, step.want)
		}
	}
}

// A rewind resets the detector and then loads the log; a log with nothing
// for the detector calls no Restored, so Reset itself must leave the
// terms gauge true.
func TestResetEmptiesTheTermsGauge(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	f := &feed{d: New(DefaultConfig(), m), now: t0}
	f.observe("AP", "quake", "coast")
	f.observe("BBC", "quake", "toll")
	f.tick()
	if testutil.ToFloat64(m.terms) == 0 {
		t.Fatal("no term counted before the reset")
	}
	f.d.Reset()
	if n, g := f.d.Terms(), testutil.ToFloat64(m.terms); n != 0 || g != 0 {
		t.Fatalf("after Reset: %d terms, gauge %v; want 0 and 0", n, g)
	}
}

// A count restored from a snapshot keeps no story per event id, so the
// ids it names as counted and those counted after the restore must stay
// paired with their own stories when an alert follows merges.
func TestAlertsFollowMergesAfterARestoreFromASnapshot(t *testing.T) {
	now := map[string]string{} // story id → the event it is in now
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	f.steady(6, rand.New(rand.NewPCG(1, 2)))
	burstIn := func(event string, from int) {
		for i := range 6 {
			s := f.story(fmt.Sprintf("outlet-%d", from+i), "person:zelensky")
			s.EventID = event
			now[s.ID] = event
			f.add(s)
		}
	}
	burstIn("e_a", 0)
	f.d.Changes() // what the snapshot holds is not also in the tail
	var log []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error { log = append(log, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	burstIn("e_b", 6)
	log = append(log, f.d.Changes()...)
	for id, ev := range now {
		if ev == "e_b" {
			now[id] = "e_c" // e_b was folded into e_c before the bucket closed
		}
	}

	d := restoreFromLog(t, DefaultConfig(), log)
	d.FollowMerges(func(id string) string { return now[id] })
	var got *record.Alert
	for _, a := range d.Advance(f.now.Add(d.cfg.Bucket)) {
		if a.Term == "person:zelensky" {
			got = a
		}
	}
	if got == nil {
		t.Fatal("no alert for the burst after the restore")
	}
	if want := "[e_a e_c]"; fmt.Sprint(got.EventIDs) != want {
		t.Errorf("event ids %v after the restore, want %s", got.EventIDs, want)
	}
}

// Changes cuts its entries from one buffer: each holds what its own
// encoding gives, and each is capped, so an append to one (as a caller
// may make) leaves the next as it was.
func TestChangesEntriesAreTheirEncodingsAndAnAppendLeavesTheNextAsItWas(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	f.steady(6, rand.New(rand.NewPCG(1, 2)))
	es := f.d.Changes()
	kinds := map[byte]int{}
	for _, e := range es {
		kinds[e.Key[0]]++
		switch e.Key[0] {
		case 't':
			if want := f.d.encodeTerm(string(e.Key[1:])); !bytes.Equal(e.Value, want) || (e.Value == nil) != (want == nil) {
				t.Errorf("term %q: %x, its encoding %x", e.Key[1:], e.Value, want)
			}
		case 'g':
			if want := f.d.encodeGlobal(); !bytes.Equal(e.Value, want) {
				t.Errorf("global: %x, its encoding %x", e.Value, want)
			}
		}
	}
	for _, k := range []byte("tkog") {
		if kinds[k] == 0 {
			t.Fatalf("no %q entry among %d changes: the test meant to see each kind", k, len(es))
		}
	}
	want := make([]state.Entry, len(es))
	for i, e := range es {
		want[i] = state.Entry{Table: e.Table, Key: bytes.Clone(e.Key), Value: bytes.Clone(e.Value)}
	}
	for _, e := range es {
		_ = append(e.Key, "XXXXXXXX"...)
		if e.Value != nil {
			_ = append(e.Value, "XXXXXXXX"...)
		}
	}
	for i, e := range es {
		if !bytes.Equal(e.Key, want[i].Key) || !bytes.Equal(e.Value, want[i].Value) || (e.Value == nil) != (want[i].Value == nil) {
			t.Fatalf("entry %d changed by appends to the others: %q=%x, was %q=%x", i, e.Key, e.Value, want[i].Key, want[i].Value)
		}
	}
}

// spikes.watch is the operator's list of today: a term the state log
// remembers from a run under another list is judged by this run's list.
// Before, the term's watched flag was stored with its baseline, so a
// keyword added to the list (and a run restarted on its data_dir) kept
// the default bars, and one taken off the list kept the lower ones. A word
// added is counted in the text from the restart on (watchsince.go): its
// burst comes after its warm-up; an entity key added is counted as it
// was, and judged by the watch bars at once.
func TestTheWatchListOfThisRunDecidesOverTheRestoredTerms(t *testing.T) {
	for _, tc := range []struct {
		name         string
		before, now  []string
		wantWatched  bool
		wantAlerting bool
		term         string // the burst's; "port strike" when empty
		warmFirst    bool   // the burst an hour after the restart
	}{
		{name: "a term added to the list is watched", before: nil, now: []string{"Port Strike"}, wantWatched: true, wantAlerting: true, warmFirst: true},
		{name: "an entity key added to the list is watched at once", before: nil, now: []string{"person:port_strike"}, wantWatched: true, wantAlerting: true, term: "person:port_strike"},
		{name: "a term taken off the list is not", before: []string{"port strike"}, now: nil, wantWatched: false, wantAlerting: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Watch = tc.before
			f := newFeed(cfg)
			f.d.TrackChanges(true)
			term := cmp.Or(tc.term, "port strike")
			f.observe("Reuters", term) // the term is known, with a baseline
			f.steady(2, rand.New(rand.NewPCG(5, 6)))
			cfg.Watch = tc.now
			f.d = restartWith(t, f, cfg)
			if tc.warmFirst {
				f.steady(1, rand.New(rand.NewPCG(7, 8)))
			}
			burst(f, 3, 3, term) // over the watch bars (2 stories, 2 publishers), under the default ones (5, 3)
			var got *record.Alert
			for _, a := range f.tick() {
				if a.Term == term {
					got = a
				}
			}
			if (got != nil) != tc.wantAlerting {
				t.Fatalf("alert for the burst: %+v, want one: %v (watch %v before the restart, %v now)", got, tc.wantAlerting, tc.before, tc.now)
			}
			if got != nil && got.Watched != tc.wantWatched {
				t.Errorf("alert watched = %v, want %v", got.Watched, tc.wantWatched)
			}
		})
	}
}
