package spikes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// strikeDay plays hours of ordinary news in which three stories a
// bucket, from three publishers, say "strike" in their title without
// carrying it as a keyword: an ordinary rate for the word, no burst.
// With burstAt >= 0, the bucket burstAt buckets in holds fifteen such
// stories from six publishers instead. It returns the strike firings.
func strikeDay(f *feed, hours, burstAt int, rng *rand.Rand) []*record.Alert {
	pubs := []string{"Reuters", "AP", "BBC", "Guardian", "NYT", "DW"}
	for b := range hours * 12 {
		n, from := 3, 3
		if b == burstAt {
			n, from = 15, 6
		}
		for i := range n {
			s := f.story(pubs[(b+i)%from], "port")
			s.Title = "Dockworkers strike at the port"
			f.add(s)
		}
		f.observe(pubs[rng.IntN(len(pubs))], "economy")
		f.tick()
	}
	return takeFirings(f, "strike")
}

// takeFirings returns the firings of term among f's alerts, and clears
// them: the next day played returns its own.
func takeFirings(f *feed, term string) []*record.Alert {
	var out []*record.Alert
	for _, a := range f.alerts {
		if a.Term == term && a.State == record.AlertFiring {
			out = append(out, a)
		}
	}
	f.alerts = nil
	return out
}

// restartWith is a detector of cfg restored from f's detector's log (its
// snapshot, then nothing after it).
func restartWith(t *testing.T, f *feed, cfg Config) *Detector {
	t.Helper()
	var log []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error { log = append(log, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	return restoreFromLog(t, cfg, log)
}

// A word added to the watch list by a config edit is counted in the text
// from the restart that brings it on; the state log holds no story's
// text, so neither its baseline nor the open bucket's replayed stories
// knew it. Judged against no baseline, an ordinary hour's "strike" (three
// stories a bucket) fired as a watched spike in the first bucket after
// the restart. Now it learns its baseline from there and fires no sooner
// than warmup after it: on the same ordinary news, no alert; on a burst
// after the warm-up, one.
func TestAWordAddedToTheWatchListLearnsItsBaselineBeforeItFires(t *testing.T) {
	cfg := DefaultConfig()
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	rng := rand.New(rand.NewPCG(35, 1))
	if as := strikeDay(f, 3, -1, rng); len(as) != 0 {
		t.Fatalf("unwatched, the ordinary strike stories alerted: %v", said(as))
	}
	cfg.Watch = []string{"strike"}
	f.d = restartWith(t, f, cfg)
	if as := strikeDay(f, 3, -1, rng); len(as) != 0 {
		t.Errorf("watched from the restart, the ordinary strike stories alerted: %v", said(as))
	}
	as := strikeDay(f, 1, 6, rng)
	if len(as) != 1 || !as[0].Watched {
		t.Errorf("a burst of the watched word: alerts %v, want it firing, watched", said(as))
	}
}

// While the added word learns, a burst does not fire it (it has no
// baseline to be judged by yet); once learned, one does. A restart in
// the middle, under the same list, carries the learning on from where
// the state log recorded it: the alerts and the state at the end are the
// ones of the run that did not restart.
func TestAWordsLearningSurvivesARestart(t *testing.T) {
	cfg := DefaultConfig()
	run := func(restartMidway bool) (alerts []string, snap []byte) {
		f := newFeed(cfg)
		f.d.TrackChanges(true)
		rng := rand.New(rand.NewPCG(35, 2))
		strikeDay(f, 2, -1, rng)
		watching := cfg
		watching.Watch = []string{"strike"}
		f.d = restartWith(t, f, watching)
		as := strikeDay(f, 1, 4, rng) // a burst within the word's warm-up
		if restartMidway {
			f.d = restartWith(t, f, watching)
		}
		as = append(as, strikeDay(f, 2, 12, rng)...) // one after it
		return said(as), snapshotOf(t, f.d)
	}
	want, wantSnap := run(false)
	if len(want) != 1 || !strings.Contains(want[0], "T04:00:00Z/firing") {
		t.Fatalf("alerts %v: want one firing, for the burst after the warm-up", want)
	}
	got, gotSnap := run(true)
	if !slices.Equal(got, want) {
		t.Errorf("restarted midway: alerts %v, want %v", got, want)
	}
	if string(gotSnap) != string(wantSnap) {
		t.Error("restarted midway: the state at the end differs from the run's that did not restart")
	}
}

// A restart under the list the state was made under changes nothing: a
// word watched from the start fires at once on a burst after the
// restart, its baseline kept. So does one restored from a log of before
// round 35, which recorded no list: it is taken as this run's.
func TestARestartUnderTheSameWatchListKeepsTheWordsBaseline(t *testing.T) {
	for _, tc := range []struct {
		name string
		drop func(k string) bool // log entries a log from before round 35 lacks
	}{
		{name: "same list", drop: func(string) bool { return false }},
		{name: "a log from before round 35", drop: func(k string) bool { return strings.HasPrefix(k, "t"+textMark) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Watch = []string{"strike"}
			f := newFeed(cfg)
			f.d.TrackChanges(true)
			rng := rand.New(rand.NewPCG(35, 3))
			if as := strikeDay(f, 3, -1, rng); len(as) != 0 {
				t.Fatalf("the ordinary strike stories alerted: %v", said(as))
			}
			var log []state.Entry
			if err := f.d.Snapshot(func(e state.Entry) error {
				if !tc.drop(string(e.Key)) {
					log = append(log, cloneEntry(e))
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			f.d = restoreFromLog(t, cfg, log)
			as := strikeDay(f, 1, 0, rng)
			if len(as) != 1 {
				t.Errorf("a burst right after the restart: alerts %v, want it firing", said(as))
			}
		})
	}
}

// The record of the text search's words is in the encoding of an evicted
// term's last firing: a binary of round 34, which reads such entries,
// loads it as firings of terms no alert names rather than refusing the
// log (its Load reads the flags, five fields and no byte more).
func TestTheTextWatchRecordIsInTheEvictedFiringsEncoding(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Watch = []string{"strike", "port of Rotterdam", "person:keir_starmer"}
	f := newFeed(cfg)
	f.d.TrackChanges(true)
	f.observe("AP", "economy")
	var keys []string
	for _, e := range f.d.Changes() {
		k := string(e.Key)
		if !strings.HasPrefix(k, "t"+textMark) {
			continue
		}
		keys = append(keys, fmt.Sprintf("%q", k[1:]))
		if len(e.Value) == 0 || e.Value[0]&evictedFlag == 0 {
			t.Errorf("entry %q: value %x is no evicted firing", k, e.Value)
		}
		// read as round 34's Load reads a 't' entry: flags, name, kind,
		// mean, variance, updated, firedAt, quiet, and nothing after
		v := state.Decoder{B: e.Value}
		_, _, _ = v.Byte(), v.String(), v.String()
		_, _ = v.Float(), v.Float()
		_, _, _ = v.Varint(), v.Varint(), v.Uvarint()
		if err := v.End(); err != nil {
			t.Errorf("entry %q: %v", k, err)
		}
	}
	slices.Sort(keys)
	want := []string{`"\x00text"`, `"\x00text:port of rotterdam"`, `"\x00text:strike"`}
	if !slices.Equal(keys, want) {
		t.Errorf("record entries %v, want %v (the mark, and each word searched in the text)", keys, want)
	}
}
