package spikes

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restored clock entry ('g') of 2100 — a damaged state log, a foreign
// or buggy writer's — is bounded by the buckets the state's own stories
// were counted in (the second latest, so one record of 2100 cannot move
// it), never by the host's clock. Read as it was before round 41, the
// next bucket to close lay in 2100: every story was counted into it "late"
// and no bucket closed, so no term alerted until real time caught up.
func TestARestoredClockFarInTheFutureKeepsTheSpikesBuckets(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	live := f.d.next
	far := f.d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	f.d.next, f.d.pruned = far, far
	hostile := f.d.encodeGlobal()
	f.d.next, f.d.pruned = live, live
	found := false
	for i, e := range entries {
		if string(e.Key) == "g" {
			entries[i].Value, found = hostile, true
		}
	}
	if !found {
		t.Fatal("the snapshot holds no clock entry")
	}
	for _, order := range []string{"as logged", "reversed"} {
		t.Run(order, func(t *testing.T) {
			es := slices.Clone(entries)
			if order == "reversed" {
				slices.Reverse(es)
			}
			r := restoreFromLog(t, DefaultConfig(), es)
			if r.next > live || r.pruned > live || r.first > live {
				t.Errorf("first %d next %d pruned %d after the restore, want at most the live next bucket %d", r.first, r.next, r.pruned, live)
			}
			g := &feed{d: r, now: f.now, n: f.n}
			burst(g, 8, 8, "earthquake")
			if a := g.tick(); !slices.Contains(terms(a), "earthquake/firing") {
				t.Errorf("a burst after the restore did not alert: %v", terms(a))
			}
		})
	}
}

// A clock entry with no counted story to bound it by is kept as it is.
func TestARestoredClockAloneIsKept(t *testing.T) {
	d := New(DefaultConfig(), nil)
	far := d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	d.started, d.first, d.next, d.pruned = true, far, far, far
	r := restoreFromLog(t, DefaultConfig(), []state.Entry{{Table: state.Spikes, Key: []byte{'g'}, Value: d.encodeGlobal()}})
	if r.next != far {
		t.Errorf("next %d, want it kept at %d", r.next, far)
	}
}

// Several stories counted in far-future buckets (each under its id and
// its fingerprint) with the clock they moved: the second-latest bucket is
// then hostile too. Read as round 41 wrote it, nothing was cut and no
// burst alerted after the restore.
func TestSeveralStoriesCountedFarInTheFutureKeepTheSpikesBuckets(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	live := f.d.next
	far := f.d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	for i, b := range []int64{far, far + 7, far + 7, far + 300} { // two stories share a bucket
		for _, k := range []uint64{uint64(1000 + 2*i), uint64(1001 + 2*i)} { // its id, its fingerprint
			entries = append(entries, state.Entry{Table: state.Spikes, Key: binary.LittleEndian.AppendUint64([]byte{'k'}, k), Value: binary.AppendVarint(nil, b)})
		}
	}
	f.d.next, f.d.pruned = far+301, far+301
	hostile := f.d.encodeGlobal()
	f.d.next, f.d.pruned = live, live
	for i, e := range entries {
		if string(e.Key) == "g" {
			entries[i].Value = hostile
		}
	}
	r := restoreFromLog(t, DefaultConfig(), entries)
	if r.next > live || r.pruned > live || r.first > live {
		t.Errorf("first %d next %d pruned %d after the restore, want at most the live next bucket %d", r.first, r.next, r.pruned, live)
	}
	g := &feed{d: r, now: f.now, n: f.n}
	burst(g, 8, 8, "earthquake")
	if a := g.tick(); !slices.Contains(terms(a), "earthquake/firing") {
		t.Errorf("a burst after the restore did not alert: %v", terms(a))
	}
}

// A baseline restored with its last firing and last fold in 2100 (a
// foreign writer's; the clock itself sound) is cut to the state's own
// buckets too. Read as round 41 left it, the term's cooldown never
// passed (now − last firing was negative), so it never alerted again.
// (The burst comes after two hours of ordinary news: the cut firing
// counts from the state's latest bucket.)
func TestABaselineFiredFarInTheFutureAlertsAgain(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	far := f.d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	ts, ok := f.d.terms.lookup("economy")
	if !ok {
		t.Fatal("no baseline of economy after two hours of it")
	}
	ts.hasFired, ts.firedAt, ts.updated = true, far, far
	f.d.terms.put(&ts)
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	r := restoreFromLog(t, DefaultConfig(), entries)
	if ts, _ := r.terms.lookup("economy"); ts.firedAt > f.d.next || ts.updated > f.d.next {
		t.Errorf("economy's baseline last fired in bucket %d, last folded %d after the restore, want at most the live next bucket %d", ts.firedAt, ts.updated, f.d.next)
	}
	// cut to the state's latest bucket, its cooldown runs from there
	g := &feed{d: r, now: f.now, n: f.n}
	g.steady(2, rand.New(rand.NewPCG(3, 4)))
	burst(g, 60, 8, "economy")
	if a := g.tick(); !slices.Contains(terms(a), "economy/firing") {
		t.Errorf("a burst of economy two hours after the restore did not alert: %v", terms(a))
	}
}

// An observation logged in a bucket of 2100 (the clock sound) is left
// out of the restore and tombstoned: restored as round 41 left it, it
// opened a bucket that never closed until real time caught up, its
// counts held all the while.
func TestAnObservationFarInTheFutureIsLeftOut(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	far := f.d.bucketOf(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	o := &observation{seq: 1 << 40, bucket: far, id: "s_far", pub: "Foreign", terms: []obsTerm{{key: "earthquake", name: "earthquake", keyword: true}}}
	key := binary.LittleEndian.AppendUint64([]byte{'o'}, seenKey(o.id))
	entries = append(entries, state.Entry{Table: state.Spikes, Key: key, Value: encodeObservation(nil, o)})
	r := New(DefaultConfig(), nil)
	r.TrackChanges(true)
	for _, e := range entries {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	for b := range r.open {
		if b > f.d.next+1 {
			t.Errorf("bucket %s open after the restore, want only the state's own", r.bucketStart(b))
		}
	}
	gone := false
	for _, e := range r.Changes() {
		if bytes.Equal(e.Key, key) && e.Value == nil {
			gone = true
		}
	}
	if !gone {
		t.Errorf("the observation of 2100 was not tombstoned")
	}
}
