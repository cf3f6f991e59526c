package daemon

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/epochsink"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// coordinatorSays answers every InitProducerID: with code when it is set, with an epoch when
// it is not; silent: never (the request's context ends first).
type coordinatorSays struct {
	code   kafka.Error
	silent bool
}

func (c coordinatorSays) RoundTrip(ctx context.Context, _ net.Addr, _ kafka.Request) (kafka.Response, error) {
	switch {
	case c.silent:
		<-ctx.Done()
		return nil, ctx.Err()
	case c.code != 0:
		return &initproducerid.Response{ErrorCode: int16(c.code)}, nil
	}
	return &initproducerid.Response{ProducerID: 7, ProducerEpoch: 3}, nil
}

// fallenBackFence is an auto sink fence fallen back at run time whose ask again is due, with
// its log and gauge.
func fallenBackFence() (*sinkFence, *strings.Builder, prometheus.Gauge) {
	logs := new(strings.Builder)
	gauge := prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)), gauge: gauge}
	f.fellBack, f.retryAt = true, time.Now().Add(-time.Second)
	return f, logs, gauge
}

// A late sink ask that meets a coordinator answering "loading" is asked again a minute later,
// and was so silently, every minute, for as long as the loading lasted: an operator saw the
// records unfenced (wirestream_sink_epochs 0) and nothing saying why. It says so once per
// episode of loading answers, not once a minute.
func TestALateSinkAskMeetingALoadingCoordinatorSaysSoOnce(t *testing.T) {
	f, logs, _ := fallenBackFence()
	var released atomic.Int64
	late := &lateFencedSink{fence: f, admission: admissionOf(make(chan struct{}), &released),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{code: kafka.GroupLoadInProgress}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: soleAnswer{sole: true, known: true}, log: f.log}
	for i := range 2 {
		late.askAgain(t.Context())
		if late.writer() != nil {
			t.Fatalf("ask %d: took an epoch from a coordinator that only said it was loading", i+1)
		}
		// The minute passed: due again.
		late.next = time.Time{}
		f.mu.Lock()
		f.retryAt = time.Now().Add(-time.Second)
		f.mu.Unlock()
	}
	if n := strings.Count(logs.String(), SinkCoordinatorLoadingMsg); n != 1 {
		t.Errorf("%q logged %d times after two late asks met a loading coordinator, want once:\n%s", SinkCoordinatorLoadingMsg, n, logs.String())
	}
	if strings.Contains(logs.String(), SinkStillUnfencedMsg) {
		t.Errorf("a loading coordinator works: it is asked again in a minute, not fallen back from for an hour:\n%s", logs.String())
	}
}

// An ask again at an activation (auto fallen back at run time, the hour passed) held the
// activation — the processor not active, its partition's items waiting — for as long as a
// first ask may wait: sinkEpochWait (30 s) unanswered, and up to sinkLoadingWait (2 min) more
// while the coordinator said it was loading. The activation went on unfenced before the ask;
// an ask again is bounded as the write's late ask is (sinkFenceLateWait), and the activation
// then goes on unfenced, its pipeline asking again at its writes: a minute later after
// "loading", an hour later after silence.
func TestAnAskAgainAtActivationDoesNotHoldTheActivationPastTheLateAsksBound(t *testing.T) {
	for _, c := range []struct {
		name    string
		coord   coordinatorSays
		retryIn time.Duration
	}{
		{"loading", coordinatorSays{code: kafka.GroupLoadInProgress}, lateRetryUnknown},
		{"silent", coordinatorSays{silent: true}, sinkFenceRetry},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, _, _ := fallenBackFence()
			var released atomic.Int64
			rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: c.coord}
			done := make(chan error, 1)
			var w *epochsink.Writer
			start := time.Now()
			go func() {
				var err error
				w, err = f.take(t.Context(), admissionOf(make(chan struct{}), &released), rw, "wirestream-sink/test/items/0")
				done <- err
			}()
			bound := sinkFenceLateWait + 3*time.Second
			select {
			case err := <-done:
				if w != nil || err != nil {
					t.Fatalf("the ask again: writer %v, %v; want unfenced, the activation going on", w, err)
				}
			case <-time.After(bound):
				t.Fatalf("the ask again held the activation past %v", bound)
			}
			t.Logf("the activation waited %v", time.Since(start).Round(10*time.Millisecond))
			f.mu.Lock()
			retryAt := f.retryAt
			f.mu.Unlock()
			if !f.mayAskAgain() || retryAt.After(time.Now().Add(c.retryIn)) {
				t.Errorf("after the ask again: asks again %v, due at %v; want asked again by the pipeline within %v", f.mayAskAgain(), retryAt, c.retryIn)
			}
		})
	}
}

// wirestream_sink_epochs says whether the active pipeline's records carry the epoch. A pipeline
// the processor left (standing by) whose last writes still drain — a late ask among them —
// set it to 1 on the standby when the coordinator answered: only the current pipeline sets it.
func TestAnOldPipelinesLateAskDoesNotSetTheSinkEpochsGaugeOnAStandby(t *testing.T) {
	f, _, gauge := fallenBackFence()
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	f.retryAt = time.Now().Add(time.Hour) // the activation's ask again not due: unfenced
	if w, err := f.take(t.Context(), a, wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{}}, "wirestream-sink/test/items/0"); w != nil || err != nil {
		t.Fatalf("the activation: writer %v, %v; want unfenced", w, err)
	}
	late := &lateFencedSink{fence: f, admission: a, activation: f.currentActivation(),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: soleAnswer{sole: true, known: true}, log: f.log}
	f.standBy()
	f.mu.Lock()
	f.retryAt = time.Now().Add(-time.Second)
	f.mu.Unlock()
	late.askAgain(t.Context())
	if got := testutil.ToFloat64(gauge); got != 0 {
		t.Errorf("wirestream_sink_epochs reads %v on a processor standing by after its old pipeline's late ask; want 0", got)
	}
}
