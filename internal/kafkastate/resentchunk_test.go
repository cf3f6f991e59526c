package kafkastate

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/produce"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// failOnce answers the first produce request after armed is set with
// NOT_ENOUGH_REPLICAS_AFTER_APPEND: after the broker appended it when landed is set (a leader
// whose in-sync replicas shrank while it waited for them), without sending it on otherwise.
type failOnce struct {
	next          kafka.RoundTripper
	armed, landed *atomic.Bool
}

func (h failOnce) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*produce.Request); !ok || !h.armed.CompareAndSwap(true, false) {
		return h.next.RoundTrip(ctx, addr, req)
	}
	if h.landed.Load() {
		if _, err := h.next.RoundTrip(ctx, addr, req); err != nil {
			return nil, err
		}
	}
	return nil, kafka.NotEnoughReplicasAfterAppend
}

// openResent opens and restores partition 0 as the processor does (a group fence, so writes go
// through WriteChecked), the coordinator away (restored without an epoch, the late epoch due
// after a second), its logs in logs and its first produce request after armed failing once.
func openResent(t *testing.T, f *fixture, armed, landed *atomic.Bool) (*Log, *lockedBuffer, *atomic.Bool) {
	t.Helper()
	_, o, away, _, _ := awayFence(t, time.Second)
	logs := new(lockedBuffer)
	o.Log = slog.New(slog.NewTextHandler(logs, nil))
	o.Fence = func() error { return nil }
	wrap := o.Table.WrapWrites
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return failOnce{next: wrap(next), armed: armed, landed: landed}
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if l.epoch != nil {
		t.Fatal("restored with an epoch, the coordinator away")
	}
	return l, logs, away
}

// A changelog write without a producer id that failed once after the leader had appended it
// (NOT_ENOUGH_REPLICAS_AFTER_APPEND, a request timed out) is sent again and lands twice: no
// producer id, no sequence to tell the retry from a new batch. The write succeeds, so its records
// were counted once, and the partition's end past that count read as another writer: the late
// epoch's look warned that "another writer wrote the partition" (and the sink's likewise) on a
// processor that was its partition's only writer. Its own count cannot tell: it says that (INFO)
// and takes no epoch, as after a write that failed.
func TestALateEpochAfterAChunkSentTwiceBlamesNoOtherWriter(t *testing.T) {
	f := newFixture(t, 1)
	armed, landed := new(atomic.Bool), new(atomic.Bool)
	landed.Store(true)
	l, logs, away := openResent(t, f, armed, landed)
	away.Store(false)
	time.Sleep(epochRetry) // the late epoch falls due
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, before, err := l.t.Bounds(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	armed.Store(true)
	appendKV(t, l, state.Stories, "k", "v")
	if armed.Load() {
		t.Fatal("the append's produce request was not failed")
	}
	_, after, err := l.t.Bounds(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after-before != 2 {
		t.Fatalf("the partition grew by %d records, want 2: the one record, landed twice", after-before)
	}
	if strings.Contains(logs.String(), LateEpochBarredMsg) {
		t.Errorf("the Log, the partition's only writer, logged %q:\n%s", LateEpochBarredMsg, logs.String())
	}
	if !l.OwnCountLost() {
		t.Error("OwnCountLost is false after a chunk of its own was sent twice: the sink's late ask blames another writer (SinkLateEpochBarredMsg)")
	}
	if l.epoch != nil {
		t.Errorf("took epoch %+v, its own count unable to rule another writer out", l.epoch)
	}
}

// A chunk sent again whose first request did not land after all (answered
// NOT_ENOUGH_REPLICAS_AFTER_APPEND without the append) lands once: the count still equals the
// partition's end, and the late epoch is taken — though the count was marked maybe short
// (OwnCountLost), an end equal to it proves a sole writer (owncount.go).
func TestALateEpochAfterAChunkSentAgainThatLandedOnceIsTaken(t *testing.T) {
	f := newFixture(t, 1)
	armed, landed := new(atomic.Bool), new(atomic.Bool)
	l, _, away := openResent(t, f, armed, landed)
	away.Store(false)
	time.Sleep(epochRetry)
	armed.Store(true)
	appendKV(t, l, state.Stories, "k", "v")
	if armed.Load() {
		t.Fatal("the append's produce request was not failed")
	}
	if l.epoch == nil {
		t.Errorf("the chunk landed once: no epoch taken (count maybe short: %v); want the epoch taken", l.OwnCountLost())
	}
}
