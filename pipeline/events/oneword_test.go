package events

import (
	"testing"
	"time"
)

// A story whose only common ground with an event is one plain word needs
// oneWordBar times the threshold to join it; the same score with a
// shared name beside the word joins at the threshold.
func TestAOneWordJoinNeedsTheHigherBar(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ents  []string
		joins bool
	}{
		{"one plain word", nil, false},
		{"the word and a shared name", []string{"place:gr"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig(), nil)
			quake := c.AddStory(story("s1", "Wire", 0, "Earthquake strikes western Greece", "", "place:gr"))
			c.AddStory(story("s2", "Wire", time.Minute, "Tourism ministers meet in Lisbon", ""))
			var score float64
			c.Trace(func(d *Decision) { score = d.Against(quake.ID).Score })
			got := c.AddStory(story("s3", "Daily", 2*time.Minute, "Earthquake drill held at schools", "", tc.ents...))
			c.Trace(nil)
			T := c.cfg.Threshold
			t.Logf("score %.3f (threshold %.3f)", score, T)
			if tc.ents == nil && !(score >= T && score < oneWordBar*T) {
				t.Fatalf("the one-word story scores %.3f against the event: the test needs it in [%.3f, %.3f)", score, T, oneWordBar*T)
			}
			if joined := got.ID == quake.ID; joined != tc.joins {
				t.Errorf("joined the quake event: %v, want %v (score %.3f)", joined, tc.joins, score)
			}
		})
	}
}
