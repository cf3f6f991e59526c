package kafkatable

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// The rules a partition writer with a producer identity relies on, on a real broker: a chunk
// sent again with its sequence (a retry of a batch that landed) is acknowledged and appended
// once; a writer that took the same transactional id's next epoch fences the first, whose
// next write the leader refuses (INVALID_PRODUCER_EPOCH or PRODUCER_FENCED) and which lands
// nothing.
func TestAProducerEpochDedupesItsRetriesAndANewerEpochFencesIt(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	txid := "test/" + tb.Topic() + "/0"
	old := partitionWriter(t, tb)
	id, err := old.InitProducer(ctx, txid)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.WriteChecked(ctx, nil, Entry{Key: []byte("a"), Value: []byte("1")}, Entry{Key: []byte("b"), Value: []byte("1")}); err != nil {
		t.Fatal(err)
	}
	// The same chunk again, from sequence 0: a retry of a batch that landed.
	pr := old.identity()
	if err := old.produceRaw(ctx, pr, 0, []kafka.Message{{Key: []byte("a"), Value: []byte("1")}, {Key: []byte("b"), Value: []byte("1")}}); err != nil {
		t.Fatalf("a retry of an appended chunk with its sequence: %v, want acknowledged", err)
	}
	if got := records(t, tb); len(got) != 2 {
		t.Fatalf("partition holds %q after a chunk and its retry, want its 2 records once", got)
	}

	newer := partitionWriter(t, tb)
	id2, err := newer.InitProducer(ctx, txid)
	if err != nil {
		t.Fatal(err)
	}
	if id2.ProducerID != id.ProducerID || id2.Epoch != id.Epoch+1 {
		t.Fatalf("the same transactional id again gave %+v after %+v, want the same producer id with the next epoch", id2, id)
	}
	if err := newer.WriteChecked(ctx, nil, Entry{Key: []byte("a"), Value: []byte("2")}); err != nil {
		t.Fatal(err)
	}
	err = old.WriteChecked(ctx, nil, Entry{Key: []byte("a"), Value: []byte("stale")})
	if !errors.Is(err, kafka.InvalidProducerEpoch) && !errors.Is(err, kafka.ProducerFenced) {
		t.Fatalf("the older epoch's write after the newer's: %v, want INVALID_PRODUCER_EPOCH or PRODUCER_FENCED", err)
	}
	if got := records(t, tb); len(got) != 3 || got[2] != "a=2" {
		t.Fatalf("partition holds %q, want a=1 b=1 a=2 (the fenced write refused)", got)
	}
}

// A sequence is an int32 that goes on from 0 after math.MaxInt32, as Kafka's does
// (DefaultRecordBatch.incrementSequence).
func TestASequenceWrapsAsKafkasDoes(t *testing.T) {
	for _, c := range []struct {
		base int32
		n    int
		want int32
	}{{0, 5, 5}, {math.MaxInt32 - 5, 5, math.MaxInt32}, {math.MaxInt32 - 4, 5, 0}, {math.MaxInt32, 1, 0}, {math.MaxInt32 - 1, 250, 248}} {
		if got := NextSequence(c.base, c.n); got != c.want {
			t.Errorf("NextSequence(%d, %d) = %d, want %d", c.base, c.n, got, c.want)
		}
	}
}

func partitionWriter(t *testing.T, tb *Table) *Writer {
	t.Helper()
	w, err := tb.NewPartitionWriter(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// records reads partition 0 as key=value strings.
func records(t *testing.T, tb *Table) []string {
	t.Helper()
	return recordsOf(t, tb, 0)
}

// recordsOf reads partition p as key=value strings.
func recordsOf(t *testing.T, tb *Table, p int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	first, end, err := tb.Bounds(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if _, err := tb.RestoreWithin(ctx, p, FirstOffset, first, end, func(r Record) error {
		got = append(got, string(r.Key)+"="+string(r.Value))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}
