package spikes

import (
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// acmeFires plays hours of steady news, then a burst of acme that fires,
// in a detector of cfg that logs its changes and has finished its
// (empty) restore: a running instance.
func acmeFires(t *testing.T, cfg Config) *feed {
	t.Helper()
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	if err := f.d.Restored(); err != nil {
		t.Fatal(err)
	}
	f.steady(2, rand.New(rand.NewPCG(7, 8)))
	burst(f, 8, 4, "acme")
	f.tick()
	if !f.d.Firing("acme") {
		t.Fatal("acme did not fire")
	}
	return f
}

// lastEntryOf is the newest entry of key in log.
func lastEntryOf(t *testing.T, log []state.Entry, key string) state.Entry {
	t.Helper()
	for i := len(log) - 1; i >= 0; i-- {
		if string(log[i].Key) == key {
			return log[i]
		}
	}
	t.Fatalf("the log holds no entry %q", key)
	return state.Entry{}
}

// A term's entry loaded while the detector runs (after Restored: another
// instance's write, read from the log) says whether the term is firing:
// a tombstone or an evicted firing that it is not, having no baseline
// (eviction takes only terms that are not firing), a baseline that has
// cleared that it has. The detector then no longer holds the term firing.
// It did: the term stayed in its firing set, so it never cleared, no
// restart from the same log held it firing, and every close made it a
// baseline again, with no name.
func TestALiveEntryThatSaysATermIsNotFiringEndsItsFiring(t *testing.T) {
	cfg := DefaultConfig()
	cleared := func() state.Entry { // acme's baseline once the burst cleared
		f := acmeFires(t, cfg)
		for range int(cfg.ClearAfter/cfg.Bucket) + 2 {
			f.observe("AP", "weather")
			f.tick()
		}
		if f.d.Firing("acme") {
			t.Fatal("acme did not clear")
		}
		return lastEntryOf(t, f.d.Changes(), "tacme")
	}()
	evicted := func() state.Entry { // acme's last firing, its baseline evicted
		f, _ := firedThenEvicted(t, cfg)
		return lastEntryOf(t, f.d.Changes(), "tacme")
	}()
	for _, c := range []struct {
		name string
		e    state.Entry
	}{
		{"tombstone", state.Entry{Table: state.Spikes, Key: []byte("tacme")}},
		{"evicted firing", evicted},
		{"cleared", cleared},
	} {
		name, e := c.name, c.e
		t.Run(name, func(t *testing.T) {
			f := acmeFires(t, cfg)
			if err := f.d.Load(e); err != nil {
				t.Fatal(err)
			}
			if f.d.Firing("acme") {
				t.Error("acme is still firing once its entry said it is not")
			}
			f.alerts = nil
			for range int(cfg.ClearAfter/cfg.Bucket) + 2 {
				f.observe("AP", "weather")
				f.tick()
			}
			for _, a := range f.alerts {
				if a.Term == "acme" {
					t.Errorf("a %s alert of acme (name %q) with no story of it", a.State, a.TermName)
				}
			}
			if f.d.Firing("acme") {
				t.Errorf("acme is firing %d quiet buckets later", int(cfg.ClearAfter/cfg.Bucket)+2)
			}
			f.d.mu.Lock()
			ts, held := f.d.terms.lookup("acme")
			f.d.mu.Unlock()
			if held && name != "cleared" {
				t.Errorf("acme has a baseline again (name %q, kind %q) with no story of it", ts.name, ts.kind)
			}
			if r := restoreOf(t, f.d, cfg); r.Firing("acme") != f.d.Firing("acme") {
				t.Errorf("restored from its snapshot, the detector holds acme firing %t, running %t", r.Firing("acme"), f.d.Firing("acme"))
			}
		})
	}
}

// And a live baseline entry that says a term is firing, where this
// instance saw it clear, holds it firing until it clears here too, as a
// restart from the same log would.
func TestALiveEntryThatSaysATermIsFiringKeepsItFiring(t *testing.T) {
	cfg := DefaultConfig()
	firing := lastEntryOf(t, acmeFires(t, cfg).d.Changes(), "tacme")
	f := acmeFires(t, cfg)
	quiet := int(cfg.ClearAfter/cfg.Bucket) + 2
	for range quiet {
		f.observe("AP", "weather")
		f.tick()
	}
	if f.d.Firing("acme") {
		t.Fatal("acme did not clear")
	}
	if err := f.d.Load(firing); err != nil {
		t.Fatal(err)
	}
	if r := restoreOf(t, f.d, cfg); !f.d.Firing("acme") || !r.Firing("acme") {
		t.Fatalf("acme firing %t, %t restored from the snapshot: want both, as its entry says", f.d.Firing("acme"), r.Firing("acme"))
	}
	f.alerts = nil
	for range quiet {
		f.observe("AP", "weather")
		f.tick()
	}
	if f.d.Firing("acme") || len(f.alerts) != 1 || f.alerts[0].Term != "acme" || f.alerts[0].TermName != "acme" {
		t.Fatalf("acme firing %t %d quiet buckets later, alerts %v: want one cleared alert of acme", f.d.Firing("acme"), quiet, f.alerts)
	}
}
