package kafkatable_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// coordinatorOnce answers the first InitProducerID with fail (a Kafka error code in the answer,
// or any other error as the request's own failure) and every later one with an epoch.
type coordinatorOnce struct {
	fail  error
	asked atomic.Int32
}

func (c *coordinatorOnce) RoundTrip(ctx context.Context, _ net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); !ok {
		return nil, errors.New("not an InitProducerID")
	}
	if c.asked.Add(1) > 1 {
		return &initproducerid.Response{ProducerID: 7, ProducerEpoch: 3}, nil
	}
	var ke kafka.Error
	if errors.As(c.fail, &ke) {
		return &initproducerid.Response{ErrorCode: int16(ke)}, nil
	}
	return nil, c.fail
}

// coordinatorAlways answers every InitProducerID with code after delay (the request's context
// ending first: its error), or never when code is 0.
type coordinatorAlways struct {
	code  kafka.Error
	delay time.Duration
}

func (c *coordinatorAlways) RoundTrip(ctx context.Context, _ net.Addr, req kafka.Request) (kafka.Response, error) {
	if c.code == 0 {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(c.delay):
		return &initproducerid.Response{ErrorCode: int16(c.code)}, nil
	}
}

// askers are the two callers of InitProducerID: the sink fence (epochsink.Open) and the state
// changelog's fence (kafkatable.Writer.InitProducer).
var askers = []struct {
	name string
	ask  func(ctx context.Context, rt kafka.RoundTripper) (kafkatable.Identity, error)
}{
	{"sink", func(ctx context.Context, rt kafka.RoundTripper) (kafkatable.Identity, error) {
		w, err := epochsink.Open(ctx, wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: rt}, "wirestream-sink/g/items/0")
		if err != nil {
			return kafkatable.Identity{}, err
		}
		return w.Identity(), nil
	}},
	{"changelog", func(ctx context.Context, rt kafka.RoundTripper) (kafkatable.Identity, error) {
		return kafkatable.PartitionWriterOver(rt).InitProducer(ctx, "wirestream-state/g/changelog/0")
	}},
}

// Which failures of InitProducerID each fence asks again (quietly, until its caller's bound)
// and which end the ask at once, pinned for both callers so that one loop serves both without
// changing either. Both retry the coordinator's passing answers (loading, moving, not there
// yet, an earlier epoch's work finishing), Kafka's retriable codes and the network's failures;
// both end at once on the ACLs' refusal (auto's fallback reads it) and on any other Kafka code.
// They differ on an error neither Kafka nor the network names (a TLS handshake refused, a
// request cut by a cancelled context): the sink retries it until its bound, the changelog fails.
func TestEachInitProducerIDFailureIsRetriedOrFinalAsEachFenceSays(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	const retried, final = true, false
	for _, c := range []struct {
		name            string
		err             error
		sink, changelog bool
	}{
		{"coordinator loading", kafka.GroupLoadInProgress, retried, retried},
		{"coordinator not available", kafka.GroupCoordinatorNotAvailable, retried, retried},
		{"coordinator moved", kafka.NotCoordinatorForGroup, retried, retried},
		{"concurrent transactions", kafka.ConcurrentTransactions, retried, retried},
		{"a retriable Kafka code (not controller)", kafka.NotController, retried, retried},
		{"a request timed out (Kafka code)", kafka.RequestTimedOut, retried, retried},
		{"ACL: transactional id", kafka.TransactionalIDAuthorizationFailed, final, final},
		{"ACL: cluster", kafka.ClusterAuthorizationFailed, final, final},
		{"another Kafka code", kafka.InvalidTransactionTimeout, final, final},
		{"a refused connection", refused, retried, retried},
		{"a request's own deadline", context.DeadlineExceeded, retried, retried},
		{"a connection cut mid-answer", io.ErrUnexpectedEOF, retried, retried},
		{"a broker name not resolving", &net.DNSError{Err: "no such host", Name: "kafka-0", IsNotFound: true}, retried, retried},
		{"a cancelled context", context.Canceled, retried, final},
		{"anything else", errors.New("tls: handshake failure"), retried, final},
	} {
		for _, a := range askers {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				want := c.changelog
				if a.name == "sink" {
					want = c.sink
				}
				rt := &coordinatorOnce{fail: c.err}
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				id, err := a.ask(ctx, rt)
				switch {
				case want == retried && (err != nil || id != kafkatable.Identity{ProducerID: 7, Epoch: 3}):
					t.Errorf("want asked again and the epoch taken, got %+v, %v after %d ask(s)", id, err, rt.asked.Load())
				case want == final && (err == nil || rt.asked.Load() != 1):
					t.Errorf("want the ask ended at once with the error, got %v after %d ask(s)", err, rt.asked.Load())
				case want == final && !errors.Is(err, c.err):
					t.Errorf("the error %v does not wrap the coordinator's %v", err, c.err)
				}
			})
		}
	}
}

// When the caller's wait ends, both fences' errors say what the coordinator last answered: a
// coordinator loading all along (kafkastate.CoordinatorLoading: waited for) is told from one
// that never answered (silence: auto falls back), also when the wait ended during a request.
func TestBothFencesReportTheCoordinatorsLastAnswerWhenTheWaitEnds(t *testing.T) {
	for _, c := range []struct {
		name    string
		rt      kafka.RoundTripper
		loading bool
	}{
		{"loading, answers quick", &coordinatorAlways{code: kafka.GroupLoadInProgress}, true},
		{"loading, the wait ending mid-request", &coordinatorAlways{code: kafka.GroupLoadInProgress, delay: 300 * time.Millisecond}, true},
		{"silent", &coordinatorAlways{}, false},
	} {
		for _, a := range askers {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
				defer cancel()
				_, err := a.ask(ctx, c.rt)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("the wait ended, but the error does not say so: %v", err)
				}
				if got := kafkastate.CoordinatorLoading(err); got != c.loading {
					t.Errorf("CoordinatorLoading = %v, want %v: %v", got, c.loading, err)
				}
			})
		}
	}
}
