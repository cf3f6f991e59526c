package epochsink_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// refusingLeader answers every produce request as a leader being elected (nothing appended)
// while refusing holds, and, as a connection does, gives a request whose context already ended
// nothing but the context's error.
type refusingLeader struct {
	next     kafka.RoundTripper
	refusing atomic.Bool
	// refused, when set, is told of every refusal after it is made.
	refused func()
}

func (r *refusingLeader) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if !kafkatest.IsProduce(req) || !r.refusing.Load() {
		return r.next.RoundTrip(ctx, addr, req)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.refused != nil {
		r.refused()
	}
	return nil, kafka.NotLeaderForPartition
}

// A write whose context ends while its batch waits to be resent after "not appended" refusals
// (a drain's deadline during a leader election) has nothing on the wire: it returns with the
// refusal, and the writer goes on. Sending once more on the ended context made that send's
// outcome unknown — as if the batch might have landed — and stopped the writer, which costs the
// processor a restore from the changelog.
//
// The write's context ends half a second after the first refusal, while the writer waits out a
// ten-second backoff before its resend: a wall-clock deadline instead could land between the
// wait and the resend on a starved box (load 50, round 38's CI), which is the race a real
// drain cannot avoid either, not the defect this test is about.
func TestAWriteCutWhileWaitingToResendANotAppendedBatchDoesNotStopTheWriter(t *testing.T) {
	tr := &refusingLeader{}
	s, cfg := newSinkRetrying(t, func(rt kafka.RoundTripper) kafka.RoundTripper {
		tr.next = rt
		return tr
	}, 10*time.Second)
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var once sync.Once
	tr.refused = func() {
		once.Do(func() { time.AfterFunc(500*time.Millisecond, cancel) })
	}
	tr.refusing.Store(true)
	msg := kafka.Message{Topic: cfg.TopicName(record.TypeStory), Key: []byte("k"), Value: []byte("v")}
	err := w.WriteMessages(ctx, msg)
	var we kafka.WriteErrors
	if !errors.As(err, &we) || w.Stopped() != nil {
		t.Fatalf("a write cut while resending a not-appended batch: %v (stopped: %v), want its refusal, the writer going on", err, w.Stopped())
	}
	tr.refusing.Store(false)
	if err := w.WriteMessages(t.Context(), msg); err != nil {
		t.Fatalf("the next write: %v", err)
	}
}
