package kafkatable

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// On the wire, a chunk whose wait WriteChecked's context cut still lands: the request left the
// client, and the leader that held it appends it when it wakes (kfake: the produce sleeps in the
// broker, on its own connection, while the caller gives up). WriteChecked says so — the chunk is
// OnTheWire, not Acknowledged — and Settle then waits for its answer and counts it written, so
// that a caller does not write it again after it (review21, F0). A second write, made while the
// first still sleeps, gets through on a connection of its own. Both writes pass a nil check,
// which WriteChecked takes as none (review21, L4: it panicked).
func TestACutChunkThatLandsLateIsSettledAsWritten(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "state"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: c.ListenAddrs()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tb, err := Open(ctx, cn, "state", Options{WriteTimeout: 30 * time.Second}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	w, err := tb.NewPartitionWriter(0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	held, wake := make(chan struct{}), make(chan struct{})
	var slept atomic.Bool
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		if slept.CompareAndSwap(false, true) {
			close(held)
			c.SleepControl(func() { <-wake })
			return nil, nil, false // then appended as the broker does
		}
		c.KeepControl()
		return nil, nil, false
	})
	defer func() {
		if !closed(wake) {
			close(wake)
		}
	}()

	cut, stop := context.WithCancelCause(ctx)
	go func() {
		<-held
		stop(errors.New("generation 7 ended"))
	}()
	err = w.WriteChecked(cut, nil, Entry{Key: []byte("k"), Value: []byte("old")})
	var pe *PartialWriteError
	if !errors.As(err, &pe) || pe.Acknowledged != 0 || pe.OnTheWire != 1 {
		t.Fatalf("the write cut while its chunk was held = %v (%+v), want 0 acknowledged and 1 on the wire", err, pe)
	}
	if err := w.WriteChecked(ctx, nil, Entry{Key: []byte("other"), Value: []byte("1")}); err != nil {
		t.Fatalf("a write while the cut one is held: %v", err)
	}
	close(wake)
	if n := pe.Settle(ctx); n != 1 {
		t.Fatalf("Settle = %d once the held chunk was appended, want 1", n)
	}
	first, end, err := tb.Bounds(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if _, err := tb.RestoreWithin(ctx, 0, FirstOffset, first, end, func(r Record) error {
		keys = append(keys, string(r.Key)+"="+string(r.Value))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("partition 0 holds %q", keys)
	if len(keys) != 2 || keys[1] != "k=old" {
		t.Errorf("partition 0 holds %q, want the held chunk appended after the later write", keys)
	}
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
