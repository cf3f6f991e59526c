package pipeline

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Every batch result is a series at 0 from the start: the batches-failing
// alert (deploy/prometheus/alerts.yml) reads the rate of failed and
// commit_error, and a series born at 1 at the first failed batch has no
// rate, so that batch would never fire it.
func TestEveryBatchResultStartsAtZero(t *testing.T) {
	m := NewMetrics(nil)
	if n := testutil.CollectAndCount(m.Batches); n != 3 {
		t.Fatalf("a fresh wirestream_pipeline_batches_total has %d series, want committed, failed and commit_error", n)
	}
	for _, r := range []string{"committed", "failed", "commit_error"} {
		if v := testutil.ToFloat64(m.Batches.WithLabelValues(r)); v != 0 {
			t.Errorf("result %q starts at %v, want 0", r, v)
		}
	}
}
