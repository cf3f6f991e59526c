package spikes

import (
	"math/rand/v2"
	"testing"
	"time"
)

// A word added to the watch list by a config edit learns from the
// restart, however long the process was stopped for the edit: the
// stories it is counted in begin when the stream resumes, not at the
// bucket the state log was left open at. Before, the word was recorded
// as counted from that bucket (the state's d.next), so a restart two
// hours after the stop found it "learned" for longer than its warm-up
// while its baseline, reset there, had counted nothing: the first
// ordinary hour of "strike" fired as a watched spike (rev35a).
func TestAWordAddedAfterADowntimeLearnsFromTheRestart(t *testing.T) {
	for _, down := range []time.Duration{0, 2 * time.Hour, 30 * time.Hour} {
		t.Run(down.String(), func(t *testing.T) {
			cfg := DefaultConfig()
			f := newFeed(cfg)
			f.d.TrackChanges(true)
			rng := rand.New(rand.NewPCG(35, 9))
			if as := strikeDay(f, 3, -1, rng); len(as) != 0 {
				t.Fatalf("unwatched, the ordinary strike stories alerted: %v", said(as))
			}
			cfg.Watch = []string{"strike"}
			f.d = restartWith(t, f, cfg)
			f.now = f.now.Add(down) // stopped for the edit
			if as := strikeDay(f, 3, -1, rng); len(as) != 0 {
				t.Errorf("watched from a restart after %s down, the ordinary strike stories alerted: %v", down, said(as))
			}
		})
	}
}
