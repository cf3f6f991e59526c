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
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// aclsRefuse answers InitProducerID as brokers whose ACLs refuse the processors' principal
// (Write on the TransactionalId prefix wirestream-sink/) while refuse holds, and passes every
// other request on.
type aclsRefuse struct {
	refuse *atomic.Bool
	next   kafka.RoundTripper
}

func (a aclsRefuse) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, init := req.(*initproducerid.Request); init && a.refuse.Load() {
		return &initproducerid.Response{ErrorCode: int16(kafka.TransactionalIDAuthorizationFailed)}, nil
	}
	return a.next.RoundTrip(ctx, addr, req)
}

// retryingFence is a kafka.sink_fence: auto fence whose ask again comes after 1 s, with its log
// and gauge, and a RawWriting on the test broker whose InitProducerID the ACLs refuse while
// refuse holds (at first): base's, with the refusal in front of its transport.
func retryingFence(t *testing.T, base wkafka.RawWriting) (*sinkFence, wkafka.RawWriting, *atomic.Bool, *strings.Builder, prometheus.Gauge) {
	t.Helper()
	old := sinkFenceRetry
	sinkFenceRetry = time.Second
	t.Cleanup(func() { sinkFenceRetry = old })
	refuse := new(atomic.Bool)
	refuse.Store(true)
	rw := base
	rw.Transport = aclsRefuse{refuse: refuse, next: base.Transport}
	logs := new(strings.Builder)
	gauge := prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)), gauge: gauge}
	return f, rw, refuse, logs, gauge
}

// Auto's fallback after InitProducerID failed (here the ACLs refused it) lasted the process's
// life: ACLs granted since, or a coordinator back, left every later activation unfenced until a
// restart. It now asks again at the first activation after sinkFenceRetry: refused again, one
// "still" warning and unfenced; answered, the epoch is taken, INFO SinkFenceBackMsg once and
// wirestream_sink_epochs 1. An activation before the retry is due asks nothing.
func TestSinkFenceAutoAsksAgainAtALaterActivationAndFencesOnceAnswered(t *testing.T) {
	f, rw, refuse, logs, gauge := retryingFence(t, wkafka.RawWriting{Addr: kafka.TCP(kafkatest.Brokers(t)...), Transport: kafka.DefaultTransport})
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	txid := "wirestream-sink/" + t.Name() + "/items/0"
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	activate := func(i int) *epochsink.Writer {
		t.Helper()
		w, err := f.take(ctx, a, rw, txid)
		if err != nil {
			t.Fatalf("activation %d: %v", i, err)
		}
		return w
	}
	if w := activate(1); w != nil || testutil.ToFloat64(gauge) != 0 {
		t.Fatalf("activation 1, the ACLs refusing: writer %v, gauge %v; want unfenced, 0", w, testutil.ToFloat64(gauge))
	}
	time.Sleep(sinkFenceRetry)
	if w := activate(2); w != nil {
		t.Fatal("activation 2, the ACLs still refusing: took an epoch")
	}
	if n := strings.Count(logs.String(), SinkStillUnfencedMsg); n != 1 {
		t.Errorf("%q logged %d times after an ask again refused, want once:\n%s", SinkStillUnfencedMsg, n, logs.String())
	}
	refuse.Store(false)
	if w := activate(3); w != nil {
		t.Fatal("activation 3, before the retry was due: took an epoch (asked more than once per sinkFenceRetry)")
	}
	time.Sleep(sinkFenceRetry)
	if w := activate(4); w == nil {
		t.Fatalf("activation 4, the ACLs granted and the retry due: still unfenced — auto's fallback lasted the process's life:\n%s", logs.String())
	}
	if n := strings.Count(logs.String(), SinkFenceBackMsg); n != 1 || testutil.ToFloat64(gauge) != 1 {
		t.Errorf("%q logged %d times, gauge %v; want once and 1:\n%s", SinkFenceBackMsg, n, testutil.ToFloat64(gauge), logs.String())
	}
	if n := strings.Count(logs.String(), SinkFenceUnavailableMsg); n != 1 {
		t.Errorf("%q logged %d times, want once (the first fallback)", SinkFenceUnavailableMsg, n)
	}
}

// soleAnswer is a changelog's answer to SoleWriter; lost: a write of its own since its restore
// went unanswered, so its count may be short (OwnCountLost).
type soleAnswer struct{ sole, known, lost bool }

func (s soleAnswer) SoleWriter(context.Context) (bool, bool) { return s.sole, s.known }
func (s soleAnswer) OwnCountLost() bool                      { return s.lost }

// An active processor whose activation auto built unfenced keeps its partition for days, and is
// not activated again: at its first write after sinkFenceRetry, with the coordinator answering
// again, it takes the sink epoch and writes the rest under it — a newer owner's epoch then
// refuses its records (EpochFencedError), which before went through for the process's life.
func TestAnActivePipelineWritingUnfencedTakesTheSinkEpochOnceTheCoordinatorAnswersAgain(t *testing.T) {
	s, cfg := fencedTestSink(t)
	f, rw, refuse, logs, gauge := retryingFence(t, s.RawWriting())
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if w, err := f.take(ctx, a, rw, txid); w != nil || err != nil || !f.mayAskAgain() {
		t.Fatalf("the activation, the ACLs refusing: writer %v, %v, asks again %v; want unfenced, asking again", w, err, f.mayAskAgain())
	}
	late := &lateFencedSink{fence: f, sink: s, rw: rw, admission: a, txid: txid, activation: f.currentActivation(), state: soleAnswer{sole: true, known: true},
		log: slog.New(slog.NewTextHandler(logs, nil))}
	recs := fixtures.Stories(40)
	if err := late.Write(ctx, recs[:10]); err != nil || late.writer() != nil {
		t.Fatalf("a write before the retry is due: %v, writer %v; want written unfenced", err, late.writer())
	}
	refuse.Store(false)
	time.Sleep(sinkFenceRetry)
	if err := late.Write(ctx, recs[10:20]); err != nil {
		t.Fatal(err)
	}
	if late.writer() == nil || testutil.ToFloat64(gauge) != 1 || !strings.Contains(logs.String(), SinkFenceBackMsg) {
		t.Fatalf("the first write after the retry fell due, the coordinator answering: writer %v, gauge %v; want the epoch taken, 1, %q:\n%s",
			late.writer(), testutil.ToFloat64(gauge), SinkFenceBackMsg, logs.String())
	}
	if err := late.Write(ctx, recs[20:30]); err != nil {
		t.Fatalf("a write under the late epoch: %v", err)
	}
	owner, err := epochsink.Open(ctx, s.RawWriting(), txid) // the partition's next owner
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteVia(ctx, owner, recs[30:40]); err != nil {
		t.Fatal(err)
	}
	if err := late.Write(ctx, recs[30:40]); !kafkastate.IsEpochFenced(err) {
		t.Errorf("the old owner's write after the newer owner's epoch: %v, want refused (EpochFencedError)", err)
	}
}

// A stale active processor — paused past its session, its admission still passing — whose
// unfenced records land whatever the partition's newer owner holds must not take the sink epoch
// at its late ask: that owner's writer would be fenced. The changelog says another writer wrote
// the partition since its restore (the newer owner's epoch record, appends): it takes nothing,
// says so once, and the owner goes on.
func TestAStaleActivePipelineDoesNotTakeTheSinkEpochFromTheNewerOwner(t *testing.T) {
	s, cfg := fencedTestSink(t)
	f, rw, refuse, logs, gauge := retryingFence(t, s.RawWriting())
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if w, err := f.take(ctx, a, rw, txid); w != nil || err != nil {
		t.Fatalf("the stale processor's activation, the ACLs refusing: writer %v, %v; want unfenced", w, err)
	}
	stale := &lateFencedSink{fence: f, sink: s, rw: rw, admission: a, txid: txid, activation: f.currentActivation(), state: soleAnswer{sole: false, known: true},
		log: slog.New(slog.NewTextHandler(logs, nil))}
	refuse.Store(false)
	owner, err := epochsink.Open(ctx, s.RawWriting(), txid) // took the partition during the pause
	if err != nil {
		t.Fatal(err)
	}
	recs := fixtures.Stories(30)
	if err := s.WriteVia(ctx, owner, recs[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(sinkFenceRetry)
	if err := stale.Write(ctx, recs[10:20]); err != nil {
		t.Fatalf("the stale processor's unfenced write: %v", err)
	}
	if stale.writer() != nil || testutil.ToFloat64(gauge) != 0 {
		t.Errorf("the stale processor, another writer in its changelog partition: writer %v, gauge %v; want no epoch, 0", stale.writer(), testutil.ToFloat64(gauge))
	}
	if n := strings.Count(logs.String(), SinkLateEpochBarredMsg); n != 1 {
		t.Errorf("%q logged %d times, want once:\n%s", SinkLateEpochBarredMsg, n, logs.String())
	}
	if err := stale.Write(ctx, recs[10:20]); err != nil || strings.Count(logs.String(), SinkLateEpochBarredMsg) != 1 {
		t.Errorf("a second stale write: %v; the warning %d times, want once", err, strings.Count(logs.String(), SinkLateEpochBarredMsg))
	}
	if err := s.WriteVia(ctx, owner, recs[20:30]); err != nil || owner.Stopped() != nil {
		t.Fatalf("the owner's write after the stale processor's: %v — fenced by a late sink epoch", err)
	}
}

// A processor whose own changelog write went unanswered since its restore (no answer by its
// deadline, REQUEST_TIMED_OUT, a connection cut after the request left), its partition ending
// past its count, cannot rule another writer out by that count, and takes no sink epoch late —
// but that is no sign of another writer: it says why at INFO, in README's words (the partition
// ends past its count, a write of its own unanswered), as the changelog's own late epoch does
// (kafkastate.LateEpochOwnUncountedMsg), not SinkLateEpochBarredMsg's WARN, which sent an
// operator hunting a second owner of the partition. Its INFO said "a write … failed", which
// since log24 is neither needed (a refused write keeps the count) nor all (a chunk sent twice).
func TestALateSinkEpochBarredByAnUnansweredWriteOfItsOwnDoesNotBlameAnotherWriter(t *testing.T) {
	s, cfg := fencedTestSink(t)
	f, rw, refuse, logs, gauge := retryingFence(t, s.RawWriting())
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if w, err := f.take(ctx, a, rw, txid); w != nil || err != nil {
		t.Fatalf("the activation, the ACLs refusing: writer %v, %v; want unfenced", w, err)
	}
	late := &lateFencedSink{fence: f, sink: s, rw: rw, admission: a, txid: txid, activation: f.currentActivation(), state: soleAnswer{sole: false, known: true, lost: true},
		log: slog.New(slog.NewTextHandler(logs, nil))}
	refuse.Store(false)
	time.Sleep(sinkFenceRetry)
	if err := late.Write(ctx, fixtures.Stories(10)); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if late.writer() != nil || testutil.ToFloat64(gauge) != 0 {
		t.Errorf("its own count lost: writer %v, gauge %v; want no epoch, 0", late.writer(), testutil.ToFloat64(gauge))
	}
	if strings.Contains(out, SinkLateEpochBarredMsg) {
		t.Errorf("logged %q for a write of its own that went unanswered:\n%s", SinkLateEpochBarredMsg, out)
	}
	if n := strings.Count(out, SinkLateEpochOwnUncountedMsg); n != 1 || !strings.Contains(out, "level=INFO msg=\""+SinkLateEpochOwnUncountedMsg) {
		t.Errorf("%q logged %d times (want once, INFO):\n%s", SinkLateEpochOwnUncountedMsg, n, out)
	}
	for _, says := range []string{"ends past this processor's count of its own records", "not answered"} {
		if !strings.Contains(SinkLateEpochOwnUncountedMsg, says) || !strings.Contains(kafkastate.LateEpochOwnUncountedMsg, says) {
			t.Errorf("the sink's and the changelog's INFO do not both say %q (README's rule):\n%s\n%s", says, SinkLateEpochOwnUncountedMsg, kafkastate.LateEpochOwnUncountedMsg)
		}
	}
	if strings.Contains(SinkLateEpochOwnUncountedMsg, "failed") {
		t.Errorf("the INFO says a write failed, which alone no longer bars the epoch: %s", SinkLateEpochOwnUncountedMsg)
	}
}
