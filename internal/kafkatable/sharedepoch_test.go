package kafkatable

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// What fencing the sink's output partitions with one producer identity per items partition
// would rely on (BENCHMARKS.md round 21, fence21), pinned on a real broker: one producer id and
// epoch writes to several partitions, each with its own sequence from 0; a newer epoch of the
// same transactional id fences a partition only from the newer owner's first write *there* —
// an older-epoch batch that lands on a partition the newer owner has not written yet is
// appended (before anything of the newer owner on that partition, so it never goes after it),
// and one that lands after the newer owner's first write there is refused. So no marker record
// on every output partition is needed for the rule "nothing of the old owner lands on a
// partition after the new owner's records", and none is written.
func TestANewerEpochFencesAPartitionFromTheNewerOwnersFirstWriteThere(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	txid := "test/" + tb.Topic() + "/shared"
	oldOn := [2]*Writer{partitionWriter(t, tb), partitionWriterOf(t, tb, 1)}
	id, err := oldOn[0].InitProducer(ctx, txid)
	if err != nil {
		t.Fatal(err)
	}
	oldOn[1].shareProducer(id) // the same producer id and epoch, partition 1's own sequence
	for p, w := range oldOn {
		if err := w.WriteChecked(ctx, nil, Entry{Key: []byte{'a' + byte(p)}, Value: []byte("old")}); err != nil {
			t.Fatalf("the old owner's first write to partition %d: %v", p, err)
		}
	}

	newOn := [2]*Writer{partitionWriter(t, tb), partitionWriterOf(t, tb, 1)}
	id2, err := newOn[0].InitProducer(ctx, txid)
	if err != nil {
		t.Fatal(err)
	}
	newOn[1].shareProducer(id2)
	if err := newOn[0].WriteChecked(ctx, nil, Entry{Key: []byte("a"), Value: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	// Partition 1 has not seen the newer epoch: the older one's batch is appended there.
	if err := oldOn[1].WriteChecked(ctx, nil, Entry{Key: []byte("b"), Value: []byte("old-before-new")}); err != nil {
		t.Fatalf("the older epoch's write to a partition the newer owner has not written: %v, want appended", err)
	}
	if err := newOn[1].WriteChecked(ctx, nil, Entry{Key: []byte("b"), Value: []byte("new")}); err != nil {
		t.Fatalf("the newer epoch's first write to partition 1, from sequence 0: %v", err)
	}
	for p, w := range oldOn {
		err := w.WriteChecked(ctx, nil, Entry{Key: []byte{'a' + byte(p)}, Value: []byte("stale")})
		if !errors.Is(err, kafka.InvalidProducerEpoch) && !errors.Is(err, kafka.ProducerFenced) {
			t.Errorf("the older epoch's write to partition %d after the newer's first write there: %v, want INVALID_PRODUCER_EPOCH or PRODUCER_FENCED", p, err)
		}
	}
	want := [2][]string{{"a=old", "a=new"}, {"b=old", "b=old-before-new", "b=new"}}
	for p := range want {
		if got := recordsOf(t, tb, p); !slices.Equal(got, want[p]) {
			t.Errorf("partition %d holds %q, want %q", p, got, want[p])
		}
	}
}

// shareProducer makes w write with id from sequence 0: another partition's writer of the same
// producer (InitProducer once, for every partition it writes).
func (w *Writer) shareProducer(id Identity) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.producer = &producer{id: id.ProducerID, epoch: id.Epoch}
}

func partitionWriterOf(t *testing.T, tb *Table, p int) *Writer {
	t.Helper()
	w, err := tb.NewPartitionWriter(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// Two more broker rules the sink fence's design relies on (BENCHMARKS.md round 21, fence21):
// a batch the leader refuses as too large takes no sequence (the same sequence then carries
// the records split smaller), and a batch whose sequence skips one the leader never got is
// refused as out of order — so a writer that does not know whether a batch landed cannot go on
// at the next sequence, and takes a new epoch instead.
func TestATooLargeBatchTakesNoSequenceAndAGapIsRefused(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := partitionWriter(t, tb)
	if _, err := w.InitProducer(ctx, "test/"+tb.Topic()+"/0"); err != nil {
		t.Fatal(err)
	}
	pr := w.identity()
	// Over the broker's default max.message.bytes (1 MiB, per batch) once compressed: random.
	big := make([]byte, 2<<20)
	rand.NewChaCha8([32]byte{}).Read(big)
	err := w.produceRaw(ctx, pr, 0, []kafka.Message{{Key: []byte("a"), Value: big}})
	if !errors.Is(err, kafka.MessageSizeTooLarge) && !errors.Is(err, kafka.RecordListTooLarge) {
		t.Fatalf("a 2 MiB batch: %v, want MESSAGE_TOO_LARGE or RECORD_LIST_TOO_LARGE", err)
	}
	if err := w.produceRaw(ctx, pr, 0, []kafka.Message{{Key: []byte("a"), Value: []byte("1")}}); err != nil {
		t.Fatalf("sequence 0 again after the refused batch: %v, want appended", err)
	}
	err = w.produceRaw(ctx, pr, 2, []kafka.Message{{Key: []byte("c"), Value: []byte("1")}})
	if !errors.Is(err, kafka.OutOfOrderSequenceNumber) {
		t.Fatalf("sequence 2 after 0 (1 never sent): %v, want OUT_OF_ORDER_SEQUENCE", err)
	}
	if got := records(t, tb); !slices.Equal(got, []string{"a=1"}) {
		t.Fatalf("partition holds %q, want a=1 alone", got)
	}
}
