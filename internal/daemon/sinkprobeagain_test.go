package daemon

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// verdictSwitch is the cluster check's verdict: the cluster can host the transaction
// coordinator while can holds; asked counts the asks.
type verdictSwitch struct {
	can   atomic.Bool
	asked atomic.Int32
}

func (v *verdictSwitch) verdict(ctx context.Context) (kafkastate.Coordinator, error) {
	v.asked.Add(1)
	if v.can.Load() {
		return canHost(ctx)
	}
	return cannotHost(ctx)
}

// Auto's fallback decided by the cluster check (transaction.state.log.replication.factor above
// the brokers) lasted until a restart, though the operator its warning names changes the
// setting on a running cluster. It is asked again after sinkFenceRetry like the others: at an
// activation (the verdict, probed again by kafkastate after its hour), still unable — unfenced
// another hour, no second warning; able — the epoch is taken.
func TestSinkFenceAutoAsksTheClusterCheckAgainAtALaterActivation(t *testing.T) {
	f, logs, gauge := fallenBackFence()
	f.fellBack, f.retryAt = false, time.Time{}
	old := sinkFenceRetry
	sinkFenceRetry = 300 * time.Millisecond
	t.Cleanup(func() { sinkFenceRetry = old })
	v := new(verdictSwitch)
	f.verdict = v.verdict
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{}}
	activate := func(i int) *epochsink.Writer {
		t.Helper()
		w, err := f.take(t.Context(), a, rw, "wirestream-sink/test/items/0")
		if err != nil {
			t.Fatalf("activation %d: %v", i, err)
		}
		return w
	}
	if w := activate(1); w != nil || !f.mayAskAgain() {
		t.Fatalf("activation 1, the cluster unable: writer %v, asks again %v; want unfenced, asking again", w, f.mayAskAgain())
	}
	time.Sleep(sinkFenceRetry)
	if w := activate(2); w != nil {
		t.Fatal("activation 2, the cluster still unable: took an epoch")
	}
	v.can.Store(true)
	if w := activate(3); w != nil {
		t.Fatal("activation 3, before the retry was due: took an epoch")
	}
	time.Sleep(sinkFenceRetry)
	if w := activate(4); w == nil || testutil.ToFloat64(gauge) != 1 {
		t.Fatalf("activation 4, the setting fixed and the retry due: writer %v, gauge %v — the check's fallback lasted until a restart:\n%s",
			w, testutil.ToFloat64(gauge), logs.String())
	}
	out := logs.String()
	if strings.Count(out, SinkFenceUnavailableMsg) != 1 || strings.Contains(out, SinkStillUnfencedMsg) || strings.Count(out, SinkFenceBackMsg) != 1 {
		t.Errorf("want one fallback warning, no 'still' warning (nothing changed), one %q:\n%s", SinkFenceBackMsg, out)
	}
}

// The same for an active processor, which is not activated again: its pipeline, built unfenced
// by the check's verdict, asks at its first write after sinkFenceRetry — the verdict first, so a
// cluster still unable holds no write for an unanswerable InitProducerID.
func TestAnActivePipelineUnfencedByTheClusterCheckTakesTheEpochOnceTheClusterCanHost(t *testing.T) {
	f, logs, gauge := fallenBackFence()
	f.fellBack, f.retryAt = false, time.Time{}
	old := sinkFenceRetry
	sinkFenceRetry = 300 * time.Millisecond
	t.Cleanup(func() { sinkFenceRetry = old })
	v := new(verdictSwitch)
	f.verdict = v.verdict
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{}}
	if w, err := f.take(t.Context(), a, rw, "wirestream-sink/test/items/0"); w != nil || err != nil || !f.mayAskAgain() {
		t.Fatalf("the activation, the cluster unable: writer %v, %v, asks again %v; want unfenced, asking again", w, err, f.mayAskAgain())
	}
	late := &lateFencedSink{fence: f, admission: a, rw: rw, activation: f.currentActivation(),
		txid: epochsink.TransactionalID("test", "items", 0), state: soleAnswer{sole: true, known: true}, log: f.log}
	time.Sleep(sinkFenceRetry)
	late.askAgain(t.Context())
	if late.writer() != nil || strings.Contains(logs.String(), SinkStillUnfencedMsg) {
		t.Fatalf("a late ask, the cluster still unable: writer %v; want unfenced, quietly:\n%s", late.writer(), logs.String())
	}
	v.can.Store(true)
	time.Sleep(sinkFenceRetry)
	late.askAgain(t.Context())
	if late.writer() == nil || testutil.ToFloat64(gauge) != 1 {
		t.Fatalf("a late ask, the setting fixed: writer %v, gauge %v; want the epoch taken, 1:\n%s", late.writer(), testutil.ToFloat64(gauge), logs.String())
	}
}

// An ask again at an activation after the cluster check's fallback asks the check again
// (kafkastate re-probes a "cannot host" verdict after its hour); a probe that fails then (a
// Metadata or DescribeConfigs not answered) failed the activation — and a processor whose
// activation fails waited for the next generation (before round 29), its partition unprocessed — though the
// activation was unfenced before the ask and the changelog's fence, on the same failed probe,
// goes on quietly for another hour (kafkastate askClusterAgain). It goes on unfenced likewise:
// no writer, no error, no warning, asked again after sinkFenceRetry.
func TestSinkFenceAutoAskingTheClusterCheckAgainDoesNotFailTheActivationWhenTheProbeFails(t *testing.T) {
	f, logs, gauge := fallenBackFence()
	f.fellBack, f.retryAt = false, time.Time{}
	old := sinkFenceRetry
	sinkFenceRetry = 300 * time.Millisecond
	t.Cleanup(func() { sinkFenceRetry = old })
	var probeFails atomic.Bool
	f.verdict = func(ctx context.Context) (kafkastate.Coordinator, error) {
		if probeFails.Load() {
			return kafkastate.Coordinator{}, errors.New("metadata: i/o timeout")
		}
		return cannotHost(ctx)
	}
	var released atomic.Int64
	a := admissionOf(make(chan struct{}), &released)
	rw := wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: coordinatorSays{}}
	if w, err := f.take(t.Context(), a, rw, "wirestream-sink/test/items/0"); w != nil || err != nil || !f.mayAskAgain() {
		t.Fatalf("activation 1, the cluster unable: writer %v, err %v, asks again %v; want unfenced, asking again", w, err, f.mayAskAgain())
	}
	time.Sleep(sinkFenceRetry)
	probeFails.Store(true)
	w, err := f.take(t.Context(), a, rw, "wirestream-sink/test/items/0")
	if err != nil {
		t.Fatalf("activation 2, the check asked again failing: the activation failed: %v", err)
	}
	if w != nil || testutil.ToFloat64(gauge) != 0 {
		t.Errorf("activation 2: writer %v, gauge %v; want unfenced, 0", w, testutil.ToFloat64(gauge))
	}
	f.mu.Lock()
	retryAt, retrying := f.retryAt, f.retrying
	f.mu.Unlock()
	if retrying || time.Until(retryAt) <= 0 {
		t.Errorf("after the failed probe: retrying %v, asks again in %v; want the ask ended and rearmed", retrying, time.Until(retryAt))
	}
	if out := logs.String(); strings.Count(out, SinkFenceUnavailableMsg) != 1 || strings.Contains(out, SinkStillUnfencedMsg) {
		t.Errorf("want the first fallback's warning only:\n%s", out)
	}
}
