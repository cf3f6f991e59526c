package daemon

import (
	"context"
	"testing"
	"time"

	segkafka "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// A producer writing the items with transactions (exactly-once) ends
// each one with a marker that takes an offset and is no record: the
// processor, having read everything, commits the offset after its last
// record, and the log's end is one past the marker. The lag gauge (and
// `run`'s progress line, which reads it) said 1 there for ever, and one
// more for each transaction behind the committed offset. It counts the
// records the reader would be handed.
func TestTheLagCountsNoTransactionMarkers(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// Offsets 0–2, marker 3, 4–5, marker 6: the log ends at 7.
	kafkatest.TwoTransactions(t, brokers, topic)
	cl := &segkafka.Client{Addr: segkafka.TCP(brokers...), Timeout: 10 * time.Second}
	for _, tc := range []struct {
		committed, want int64
		what            string
	}{
		{6, 0, "everything read (the last record's next offset, the marker after it)"},
		{3, 2, "the first transaction read"},
		{4, 2, "the first transaction's marker read past"},
		{0, 5, "nothing read"},
	} {
		lag, err := itemsLag(ctx, cl, topic, tc.committed)
		if err != nil {
			t.Fatal(err)
		}
		if lag != tc.want {
			t.Errorf("committed %d, %s: lag %d, want %d", tc.committed, tc.what, lag, tc.want)
		}
	}
}

// When the fetch that counts the markers fails but the log's bounds were
// read, the lag is the offsets after the committed one, markers
// included: the gauge falls back to the figure it gave before markers
// were counted, instead of keeping a value from before the failure.
func TestTheLagFallsBackToTheOffsetsWhenTheMarkersCannotBeRead(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	kafkatest.TwoTransactions(t, brokers, topic)
	cl := &segkafka.Client{Addr: segkafka.TCP(brokers...), Timeout: 10 * time.Second,
		Transport: kafkatest.FailedFetches{Next: segkafka.DefaultTransport}}
	for _, tc := range []struct{ committed, want int64 }{{6, 1}, {3, 4}, {0, 7}} {
		lag, err := itemsLag(ctx, cl, topic, tc.committed)
		if err != nil {
			t.Fatalf("committed %d: %v, want the lag with the markers counted in", tc.committed, err)
		}
		if lag != tc.want {
			t.Errorf("committed %d, markers unread: lag %d, want %d (the offsets up to the log's end 7)", tc.committed, lag, tc.want)
		}
	}
}
