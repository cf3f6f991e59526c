package spikes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// arrivals are n stories as feeds hand them over: event times that
// mostly rise but often arrive a few minutes late (a feed lists its
// newest first; feeds are polled minutes apart), naming a few terms from
// a few publishers, so that some buckets burst.
func arrivals(rng *rand.Rand, n int) []*record.Story {
	pubs := []string{"Reuters", "AP", "BBC", "Guardian", "NYT", "DW"}
	terms := []string{"flood", "election", "strike", "person:ada_lovelace"}
	var out []*record.Story
	at := t0
	for i := range n {
		at = at.Add(time.Duration(rng.IntN(90)) * time.Second)
		pub := at.Add(-time.Duration(rng.IntN(12)) * time.Minute) // up to 12 minutes late
		s := &record.Story{ID: fmt.Sprintf("s%04d", i), Publisher: pubs[rng.IntN(len(pubs))], Published: pub, FirstSeen: at, EventID: fmt.Sprintf("e%d", i%7)}
		term := terms[rng.IntN(len(terms))]
		if rng.IntN(3) == 0 {
			term = terms[0] // the flood bursts
		}
		if term == "person:ada_lovelace" {
			s.Entities = []record.Entity{{Key: term, Name: "Ada Lovelace", Kind: "person"}}
		} else {
			s.Keywords = []string{term}
		}
		out = append(out, s)
	}
	return out
}

// decideIn feeds stories to a fresh detector in batches that end before
// each index of splits, as the pipeline decides works: every story of a
// batch observed in order, then Advance to the latest event time so far.
// It returns what the alerts said, in the order they came.
func decideIn(cfg Config, stories []*record.Story, splits []int) []string {
	d := New(cfg, nil)
	var out []string
	var clock time.Time
	note := func(as []*record.Alert) { out = append(out, said(as)...) }
	from := 0
	for _, to := range append(slices.Clone(splits), len(stories)) {
		for _, s := range stories[from:to] {
			note(d.Observe(s))
			if t := s.EventTime(); t.After(clock) {
				clock = t
			}
		}
		note(d.Advance(clock))
		from = to
	}
	note(d.Advance(clock.Add(time.Hour))) // the end of the stream closes the rest
	return out
}

// Alerts must not depend on how stories were batched: decide_queued_together
// decides the batches queued behind one another as one work, and a batch
// read again after a failure may queue with others than the first time.
// With the buckets moved once per work, a story a few minutes late was
// counted in its own bucket when its batch came in the same work as the
// story that passed that bucket, and in the next one otherwise.
func TestTheSameStoriesFireTheSameAlertsHoweverTheyAreBatched(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup = 0
	cfg.MinStories, cfg.MinPublishers, cfg.Threshold, cfg.MinRatio = 3, 2, 2, 2
	cfg.Cooldown, cfg.ClearAfter = 10*time.Minute, 10*time.Minute
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 31))
		stories := arrivals(rng, 300)
		alone := make([]int, 0, len(stories))
		for i := 1; i < len(stories); i++ {
			alone = append(alone, i)
		}
		var random []int
		for i := 1; i < len(stories); i++ {
			if rng.IntN(6) == 0 {
				random = append(random, i)
			}
		}
		want := decideIn(cfg, stories, nil) // one work
		if len(want) == 0 {
			t.Fatalf("seed %d: no alert: the stream no longer bursts", seed)
		}
		for _, split := range []struct {
			name   string
			splits []int
		}{
			{"every story a batch of its own", alone},
			{"batches of ten", []int{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 240, 250, 260, 270, 280, 290}},
			{"batches split at random", random},
		} {
			if got := decideIn(cfg, stories, split.splits); !slices.Equal(got, want) {
				t.Errorf("seed %d, %s: alerts differ from one work's\n got %q\nwant %q", seed, split.name, got, want)
			}
		}
	}
}

// A tick — Advance to a time no later than the next story's, as `run`'s
// maintenance moves the clock through a quiet spell — changes no alert:
// a live run and a replay of its stories without ticks alert alike. The
// stream starts with a lone story hours before the rest (the warm-up
// restarts at the rest, ticked through or not), and some stories come
// again past story_memory (counted again, whenever their ids were
// forgotten).
func TestTicksBetweenStoriesChangeNoAlert(t *testing.T) {
	cfg := tickedConfig()
	for seed := range uint64(8) {
		stories := tickedStream(rand.New(rand.NewPCG(seed, 32)), 600)
		run := func(tick time.Duration) []string {
			d := New(cfg, nil)
			var out, got []string
			var clock time.Time
			for _, s := range stories {
				got, clock = tickThenObserve(d, clock, tick, s)
				out = append(out, got...)
			}
			return append(out, said(d.Advance(clock.Add(time.Hour)))...)
		}
		want := run(0)
		if len(want) == 0 {
			t.Fatalf("seed %d: no alert: the stream no longer bursts", seed)
		}
		for _, tick := range []time.Duration{time.Minute, 7 * time.Minute, 40 * time.Minute} {
			if got := run(tick); !slices.Equal(got, want) {
				t.Errorf("seed %d, a tick every %s: alerts differ from a run without ticks\n got %q\nwant %q", seed, tick, got, want)
			}
		}
	}
}

// A restart changes no alert either: a detector restored from the state
// log after any story — in the quiet spell after a lone early story,
// which restarts the warm-up, or mid-stream, where whether a bucket after
// the first counted a story is not in the log and is asked of the
// baselines again (silentSince), or with copies to come whose ids the
// log's pruning must have forgotten alike — fires from there what the
// detector that never stopped fires, ticks and all.
func TestARestartFromTheLogChangesNoAlert(t *testing.T) {
	cfg := tickedConfig()
	for seed := range uint64(4) {
		stories := tickedStream(rand.New(rand.NewPCG(seed, 33)), 300)
		step := func(d *Detector, clock time.Time, s *record.Story) ([]string, time.Time) {
			return tickThenObserve(d, clock, time.Minute, s)
		}
		live := New(cfg, nil)
		live.TrackChanges(true)
		var log []state.Entry
		want := make([][]string, len(stories))
		logged := make([]int, len(stories))       // the log's length after each story
		clocks := make([]time.Time, len(stories)) // the clock after each story
		var clock time.Time
		fired := 0
		for i, s := range stories {
			want[i], clock = step(live, clock, s)
			fired += len(want[i])
			log = append(log, live.Changes()...)
			logged[i], clocks[i] = len(log), clock
		}
		if fired == 0 {
			t.Fatalf("seed %d: no alert: the stream no longer bursts", seed)
		}
		for _, cut := range []int{0, 1, 2, 3, 40, 100, 101, 200, 250} {
			d := restoreFromLog(t, cfg, log[:logged[cut]])
			clock := clocks[cut]
			for i := cut + 1; i < len(stories); i++ {
				var got []string
				got, clock = step(d, clock, stories[i])
				if !slices.Equal(got, want[i]) {
					t.Fatalf("seed %d, restarted after story %d: at story %d alerts\n got %q\nwant %q", seed, cut, i, got, want[i])
				}
			}
		}
	}
}

// tickedConfig is the detector's configuration for the tests of ticks:
// low bars, so that arrivals' bursts fire, and ids forgotten after two
// hours, so that tickedStream's copies are counted again.
func tickedConfig() Config {
	cfg := DefaultConfig()
	cfg.MinStories, cfg.MinPublishers, cfg.Threshold, cfg.MinRatio = 3, 2, 2, 2
	cfg.Cooldown, cfg.ClearAfter = 10*time.Minute, 10*time.Minute
	cfg.StoryMemory = 2 * time.Hour
	return cfg
}

// tickedStream is n arrivals after a lone story three hours before them
// (the warm-up restarts at the rest), some of them copies of one from
// long before, past story_memory.
func tickedStream(rng *rand.Rand, n int) []*record.Story {
	stories := arrivals(rng, n)
	for i, s := range stories {
		if i > 200 && rng.IntN(10) == 0 { // a copy of one from long before
			old := stories[i-150-rng.IntN(50)]
			s.ID = old.ID
		}
	}
	lone := &record.Story{ID: "lone", Publisher: "AP", Published: t0.Add(-3 * time.Hour), Keywords: []string{"flood"}}
	return append([]*record.Story{lone}, stories...)
}

// tickThenObserve moves d from clock towards s's event time a tick at a
// time (none for a tick of 0), as `run`'s maintenance does in a quiet
// spell, then observes s; it returns what the alerts said and the clock
// after s.
func tickThenObserve(d *Detector, clock time.Time, tick time.Duration, s *record.Story) ([]string, time.Time) {
	var out []string
	if tick > 0 && !clock.IsZero() {
		for at := clock.Add(tick); at.Before(s.EventTime()); at = at.Add(tick) {
			out = append(out, said(d.Advance(at))...)
		}
	}
	out = append(out, said(d.Observe(s))...)
	if s.EventTime().After(clock) {
		clock = s.EventTime()
	}
	return out, clock
}

// said is what alerts say that the tests compare: id, counts, samples.
func said(as []*record.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s stories=%d publishers=%d samples=%v", a.ID, a.Stories, a.Publishers, a.SampleStories))
	}
	return out
}
