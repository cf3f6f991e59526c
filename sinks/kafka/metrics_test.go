package kafka

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Each record type is a series at 0 on its topic from the sink's start
// (New calls startAtZero): the dead-letters alert
// (deploy/prometheus/alerts.yml) reads the increase of type="dead_letter",
// and a series born at 1 with the first dead letter has no increase, so
// the first dead letters would never fire it.
func TestEveryRecordTypeStartsAtZeroOnItsTopic(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TopicPrefix = "news."
	m := NewMetrics(nil)
	m.startAtZero(cfg)
	if n := testutil.CollectAndCount(m.produced); n != len(record.Types) {
		t.Fatalf("wirestream_kafka_records_produced_total has %d series after the sink's start, want one per record type (%d)", n, len(record.Types))
	}
	dl := cfg.TopicName(record.TypeDeadLetter)
	if dl != "news.dead_letters" { // the topic as configured, not the default
		t.Fatalf("dead letter topic %q: the prefix was not applied", dl)
	}
	if v := testutil.ToFloat64(m.produced.WithLabelValues(dl, string(record.TypeDeadLetter))); v != 0 {
		t.Errorf("dead letters on %s start at %v, want 0", dl, v)
	}
	if n := testutil.CollectAndCount(m.produced); n != len(record.Types) {
		t.Errorf("the dead letters' series was not among them: %d series now", n)
	}
}
