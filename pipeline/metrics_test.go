package pipeline

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
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

// The items by outcome and the records by type are series at 0 from the
// start too: README and run's progress line name them, and a fresh scrape
// showed neither until the first story.
func TestEveryItemOutcomeAndRecordTypeStartsAtZero(t *testing.T) {
	m := NewMetrics(nil)
	if n := testutil.CollectAndCount(m.Items); n != 5 {
		t.Errorf("a fresh wirestream_pipeline_items_total has %d series, want new, revision, duplicate, unchanged and dead_letter", n)
	}
	if n := testutil.CollectAndCount(m.Records); n != len(record.Types) {
		t.Errorf("a fresh wirestream_pipeline_records_total has %d series, want one per record type (%d)", n, len(record.Types))
	}
	if v := testutil.ToFloat64(m.Records.WithLabelValues(string(record.TypeStory))); v != 0 {
		t.Errorf("stories start at %v, want 0", v)
	}
}
