package kafkastate

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// coordinatorLoading answers InitProducerID with COORDINATOR_LOAD_IN_PROGRESS until until,
// and passes it on after: a coordinator reading __transaction_state. With delay, each such
// answer takes that long (a loaded broker), at most until until, or until the request's
// context ends.
type coordinatorLoading struct {
	Next  kafka.RoundTripper
	until time.Time
	delay time.Duration
	asked atomic.Int32
}

func (c *coordinatorLoading) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); ok && time.Now().Before(c.until) {
		if c.delay > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(min(c.delay, time.Until(c.until))):
			}
		}
		c.asked.Add(1)
		return &initproducerid.Response{ErrorCode: int16(kafka.GroupLoadInProgress)}, nil
	}
	return c.Next.RoundTrip(ctx, addr, req)
}

// loadingOptions is a mode auto fence whose Logs meet a coordinator that says it is loading
// for loading, with firstEpochWait 1 s and loadingWait shortened to bound.
func loadingOptions(t *testing.T, loading, bound time.Duration) (Options, *coordinatorLoading, *lockedBuffer) {
	t.Helper()
	// A broker's first InitProducerID creates __transaction_state, and its coordinator answers
	// Not Coordinator meanwhile: an epoch taken first (mode on waits) leaves only the fake's
	// "loading" for the test to meet.
	newFixture(t, 1).open(0, Options{Epoch: epochFence(t)})
	_, o, away, logs, _ := awayFence(t, time.Hour)
	away.Store(false)
	wait := loadingWait
	t.Cleanup(func() { loadingWait = wait })
	loadingWait = bound
	c := &coordinatorLoading{until: time.Now().Add(loading)}
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		c.Next = next
		return c
	}}
	return o, c, logs
}

// A coordinator that answers "loading" for longer than firstEpochWait works (a fresh cluster's
// first InitProducerID creates __transaction_state's 50 partitions, and under load it said so
// for over 30 s): mode auto waits for it and takes the epoch. It took the loading answer for
// silence and wrote the changelog unfenced, with the warning, as on a cluster without a
// coordinator — the bug fence22 found and fixed for the sink fence.
func TestAutoWaitsForACoordinatorThatSaysItIsLoading(t *testing.T) {
	f := newFixture(t, 1)
	o, c, logs := loadingOptions(t, 2500*time.Millisecond, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if c.asked.Load() == 0 {
		t.Fatal("the coordinator was never asked while it said it was loading: the test tests nothing")
	}
	if l.epoch == nil || strings.Contains(logs.String(), FenceUnavailableMsg) {
		t.Fatalf("a coordinator loading for 2.5 s (firstEpochWait 1 s) left the changelog unfenced (epoch %v):\n%s", l.epoch, logs.String())
	}
}

// A coordinator that says it is loading for longer than loadingWait is not waited for past it:
// auto falls back, with the one warning, so the processor becomes active.
func TestAutoStopsWaitingForACoordinatorLoadingPastItsBound(t *testing.T) {
	f := newFixture(t, 1)
	o, _, logs := loadingOptions(t, time.Hour, 3*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if l.epoch != nil || strings.Count(logs.String(), FenceUnavailableMsg) != 1 {
		t.Fatalf("a coordinator loading for good: epoch %v, want unfenced with one warning:\n%s", l.epoch, logs.String())
	}
	// The warning says what the coordinator did, answer "loading", not that it did not answer
	// (which sends an operator to __transaction_state's replication setting).
	if !strings.Contains(logs.String(), "still answered InitProducerID that it was loading") || strings.Contains(logs.String(), "did not answer") {
		t.Errorf("the warning does not say the coordinator was still loading:\n%s", logs.String())
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the restore took %v against a loadingWait of 3 s", took)
	}
}

// A wait for the first InitProducerID that ends during a request, not between two, still
// counts the coordinator's last answer: one that said "loading" is waited for. The request's
// own error — the wait's end — was taken for the last answer, so a loading coordinator whose
// answers took a while read as silent and the changelog was written unfenced. Here each answer
// takes 1.2 s and firstEpochWait is 2 s: the first ask ends 0.7 s into its second request.
func TestAutoWaitsForACoordinatorLoadingWhenTheWaitEndsMidRequest(t *testing.T) {
	f := newFixture(t, 1)
	o, c, logs := loadingOptions(t, 2300*time.Millisecond, time.Minute)
	c.delay = 1200 * time.Millisecond
	firstEpochWait = 2 * time.Second // loadingOptions' awayFence puts it back
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if c.asked.Load() == 0 {
		t.Fatal("the coordinator never answered 'loading': the test tests nothing")
	}
	if l.epoch == nil || strings.Contains(logs.String(), FenceUnavailableMsg) {
		t.Fatalf("a coordinator answering 'loading' in 1.2 s for 2.3 s (firstEpochWait 2 s) left the changelog unfenced (epoch %v):\n%s", l.epoch, logs.String())
	}
}
