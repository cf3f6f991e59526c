package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// NewPipeline wires the spike detector to the clusterer
// (spikes.Detector.FollowMerges): an alert names the event each counted
// story is in when the alert is made, not the id the story carried when
// it was counted, which a later merge may have retired.
func TestNewPipelineAlertsNameTheClusterersEvents(t *testing.T) {
	cfg := config.Default()
	cfg.Spikes.Warmup = 0
	cfg.Spikes.Watch = []string{"quake"}
	ctx := context.Background()
	pl, err := NewPipeline(ctx, cfg, nil, &collect{}, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Store.Close()
	t0 := time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)
	pl.Spikes.Advance(t0) // starts the detector's buckets
	var live []string
	for i := range 3 {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		s := &record.Story{ID: fmt.Sprintf("s%d", i), Title: "Strong quake hits the coast of Chile", Publisher: fmt.Sprintf("p%d.example", i),
			Published: at, FirstSeen: at, FetchedAt: at, Keywords: []string{"quake"}}
		live = append(live, pl.Events.Assign(s))
		s.EventID = "e_retired" // as if counted before a merge moved the story
		pl.Spikes.Observe(s)
	}
	var got *record.Alert
	for _, a := range pl.Spikes.Advance(t0.Add(2 * cfg.Spikes.Bucket)) {
		if a.Term == "quake" {
			got = a
		}
	}
	if got == nil {
		t.Fatal("no alert for the watched term")
	}
	if slices.Contains(got.EventIDs, "e_retired") || !slices.Contains(got.EventIDs, live[0]) {
		t.Errorf("alert names %v; want the clusterer's events %v, not the id the stories were counted under", got.EventIDs, live)
	}
}
