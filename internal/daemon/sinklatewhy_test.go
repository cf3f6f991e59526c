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
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/epochsink"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// refusesInit answers every InitProducerID at once with code: a coordinator that answered.
type refusesInit struct{ code kafka.Error }

func (r refusesInit) RoundTrip(context.Context, net.Addr, kafka.Request) (kafka.Response, error) {
	return &initproducerid.Response{ErrorCode: int16(r.code)}, nil
}

// A late sink ask that the coordinator answers with a refusal (not the ACLs', not "loading") is
// no silence: its "still unfenced" warning said "InitProducerID was not answered within 5s",
// sending an operator to look for an offline __transaction_state, for any such error.
func TestALateSinkAskRefusedSaysItFailedNotThatItWentUnanswered(t *testing.T) {
	logs := new(strings.Builder)
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)),
		gauge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})}
	f.fellBack, f.retryAt = true, time.Now().Add(-time.Second) // fallen back at run time, the ask again due
	var released atomic.Int64
	late := &lateFencedSink{fence: f, admission: admissionOf(make(chan struct{}), &released),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: refusesInit{kafka.InvalidTransactionTimeout}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: soleAnswer{sole: true, known: true}, log: f.log}
	start := time.Now()
	late.askAgain(t.Context())
	out := logs.String()
	if late.writer() != nil || !strings.Contains(out, SinkStillUnfencedMsg) {
		t.Fatalf("a refused ask again: writer %v; want unfenced with %q:\n%s", late.writer(), SinkStillUnfencedMsg, out)
	}
	if time.Since(start) >= sinkFenceLateWait {
		t.Fatalf("the refusal took the whole wait (%v): the coordinator's answer was not what ended the ask", time.Since(start))
	}
	if strings.Contains(out, "not answered within") || !strings.Contains(out, "InitProducerID failed") {
		t.Errorf("the coordinator answered with a refusal, but the warning says:\n%s", out)
	}
}

// slowLook answers SoleWriter "sole" after delay: a look that waited for the changelog's write
// gate (a changelog write of the pipeline's under way).
type slowLook struct {
	delay time.Duration
	looks *atomic.Int64
}

func (s slowLook) SoleWriter(ctx context.Context) (bool, bool) {
	if s.looks.Add(1) == 1 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return false, false
		}
	}
	return true, true
}

func (slowLook) OwnCountLost() bool { return false }

// answersInit answers every InitProducerID with a producer after delay: a working coordinator.
type answersInit struct{ delay time.Duration }

func (a answersInit) RoundTrip(ctx context.Context, _ net.Addr, _ kafka.Request) (kafka.Response, error) {
	select {
	case <-time.After(a.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &initproducerid.Response{ProducerID: 7, ProducerEpoch: 1}, nil
}

// The late sink ask's bound (sinkFenceLateWait) is shared by the changelog look and
// InitProducerID: a look that waited most of it for the write gate left InitProducerID a few
// hundred milliseconds, and a coordinator answering in one second was taken for one that did not
// answer within 5 s — SinkStillUnfencedMsg, and the records unfenced for another sinkFenceRetry
// (an hour). Such an ask cannot tell whether the coordinator answers: it is made again a minute
// later (lateRetryUnknown), without a warning.
func TestALateSinkAskLeftNoTimeByItsLookDoesNotSayTheCoordinatorIsSilent(t *testing.T) {
	logs := new(strings.Builder)
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)),
		gauge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})}
	f.fellBack, f.retryAt = true, time.Now().Add(-time.Second) // fallen back at run time, the ask again due
	var released, looks atomic.Int64
	late := &lateFencedSink{fence: f, admission: admissionOf(make(chan struct{}), &released),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: answersInit{time.Second}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: slowLook{delay: sinkFenceLateWait - 300*time.Millisecond, looks: &looks}, log: f.log}
	late.askAgain(t.Context())
	if late.writer() != nil {
		t.Fatal("took the epoch: InitProducerID had the time, the test tests nothing")
	}
	if out := logs.String(); strings.Contains(out, SinkStillUnfencedMsg) {
		t.Errorf("an ask that left InitProducerID 300ms logged %q:\n%s", SinkStillUnfencedMsg, out)
	}
	f.mu.Lock()
	retryAt, retrying := f.retryAt, f.retrying
	f.mu.Unlock()
	if time.Until(retryAt) > 0 || retrying {
		t.Errorf("the fence asks again in %v (retrying %v), want due still", time.Until(retryAt).Round(time.Second), retrying)
	}
	if time.Until(late.next) <= 0 {
		t.Errorf("the ask is made again at once, want after lateRetryUnknown")
	}
}

// A late sink ask whose look used most of the bound but whose InitProducerID was answered
// "loading" (COORDINATOR_LOAD_IN_PROGRESS) learned that the coordinator works and is loading:
// it says so once per episode (SinkCoordinatorLoadingMsg) and asks again a minute later, as an
// ask given the whole bound does. The starved ask's case came first in the switch and took
// it for one that could not tell, saying nothing.
func TestALateSinkAskLeftLittleTimeByItsLookThatMeetsALoadingCoordinatorSaysSo(t *testing.T) {
	logs := new(strings.Builder)
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)),
		gauge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})}
	f.fellBack, f.retryAt = true, time.Now().Add(-time.Second) // fallen back at run time, the ask again due
	var released, looks atomic.Int64
	late := &lateFencedSink{fence: f, admission: admissionOf(make(chan struct{}), &released),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: refusesInit{kafka.GroupLoadInProgress}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: slowLook{delay: sinkFenceLateWait - time.Second, looks: &looks}, log: f.log}
	late.askAgain(t.Context())
	out := logs.String()
	if late.writer() != nil || strings.Contains(out, SinkStillUnfencedMsg) {
		t.Fatalf("a loading coordinator: writer %v, want none and no %q:\n%s", late.writer(), SinkStillUnfencedMsg, out)
	}
	if !strings.Contains(out, SinkCoordinatorLoadingMsg) {
		t.Errorf("the coordinator answered that it is loading, but the ask said nothing of it:\n%s", out)
	}
	f.mu.Lock()
	retryAt, retrying := f.retryAt, f.retrying
	f.mu.Unlock()
	if retrying || time.Until(retryAt) <= 0 || time.Until(retryAt) > lateRetryUnknown {
		t.Errorf("the fence asks again in %v (retrying %v), want within lateRetryUnknown", time.Until(retryAt).Round(time.Second), retrying)
	}
}
