package daemon

import (
	"context"
	"fmt"
	"testing"
	"time"

	segkafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"

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
	pr, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topic),
		kgo.TransactionalID("lag-test-"+topic), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	// Two transactions of 3 and 2 records: offsets 0–2, marker 3, 4–5, marker 6.
	for tx, n := range []int{3, 2} {
		if err := pr.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			rec := &kgo.Record{Partition: 0, Value: fmt.Appendf(nil, "item %d.%d", tx, i)}
			if err := pr.ProduceSync(ctx, rec).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		if err := pr.EndTransaction(ctx, kgo.TryCommit); err != nil {
			t.Fatal(err)
		}
	}
	cl := &segkafka.Client{Addr: segkafka.TCP(brokers...), Timeout: 10 * time.Second}
	// The coordinator writes a transaction's markers after it answered
	// EndTransaction: wait for the second.
	var end int64
	waitFor(t, time.Minute, "the log never ended at 7: five records and two markers", func() bool {
		_, end, err = bounds(ctx, cl, topic)
		return err == nil && end >= 7
	})
	if end != 7 {
		t.Fatalf("the log ends at %d, want 7: five records and two markers", end)
	}
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
