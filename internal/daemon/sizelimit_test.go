package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// The size limit passes a batch on in its order with the record over
// max_message_bytes replaced by its dead letter in its place, leaves the
// caller's slice as it was, stamps the batch's dead letters with one
// reading of the clock, and passes a batch with nothing over the limit
// on as it came.
func TestTheSizeLimitReplacesInPlaceOnACopyAndReadsTheClockOnceABatch(t *testing.T) {
	cfg := kafkasink.DefaultConfig()
	cfg.MaxMessageBytes = 8 << 10
	reads := 0
	t0 := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	sink := &keepSink{}
	s := &sizeLimit{next: sink, kafka: cfg, now: func() time.Time { reads++; return t0.Add(time.Duration(reads) * time.Second) }}

	big1, big2 := fixtures.Story(2), fixtures.Story(4)
	big1.Body, big2.Body = strings.Repeat("x", 16<<10), strings.Repeat("y", 16<<10)
	batch := []record.Record{fixtures.Story(1), big1, fixtures.Story(3), big2}
	in := append([]record.Record(nil), batch...)
	if err := s.Write(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	for i := range batch {
		if batch[i] != in[i] {
			t.Fatalf("the caller's record %d was replaced", i)
		}
	}
	if len(sink.recs) != 4 || sink.recs[0] != batch[0] || sink.recs[2] != batch[2] {
		t.Fatalf("written %d records, the fitting ones not in their places: %v", len(sink.recs), sink.recs)
	}
	for _, i := range []int{1, 3} {
		dl, ok := sink.recs[i].(*record.DeadLetter)
		if !ok || !strings.Contains(dl.Error, "max_message_bytes") {
			t.Fatalf("record %d: %T %+v, want the dead letter of the story over the limit", i, sink.recs[i], sink.recs[i])
		}
		if !dl.At.Equal(t0.Add(time.Second)) {
			t.Errorf("dead letter %d at %v, want the batch's one reading %v", i, dl.At, t0.Add(time.Second))
		}
	}
	if reads != 1 {
		t.Errorf("the clock read %d times for one batch", reads)
	}

	sink.recs = nil
	small := []record.Record{fixtures.Story(5), fixtures.Story(6)}
	if err := s.Write(t.Context(), small); err != nil {
		t.Fatal(err)
	}
	if len(sink.recs) != 2 || sink.recs[0] != small[0] || sink.recs[1] != small[1] {
		t.Fatalf("a batch within the limit written as %v", sink.recs)
	}
}
