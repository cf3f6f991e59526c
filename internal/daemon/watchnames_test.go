package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// NewPipeline has the detector resolve the watch list's names through
// the enrichment's gazetteer: `watch: [Britain]` watches place:gb, the key
// the stories carry however they spelt the country ("United Kingdom",
// "U.K."), and `watch: [US]` place:us. Before, such a name watched only
// its own spelling as a word (and the entity keys that spell it,
// place:britain), so three stories on the United Kingdom from three
// publishers stayed under the unwatched bars: no alert. `watch: [AI]`
// still watches no Anguilla (place:ai): "AI" is no name of it.
func TestNewPipelineWatchesAGazetteerEntityByAnotherOfItsNames(t *testing.T) {
	for _, tc := range []struct {
		watch, key, name string
		watched          bool
	}{
		{"Britain", "place:gb", "United Kingdom", true},
		{"UK", "place:gb", "United Kingdom", true},
		{"US", "place:us", "United States", true},
		{"America", "place:us", "United States", true},
		{"AI", "place:ai", "Anguilla", false},
	} {
		t.Run(tc.watch, func(t *testing.T) {
			cfg := config.Default()
			cfg.Spikes.Warmup = 0
			cfg.Spikes.Watch = []string{tc.watch}
			pl, err := NewPipeline(context.Background(), cfg, nil, &collect{}, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			defer pl.Store.Close()
			t0 := time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)
			pl.Spikes.Advance(t0)
			for i := range 3 {
				at := t0.Add(time.Duration(i+1) * time.Minute)
				pl.Spikes.Observe(&record.Story{ID: fmt.Sprintf("s%d", i), Title: "Strikes spread", Publisher: fmt.Sprintf("p%d.example", i),
					Published: at, FirstSeen: at, FetchedAt: at,
					Entities: []record.Entity{{Key: tc.key, Name: tc.name, Kind: "place"}}})
			}
			var got *record.Alert
			for _, a := range pl.Spikes.Advance(t0.Add(2 * cfg.Spikes.Bucket)) {
				if a.Term == tc.key {
					got = a
				}
			}
			if !tc.watched {
				if got != nil {
					t.Errorf("alert %+v: %s judged as watched by %q", got, tc.key, tc.watch)
				}
				return
			}
			if got == nil || !got.Watched || got.State != record.AlertFiring {
				t.Fatalf("alert for %s: %+v; want it firing, watched by %q", tc.key, got, tc.watch)
			}
		})
	}
}
