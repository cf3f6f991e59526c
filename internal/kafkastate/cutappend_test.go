package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// An append cut by its fence on a hung leader sends one produce request, the one on the wire
// when the generation ended, and so holds its admission for one produce timeout. 249 entries of
// 10 + 3,984 bytes are 1,000,233 bytes as kafka-go counts them: were the changelog's chunks to
// count a byte less a message, they would be one chunk that kafka-go sends as two batches, one
// after another with no fence check between them, and the cut append would wait two produce
// timeouts (review18, finding 1; its test, asserting on the produce requests rather than time).
func TestACutAppendOnAHungLeaderSendsOneProduceRequest(t *testing.T) {
	var produces atomic.Int32
	l, leader, armed := openOnHungLeader(t, kafkatable.Options{WriteTimeout: 2 * time.Second, WriteAttempts: 1}, func() { produces.Add(1) })
	defer releaseAndWait(t, leader)
	es := make([]state.Entry, 249)
	for i := range es {
		es[i] = state.Entry{Table: state.Stories, Key: fmt.Appendf(nil, "key%06d", i), Value: make([]byte, 3984)}
	}
	leader.Hang()
	armed.Store(true)
	err := l.Append(context.Background(), es)
	t.Logf("the cut append returned: %v", err)
	if n := produces.Load(); n != 1 {
		t.Errorf("the cut append sent %d produce requests after its generation ended, want 1 (the one on the wire): %v", n, err)
	}
}

// The fence, not the produce timeout, ends a cut append's wait for a hung leader: with a produce
// timeout of an hour, the append returns once its generation ends, the leader still hanging. On
// main the batch on the wire was waited for to its timeout (kafka-go's Writer does not give up a
// batch it was handed), which is why round 16 had to keep that timeout short.
func TestTheFenceEndsACutAppendsWaitForAHungLeader(t *testing.T) {
	l, leader, armed := openOnHungLeader(t, kafkatable.Options{WriteTimeout: time.Hour}, func() {})
	defer releaseAndWait(t, leader)
	leader.Hang()
	armed.Store(true)
	done := make(chan error, 1)
	go func() {
		done <- l.Append(context.Background(), []state.Entry{{Table: state.Stories, Key: []byte("a"), Value: []byte("1")}})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "generation 7 ended") {
			t.Errorf("the cut append returned %v, want the fence's error", err)
		}
	case <-time.After(3 * time.Minute):
		t.Fatal("the fenced append still waits for the hung leader after 3 min: the fence did not end its produce's wait")
	}
	if n := leader.Held(); n != 1 {
		t.Errorf("the hung leader held %d produce requests, want the one on the wire", n)
	}
}

// openOnHungLeader opens a fenced log of a new partition whose produce requests go through a
// HungLeader, with table's options. Once armed is set, the generation ends as each produce
// request passes the fence's check on its way (produced is called then): the request is on the
// wire when the generation ends. Release the leader when done.
func openOnHungLeader(t *testing.T, table kafkatable.Options, produced func()) (*Log, *kafkatest.HungLeader, *atomic.Bool) {
	t.Helper()
	f := newFixture(t, 1)
	var ended, armed atomic.Bool
	leader := &kafkatest.HungLeader{}
	fence := func() error {
		if ended.Load() {
			return errors.New("generation 7 ended")
		}
		return nil
	}
	table.WrapWrites = func(rt kafka.RoundTripper) kafka.RoundTripper {
		leader.Next = rt
		return roundTripFunc(func(ctx context.Context, a net.Addr, r kafka.Request) (kafka.Response, error) {
			if kafkatest.IsProduce(r) && armed.Load() {
				produced()
				ended.Store(true)
			}
			return leader.RoundTrip(ctx, a, r)
		})
	}
	l, _, _ := f.open(0, Options{
		Fence: fence,
		Hold: func(context.Context) (func(), error) {
			if err := fence(); err != nil {
				return nil, err
			}
			return func() {}, nil
		},
		Table: table,
	})
	return l, leader, &armed
}

// releaseAndWait releases the leader and waits until the requests it held are answered: a
// request sent on once the log's transport is closed would open connections nobody closes (the
// cut chunk's request is no longer cancelled with its write: it goes on to its WriteTimeout).
func releaseAndWait(t *testing.T, leader *kafkatest.HungLeader) {
	t.Helper()
	leader.Release()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := leader.Wait(ctx); err != nil {
		t.Errorf("the requests the leader held were not answered a minute after its release: %v", err)
	}
}
