package clusterstatus

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// An idle processor behind a producer writing with transactions has
// committed the offset after its last record, one short of the log's end
// (the last transaction's marker): status said "1 to decide" for ever.
// It counts the records a consumer would be handed, as the lag gauge does.
func TestStatusCountsNoTransactionMarkersToDecide(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// Offsets 0–2, marker 3, 4–5, marker 6: the log ends at 7.
	kafkatest.TwoTransactions(t, brokers, topic)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	cl := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	for _, tc := range []struct {
		committed, want int64
		what            string
	}{
		{6, 0, "everything read"},
		{3, 2, "the first transaction read"},
		{-1, 5, "nothing committed"},
	} {
		group := topic + "-processors"
		if tc.committed >= 0 {
			group += "-" + string(rune('0'+tc.committed))
			commitOffset(t, ctx, cl, group, topic, tc.committed)
		}
		st, err := Read(ctx, cn, []Group{{Role: Processors, ID: group, Topic: topic, Offsets: true}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := st[0].Partitions[0].Offsets
		if o.End != 7 || o.Lag != tc.want || o.LagIncludesMarkers != "" {
			t.Errorf("committed %d, %s: %+v, want end 7, %d to decide, the markers counted", tc.committed, tc.what, *o, tc.want)
		}
	}
}

// A failed fetch of the markers leaves the offsets up to the end, markers
// included, and the report says so.
func TestStatusSaysTheMarkersAreIncludedWhenItCannotReadThem(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	kafkatest.TwoTransactions(t, brokers, topic)
	cl := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second,
		Transport: kafkatest.FailedFetches{Next: kafka.DefaultTransport}}
	o := &Offsets{Committed: 6, End: 7}
	o.Lag = o.lag()
	o.countRecords(ctx, cl, topic, 0)
	if o.Lag != 1 || !strings.Contains(o.LagIncludesMarkers, kafkatest.ErrFetchRefused.Error()) {
		t.Fatalf("markers unread: %+v, want 1 to decide and the fetch's error", *o)
	}
	var b strings.Builder
	g := GroupStatus{Group: Group{Role: Processors, ID: "g", Topic: topic}, State: "Stable",
		Members:    []Member{{Instance: "p1", Partitions: []int{0}}},
		Partitions: []Partition{{ID: 0, Owner: "p1", Offsets: o}}}
	if err := WriteText(&b, []GroupStatus{g}); err != nil {
		t.Fatal(err)
	}
	if want := "partition 0: committed offset 6, end offset 7: 1 to decide, transaction markers included ("; !strings.Contains(b.String(), want) {
		t.Errorf("report:\n%s\nwant a line with %q", b.String(), want)
	}
}

// commitOffset commits offset for partition 0 of topic in group, as a
// consumer outside the group's generations does; it tries again while
// the coordinator is not ready (a fresh broker creates __consumer_offsets
// on the first group it is asked about).
func commitOffset(t *testing.T, ctx context.Context, cl *kafka.Client, group, topic string, offset int64) {
	t.Helper()
	for {
		res, err := cl.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1,
			Topics: map[string][]kafka.OffsetCommit{topic: {{Partition: 0, Offset: offset}}}})
		if err == nil && res.Topics[topic][0].Error != nil {
			err = res.Topics[topic][0].Error
		}
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("commit offset %d of group %s: %v", offset, group, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
