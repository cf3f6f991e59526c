package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	fetchAPI "github.com/segmentio/kafka-go/protocol/fetch"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TwoTransactions writes partition 0 of topic as a transactional
// (exactly-once) producer does: two committed transactions of 3 and 2
// records, offsets 0–2, marker 3, 4–5, marker 6. It returns once the log
// ends at 7 (the coordinator writes a transaction's marker after it
// answered EndTransaction), and fails the test if it does not within a
// minute or ends anywhere else.
func TwoTransactions(t testing.TB, brokers []string, topic string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pr, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topic),
		kgo.TransactionalID("two-transactions-"+topic), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
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
	cl, done := client(brokers)
	defer done()
	var end int64
	for end < 7 {
		ends, err := endOffsets(ctx, cl, topic, []kafka.Partition{{ID: 0}})
		if err == nil {
			end = ends[0]
		}
		if end >= 7 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the log never ended at 7 (five records and two markers): at %d, %v", end, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if end != 7 {
		t.Fatalf("the log ends at %d, want 7: five records and two markers", end)
	}
}

// ErrFetchRefused is what FailedFetches answers every fetch with.
var ErrFetchRefused = errors.New("kafkatest: fetch refused")

// FailedFetches is a kafka.RoundTripper that fails every fetch request
// and sends every other one on to Next: a client whose reads of records
// fail while its metadata and offsets answer.
type FailedFetches struct {
	Next kafka.RoundTripper
}

func (f FailedFetches) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, fetch := req.(*fetchAPI.Request); fetch {
		return nil, ErrFetchRefused
	}
	return f.Next.RoundTrip(ctx, addr, req)
}
