package eventeval

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestByTimeMixedShufflesOnlyInsideABurst: the mixed time order keeps
// the clock running forward on the real timestamps, moves no document
// out of its burst (a story of seconds stays where it was in the
// stream), and differs between seeds inside a burst.
func TestByTimeMixedShufflesOnlyInsideABurst(t *testing.T) {
	t0 := time.Date(2014, 3, 10, 12, 0, 0, 0, time.UTC)
	var docs []doc
	// three bursts of 8 headlines each, 10 seconds apart inside a burst
	// and an hour apart between bursts, given out of order
	for b := 2; b >= 0; b-- {
		for i := 7; i >= 0; i-- {
			docs = append(docs, doc{label: fmt.Sprint("story", b), ts: t0.Add(time.Duration(b)*time.Hour + time.Duration(i)*10*time.Second)})
			docs[len(docs)-1].item.Title = fmt.Sprintf("s%d-%d", b, i)
		}
	}
	byTime := stream(docs, OrderByTime, 0, t0, 0)
	orders := map[string]bool{}
	for _, seed := range []uint64{1, 2, 3} {
		got := stream(docs, OrderByTimeMixed, seed, t0, 0)
		if len(got) != len(docs) {
			t.Fatalf("seed %d: %d documents, want %d", seed, len(got), len(docs))
		}
		var titles []string
		for i, d := range got {
			if !d.item.PublishedParsed.Equal(*byTime[i].item.PublishedParsed) {
				t.Errorf("seed %d: position %d at %v, want the real time order's %v", seed, i, d.item.PublishedParsed, byTime[i].item.PublishedParsed)
			}
			if d.label != byTime[i].label {
				t.Errorf("seed %d: position %d holds %s from another burst than %s", seed, i, d.label, byTime[i].label)
			}
			titles = append(titles, d.item.Title)
		}
		orders[fmt.Sprint(titles)] = true
		var sorted []string
		for _, d := range byTime {
			sorted = append(sorted, d.item.Title)
		}
		if slices.Equal(titles, sorted) {
			t.Errorf("seed %d: the order inside the bursts is the real one", seed)
		}
	}
	if len(orders) != 3 {
		t.Errorf("3 seeds gave %d orders, want 3", len(orders))
	}
}
