package spikes

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Both alert states are series at 0 from the start: the spike alert
// (deploy/prometheus/alerts.yml) reads the increase of firing, and a series
// born at 1 with the first spike alert has no increase, so that alert
// would never fire it.
func TestBothAlertStatesStartAtZero(t *testing.T) {
	m := NewMetrics(nil)
	if n := testutil.CollectAndCount(m.alerts); n != 2 {
		t.Fatalf("a fresh wirestream_spikes_alerts_total has %d series, want firing and cleared", n)
	}
	for _, s := range []string{record.AlertFiring, record.AlertCleared} {
		if v := testutil.ToFloat64(m.alerts.WithLabelValues(s)); v != 0 {
			t.Errorf("state %q starts at %v, want 0", s, v)
		}
	}
}
