package daemon

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// coordinatorAway answers every request as a transaction coordinator that is not available
// (its __transaction_state partition leaderless during a broker restart).
type coordinatorAway struct{ asked atomic.Int64 }

func (c *coordinatorAway) RoundTrip(ctx context.Context, _ net.Addr, _ kafka.Request) (kafka.Response, error) {
	c.asked.Add(1)
	return nil, kafka.GroupCoordinatorNotAvailable
}

// admissionOf is an epochAdmission whose generation ends when ended is closed; released counts
// the admissions given back.
func admissionOf(ended <-chan struct{}, released *atomic.Int64) epochAdmission {
	fence := func() error {
		select {
		case <-ended:
			return errors.New("test: the generation ended")
		default:
			return nil
		}
	}
	return epochAdmission{
		admitNow: func() (func(), error) {
			if err := fence(); err != nil {
				return nil, err
			}
			return func() { released.Add(1) }, nil
		},
		fence: fence,
	}
}

// Taking the sink's epoch holds the generation's admission, which the member's rejoin waits
// for (turn.close), while InitProducerID retries a coordinator that is away. A generation that
// ends meanwhile must end the wait (as the changelog's epoch does: kafkastate's initProducer
// under fenceContext), not hold the rejoin for the 30 s bound — past the group's session.
func TestTakingTheSinkEpochGivesUpWhenTheGenerationEnds(t *testing.T) {
	away := &coordinatorAway{}
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: away}
	ended := make(chan struct{})
	var released atomic.Int64
	time.AfterFunc(300*time.Millisecond, func() { close(ended) })
	start := time.Now()
	w, err := admissionOf(ended, &released).open(t.Context(), rw, "wirestream-sink/test/items/0")
	took := time.Since(start)
	if w != nil || err == nil {
		t.Fatalf("took an epoch from a coordinator that never answered: %v", err)
	}
	if took > 3*time.Second {
		t.Errorf("the admission was held %v after the generation ended at 300 ms (err: %v), want let go within about 100 ms", took, err)
	}
	if released.Load() != 1 {
		t.Errorf("the admission was given back %d times, want once", released.Load())
	}
	if away.asked.Load() == 0 {
		t.Error("the coordinator was never asked")
	}
}

// A stop ends the wait too: the generation stays current through a stop (the member leaves
// only after), so the fence alone would leave the stop waiting for the 30 s bound.
func TestTakingTheSinkEpochGivesUpWhenTheProcessorStops(t *testing.T) {
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: &coordinatorAway{}}
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	stopping := make(chan struct{})
	a.stopping = stopping
	time.AfterFunc(300*time.Millisecond, func() { close(stopping) })
	start := time.Now()
	if _, err := a.open(t.Context(), rw, "wirestream-sink/test/items/0"); err == nil {
		t.Fatal("took an epoch from a coordinator that never answered")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a stop waited %v for the epoch, want let go at once", took)
	}
}
