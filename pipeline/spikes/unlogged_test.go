package spikes

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A detector whose changes nobody keeps (TrackChanges(false), `process`)
// reuses one observation for every story; it gives the alerts and
// reaches the state of one that keeps each story's observation: counts
// copy what they keep out of it, and a story's terms are not left to the
// next one (a repeated term, a story with fewer terms than the last).
func TestAnUnloggedDetectorReusingItsObservationAlertsAndEndsAsALoggedOne(t *testing.T) {
	logged, unlogged := newFeed(DefaultConfig()), newFeed(DefaultConfig())
	logged.d.TrackChanges(true)
	unlogged.d.TrackChanges(false)
	for _, f := range []*feed{logged, unlogged} {
		f.steady(4, rand.New(rand.NewPCG(3, 4)))
		burst(f, 12, 6, "person:zelensky", "summit", "kyiv")
		f.observe("AP", "summit")
		f.observe("BBC", "person:zelensky", "person:zelensky", "economy")
		burst(f, 9, 5, "strike")
		f.tick()
		f.tick()
	}
	a, _ := json.Marshal(logged.alerts)
	b, _ := json.Marshal(unlogged.alerts)
	if len(logged.alerts) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("alerts differ (%d logged, %d not):\n%s\n%s", len(logged.alerts), len(unlogged.alerts), a, b)
	}
	if sa, sb := snapshotOf(t, logged.d), snapshotOf(t, unlogged.d); !bytes.Equal(sa, sb) {
		t.Fatalf("the two detectors' snapshots differ (%d and %d bytes)", len(sa), len(sb))
	}
}

func snapshotOf(t *testing.T, d *Detector) []byte {
	t.Helper()
	var out []byte
	if err := d.Snapshot(func(e state.Entry) error {
		out = append(append(append(out, e.Key...), 0), e.Value...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
